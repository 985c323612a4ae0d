package org.plm4j.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plm4j.internal.LayerTaps;

/**
 * DP-SGD's gradient (Abadi et al. 2016), batched: every example's gradient is clipped to norm C,
 * the clipped gradients are summed, Gaussian noise of standard deviation sigma * C is added and
 * the sum is divided by the expected batch size.
 *
 * <p>As {@link LayerTaps} it watches a forward pass: each linear layer and LayerNorm affine part
 * gets a zero "probe" added to its output, so that after a backward pass of the loss summed over
 * examples the probe's gradient holds every example's output gradient G (each example's loss
 * depends on its own rows only), and its input A is kept. No loop over examples follows: a linear
 * layer's per-example weight gradient is {@code G_i^T A_i}, whose squared norm is
 * {@code sum((A_i A_i^T) * (G_i G_i^T))} ("ghost clipping": the norms without the per-example
 * gradients; {@code ||g_i||^2 ||a_i||^2} for one position), and the clipped sum is one matrix
 * product over all positions; a LayerNorm's per-example gradients are {@code sum_t g_t * xhat_t}
 * and {@code sum_t g_t}, small enough to form.
 */
final class DpSgd implements LayerTaps {

    private final List<Trace> traces = new ArrayList<>();

    /** What one watched step saw; read after the backward pass. */
    sealed interface Trace permits LinearTrace, AffineTrace {

        /** Each example's squared gradient norm over this step's tensors, {@code [batch]}. */
        NDArray squaredNorms();

        /** Adds {@code sum_i factor_i grad_i} of each tensor to {@code sums}, by name. */
        void addClippedSums(NDArray factors, Map<String, NDArray> sums);
    }

    /**
     * A linear layer {@code z = x W^T + b}.
     *
     * @param input its input, {@code [batch, in]} or {@code [batch, positions, in]}
     * @param probe a zero leaf of the output's shape added to the output, recording gradients
     */
    record LinearTrace(String weight, String bias, NDArray input, NDArray probe) implements Trace {

        /** A trace of {@code input} with a fresh probe of {@code out} columns in the input's manager. */
        static LinearTrace of(String weight, String bias, NDArray input, int out) {
            NDArray probe = input.getManager().zeros(new Shape(input.getShape().get(0), out));
            probe.setRequiresGradient(true);
            return new LinearTrace(weight, bias, input, probe);
        }

        /** Each example's gradient of the layer's output: the probe's gradient. */
        NDArray outputGradient() {
            return probe.getGradient();
        }

        private NDArray a3() {
            return input.reshape(input.getShape().get(0), -1, input.getShape().getLastDimension());
        }

        private NDArray g3() {
            NDArray g = outputGradient();
            return g.reshape(g.getShape().get(0), -1, g.getShape().getLastDimension());
        }

        @Override
        public NDArray squaredNorms() {
            NDArray a = a3();
            NDArray g = g3();
            NDArray bias = g.sum(new int[] {1}).square().sum(new int[] {1});
            if (a.getShape().get(1) == 1) {
                return g.square().sum(new int[] {1, 2}).mul(a.square().sum(new int[] {1, 2})).add(bias);
            }
            NDArray aa = a.matMul(a.transpose(0, 2, 1));
            NDArray gg = g.matMul(g.transpose(0, 2, 1));
            return aa.mul(gg).sum(new int[] {1, 2}).add(bias);
        }

        @Override
        public void addClippedSums(NDArray factors, Map<String, NDArray> sums) {
            NDArray g = g3().mul(factors.reshape(-1, 1, 1));
            NDArray a = a3();
            long out = g.getShape().get(2);
            add(sums, weight, g.reshape(-1, out).transpose().matMul(a.reshape(-1, a.getShape().get(2))));
            add(sums, bias, g.sum(new int[] {0, 1}));
        }
    }

    /**
     * A LayerNorm's affine part {@code y = xhat * gamma + beta}.
     *
     * @param normalized xhat, {@code [batch, positions, hidden]}
     * @param probe a zero leaf of the output's shape added to the output, recording gradients
     */
    record AffineTrace(String gamma, String beta, NDArray normalized, NDArray probe) implements Trace {

