package org.plm4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.plm4j.model.CheckpointException;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;

/**
 * AdamW (Loshchilov &amp; Hutter) with decoupled weight decay, bias correction and global
 * gradient-norm clipping, over a model's parameters. Its moment estimates live in a manager
 * owned by this object and freed by {@link #close()}; per-step temporaries live in the step's
 * manager. Must run with gradient recording off (after the GradientCollector is closed).
 *
 * <p>Owned by {@link TrainingLoop}: it updates exactly the tensors it is given (fine-tuning
 * passes only the unfrozen ones). DJL's own {@code ai.djl.training.optimizer.Adam} works per
 * parameter through a {@code ParameterStore} of a {@code Block}; plm4j's models are plain named
 * tensors, and one flat buffer per moment makes an update a handful of large native calls.
 */
final class AdamW implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex(":");

    private final OptimizerSettings config;
    private final NDManager stateManager;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final boolean[] decay;
    private final long[] splits;
    private final NDArray flatMean;
    private final NDArray flatVariance;
    private int t;

    /** An optimiser over all of a model's parameters (biases and LayerNorm exempt from decay, as in BERT). */
    AdamW(MaskedLanguageModel model, OptimizerSettings settings) {
        this(model.manager(), model.parameters(), settings, MaskedLanguageModel::noWeightDecay);
    }

    /**
     * An optimiser over the given tensors.
     *
     * @param owner the manager under which the moment buffers live (freed by {@link #close()})
     * @param params the tensors to update, by name; each must have a gradient attached
     * @param noDecay which names are exempt from weight decay
     */
    AdamW(NDManager owner, Map<String, NDArray> params, OptimizerSettings settings, Predicate<String> noDecay) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("nothing to optimise: no trainable parameters were given");
        }
        this.config = settings;
        this.stateManager = owner.newSubManager();
        decay = new boolean[params.size()];
        splits = new long[Math.max(0, params.size() - 1)];
        long total = 0;
        int i = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            names.add(e.getKey());
            weights.add(e.getValue());
            decay[i] = !noDecay.test(e.getKey());
            total += e.getValue().getShape().size();
            if (i < splits.length) {
                splits[i] = total;
            }
            i++;
        }
        // the moments of all tensors live in one flat buffer each (the per-tensor arrays are views), so
        // an update is a handful of large native ops instead of a dozen small ones per tensor
        flatMean = stateManager.zeros(new Shape(total));
        flatVariance = stateManager.zeros(new Shape(total));
        NDList mv = parts(flatMean);
        NDList vv = parts(flatVariance);
        for (int j = 0; j < weights.size(); j++) {
            Shape sh = weights.get(j).getShape();
            means.add(mv.get(j).reshape(sh));
            variances.add(vv.get(j).reshape(sh));
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
        NDList flatGrads = new NDList(n);
        for (int i = 0; i < n; i++) {
            NDArray g = weights.get(i).getGradient();
            g.attach(stepManager);
            grads[i] = g;
            flatGrads.add(g.reshape(-1));
        }
        NDArray g = NDArrays.concat(flatGrads, 0);
        NDArray gg = g.square();
        double norm = Math.sqrt(gg.sum().getFloat());
        float clip = 1f;
        if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
            clip = (float) (config.maxGradNorm() / (norm + 1e-6));
        }
        if (!Double.isFinite(norm)) {
            zero(grads);
            throw new IllegalStateException("the gradient norm became " + norm + " at step " + t
                    + "; try a lower learning rate (now " + lr + ") or gradient clipping");
        }
        float b1 = config.beta1();
        float b2 = config.beta2();
        float bc1 = (float) (1 - Math.pow(b1, t));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(b2, t));
        float stepSize = lr / bc1;
        // m = b1 m + (1 - b1) clip g;  v = b2 v + (1 - b2) clip^2 g^2 (clipping folded into the factors).
        // g, gg and sqrt(v) are this step's only fresh parameter-sized arrays; the update is written into
        // g (a fresh array costs more in first-touch page faults than in arithmetic). DJL has no in-place
        // sqrt, and pow(v, 0.5) in place rounds differently from sqrt
        flatMean.muli(b1).addi(g.muli(clip * (1 - b1)));
        flatVariance.muli(b2).addi(gg.muli(clip * clip * (1 - b2)));
        // update = stepSize * m / (sqrt(v) / bc2Sqrt + eps); decoupled decay w *= 1 - lr wd first
        NDArray denom = flatVariance.sqrt();
        denom.attach(stepManager);
        denom.divi(bc2Sqrt).addi(config.epsilon());
        NDArray update = g;
        update.set(ALL, flatMean);
        update.divi(denom).muli(stepSize);
        NDList parts = parts(update);
        float wdFactor = 1f - lr * config.weightDecay();
        for (int i = 0; i < n; i++) {
            NDArray w = weights.get(i);
            if (decay[i] && config.weightDecay() > 0) {
                w.muli(wdFactor);
            }
            w.subi(parts.get(i).reshape(w.getShape()));
        }
        zero(grads);
        return norm;
    }

    /** Number of updates applied so far. */
    int stepCount() {
        return t;
    }

    /** Writes the moment estimates as safetensors ({@code m.NAME}, {@code v.NAME}). */
    void save(Path file) throws IOException {
        NDList list = new NDList();
        for (int i = 0; i < names.size(); i++) {
            NDArray m = means.get(i).duplicate();
            m.setName("m." + names.get(i));
            NDArray v = variances.get(i).duplicate();
            v.setName("v." + names.get(i));
            list.add(m);
            list.add(v);
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            list.encode(os, NDList.Encoding.SAFETENSORS);
        } finally {
            list.close();
        }
    }

    /**
     * Restores moments written by {@link #save(Path)} and the update count {@code steps}.
     *
     * @throws CheckpointException if the file is unreadable or its tensors do not match the model
     */
    void load(Path file, int steps) {
        try (NDManager tmp = EngineSetup.engine().newBaseManager(); InputStream is = Files.newInputStream(file)) {
            NDList list;
            try {
                list = NDList.decode(tmp, is);
            } catch (RuntimeException e) {
                throw new CheckpointException(file + " is not a readable safetensors file (" + e.getMessage()
                        + "); the checkpoint is corrupt, resume from an earlier one", e);
            }
            java.util.Map<String, NDArray> byName = new java.util.HashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            NDList ms = new NDList();
            NDList vs = new NDList();
            for (int i = 0; i < names.size(); i++) {
                ms.add(restore(file, byName.get("m." + names.get(i)), means.get(i), "m." + names.get(i)));
                vs.add(restore(file, byName.get("v." + names.get(i)), variances.get(i), "v." + names.get(i)));
            }
            // copy in place (NDArray.set(Buffer) would replace the storage under the per-tensor views)
            flatMean.set(new NDIndex(":"), NDArrays.concat(ms, 0));
            flatVariance.set(new NDIndex(":"), NDArrays.concat(vs, 0));
            if (byName.size() != 2 * names.size()) {
                throw new CheckpointException(file + " holds " + byName.size() + " optimizer tensors, expected "
                        + 2 * names.size() + "; it belongs to another architecture");
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
        t = steps;
    }

    private static NDArray restore(Path file, NDArray from, NDArray into, String name) {
        if (from == null || !from.getShape().equals(into.getShape())) {
            throw new CheckpointException(file + ": optimizer tensor '" + name + "' is "
                    + (from == null ? "missing" : from.getShape().toString()) + ", expected " + into.getShape()
                    + "; the checkpoint belongs to another architecture");
        }
        return from.reshape(-1);
    }

    private NDList parts(NDArray flat) {
        return splits.length == 0 ? new NDList(flat) : flat.split(splits);
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
