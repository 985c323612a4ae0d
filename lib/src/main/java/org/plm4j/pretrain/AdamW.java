package org.plm4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plm4j.model.MaskedLanguageModel;

/**
 * AdamW (Loshchilov &amp; Hutter) with decoupled weight decay, bias correction and global
 * gradient-norm clipping, over a model's parameters. Its moment estimates live in a manager
 * owned by this object and freed by {@link #close()}; per-step temporaries live in the step's
 * manager. Must run with gradient recording off (after the GradientCollector is closed).
 */
final class AdamW implements AutoCloseable {

    private final PretrainConfig config;
    private final NDManager stateManager;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final boolean[] decay;
    private int t;

    AdamW(MaskedLanguageModel model, PretrainConfig config) {
        this.config = config;
        this.stateManager = model.manager().newSubManager();
        Map<String, NDArray> params = model.parameters();
        decay = new boolean[params.size()];
        int i = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            names.add(e.getKey());
            weights.add(e.getValue());
            means.add(stateManager.zeros(e.getValue().getShape()));
            variances.add(stateManager.zeros(e.getValue().getShape()));
            decay[i++] = !MaskedLanguageModel.noWeightDecay(e.getKey());
        }
    }

    /**
     * Applies one update with learning rate {@code lr} and zeroes the gradients.
     *
     * @return the global gradient norm before clipping
     */
    double step(NDManager stepManager, float lr) {
        t++;
        int n = weights.size();
        NDArray[] grads = new NDArray[n];
        NDArray sq = null;
        for (int i = 0; i < n; i++) {
            NDArray g = weights.get(i).getGradient();
            g.attach(stepManager);
            grads[i] = g;
            NDArray s = g.square().sum();
            sq = sq == null ? s : sq.addi(s);
        }
        double norm = Math.sqrt(sq.getFloat());
        float clip = 1f;
        if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
            clip = (float) (config.maxGradNorm() / (norm + 1e-6));
        }
        if (!Double.isFinite(norm)) {
            zero(grads);
            throw new IllegalStateException("the gradient norm became " + norm + " at step " + t
                    + "; try a lower learning rate (now " + config.learningRate() + ") or gradient clipping");
        }
        float b1 = config.beta1();
        float b2 = config.beta2();
        float bc1 = (float) (1 - Math.pow(b1, t));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(b2, t));
        float stepSize = lr / bc1;
        float wdFactor = 1f - lr * config.weightDecay();
        for (int i = 0; i < n; i++) {
            NDArray g = grads[i];
            if (clip != 1f) {
                g = g.mul(clip);
            }
            NDArray m = means.get(i);
            NDArray v = variances.get(i);
            m.muli(b1).addi(g.mul(1 - b1));
            v.muli(b2).addi(g.square().muli(1 - b2));
            NDArray w = weights.get(i);
            if (decay[i] && config.weightDecay() > 0) {
                w.muli(wdFactor);
            }
            // update = stepSize * m / (sqrt(v) / bc2Sqrt + eps), temporaries rooted in the step manager
            NDArray denom = v.sqrt();
            denom.attach(stepManager);
            denom.divi(bc2Sqrt).addi(config.epsilon());
            NDArray update = m.div(denom);
            update.attach(stepManager);
            update.muli(stepSize);
            w.subi(update);
        }
        zero(grads);
        return norm;
    }

    private static void zero(NDArray[] grads) {
        for (NDArray g : grads) {
            g.muli(0f);
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