        private NDArray gammaGradients() {
            return probe.getGradient().mul(normalized).sum(new int[] {1});
        }

        private NDArray betaGradients() {
            return probe.getGradient().sum(new int[] {1});
        }

        @Override
        public NDArray squaredNorms() {
            return gammaGradients().square().sum(new int[] {1}).add(betaGradients().square().sum(new int[] {1}));
        }

        @Override
        public void addClippedSums(NDArray factors, Map<String, NDArray> sums) {
            NDArray f = factors.reshape(-1, 1);
            add(sums, gamma, gammaGradients().mul(f).sum(new int[] {0}));
            add(sums, beta, betaGradients().mul(f).sum(new int[] {0}));
        }
    }

    private static void add(Map<String, NDArray> sums, String name, NDArray value) {
        sums.merge(name, value, NDArray::add);
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        NDArray out = Linear.linear(x, weight, bias).head();
        NDArray probe = probe(out);
        traces.add(new LinearTrace(weight.getName(), bias.getName(), x, probe));
        return out.add(probe);
    }

    @Override
    public NDArray affine(NDArray normalized, NDArray gamma, NDArray beta) {
        NDArray out = normalized.mul(gamma).add(beta);
        NDArray probe = probe(out);
        traces.add(new AffineTrace(gamma.getName(), beta.getName(), normalized, probe));
        return out.add(probe);
    }

    private static NDArray probe(NDArray like) {
        NDArray probe = like.getManager().zeros(like.getShape());
        probe.setRequiresGradient(true);
        return probe;
    }

    /** The steps watched so far, in forward order. */
    List<Trace> traces() {
        return traces;
    }

    /** The norm of each example's gradient over all {@code traces}, {@code [batch]}. */
    static NDArray perExampleNorms(List<? extends Trace> traces) {
        NDArray squares = null;
        for (Trace t : traces) {
            NDArray s = t.squaredNorms();
            squares = squares == null ? s : squares.add(s);
        }
        return squares.sqrt();
    }

    /** min(1, C / norm) per example: the factor that clips its gradient to norm {@code clip} (infinite: 1). */
    static NDArray clipFactors(NDArray norms, double clip) {
        if (Double.isInfinite(clip)) {
            return norms.onesLike();
        }
        return norms.add(1e-12f).pow(-1f).mul((float) clip).minimum(1f);
    }

    /** Each example's full weight gradient of a layer with one position, {@code [batch, out, in]}: for checking. */
    static NDArray perExampleWeightGradients(LinearTrace t) {
        return t.outputGradient().expandDims(2).matMul(t.input().expandDims(1));
    }

    /**
     * The private gradient of every traced tensor by name: the per-example gradients clipped to
     * {@code clip}, summed, plus noise {@code N(0, (sigma clip)^2)}, divided by {@code expectedBatch}.
     * Arrays live in the inputs' manager; run with gradient recording off.
     */
    static Map<String, NDArray> privateGradients(List<? extends Trace> traces, double clip, double sigma,
                                                 double expectedBatch) {
        NDArray factors = clipFactors(perExampleNorms(traces), clip);
        Map<String, NDArray> sums = new LinkedHashMap<>();
        for (Trace t : traces) {
            t.addClippedSums(factors, sums);
        }
        return noisyMean(sums, sigma * clip, expectedBatch);
    }

    /** {@code (sum + N(0, std^2)) / expectedBatch} for every tensor, noise from the engine's seeded generator. */
    static Map<String, NDArray> noisyMean(Map<String, NDArray> sums, double std, double expectedBatch) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : sums.entrySet()) {
            NDArray s = e.getValue();
            NDManager m = s.getManager();
            NDArray noisy = std > 0 ? s.add(m.randomNormal(0f, (float) std, s.getShape(), DataType.FLOAT32)) : s;
            out.put(e.getKey(), noisy.div((float) expectedBatch));
        }
        return out;
    }
}
