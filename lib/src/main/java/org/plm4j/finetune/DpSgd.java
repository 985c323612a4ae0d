package org.plm4j.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DP-SGD's gradient (Abadi et al. 2016) for linear layers, batched: every example's gradient is
 * clipped to norm C, the clipped gradients are summed, Gaussian noise of standard deviation
 * sigma * C is added and the sum is divided by the expected batch size.
 *
 * <p>No loop over examples: a linear layer {@code z = W a + b} has the per-example weight gradient
 * {@code g_i a_i^T} (g_i = dLoss_i/dz_i), so its squared norm is {@code ||g_i||^2 (||a_i||^2 + 1)}
 * with the bias ("ghost clipping": the norms without the per-example gradients), and the clipped
 * sum is one matrix product {@code (f * G)^T A} with the clipping factors f. The output gradients G
 * come from autograd through a zero "probe" added to the layer's output, with the loss summed over
 * examples (each example's loss depends on its own row only).
 */
final class DpSgd {

    private DpSgd() {}

    /**
     * One linear layer as DP-SGD sees it.
     *
     * @param weight name of its weight ({@code [out, in]})
     * @param bias name of its bias ({@code [out]})
     * @param input its input, {@code [batch, in]}
     * @param probe a zero leaf {@code [batch, out]} added to its output, recording gradients
     */
    record LinearTrace(String weight, String bias, NDArray input, NDArray probe) {

        /** A trace of {@code input} with a fresh probe of {@code out} columns in the input's manager. */
        static LinearTrace of(String weight, String bias, NDArray input, int out) {
            NDArray probe = input.getManager().zeros(new ai.djl.ndarray.types.Shape(input.getShape().get(0), out));
            probe.setRequiresGradient(true);
            return new LinearTrace(weight, bias, input, probe);
        }

        /** Each example's gradient of the layer's output: the probe's gradient, {@code [batch, out]}. */
        NDArray outputGradient() {
            return probe.getGradient();
        }
    }

    /** The norm of each example's gradient over all {@code layers} (weights and biases), {@code [batch]}. */
    static NDArray perExampleNorms(List<LinearTrace> layers) {
        NDArray squares = null;
        for (LinearTrace t : layers) {
            NDArray gg = t.outputGradient().square().sum(new int[] {1});
            NDArray aa = t.input().square().sum(new int[] {1});
            NDArray term = gg.mul(aa.add(1f));
            squares = squares == null ? term : squares.add(term);
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

    /** Each example's full weight gradient, {@code [batch, out, in]}: for checking, not for training. */
    static NDArray perExampleWeightGradients(LinearTrace t) {
        return t.outputGradient().expandDims(2).matMul(t.input().expandDims(1));
    }

    /**
     * The private gradient of each layer's weight and bias by name: the per-example gradients clipped
     * to {@code clip}, summed, plus noise {@code N(0, (sigma clip)^2)}, divided by {@code expectedBatch}.
     * Arrays live in the inputs' manager.
     */
    static Map<String, NDArray> privateGradients(List<LinearTrace> layers, double clip, double sigma,
                                                 double expectedBatch) {
        NDArray factors = clipFactors(perExampleNorms(layers), clip).expandDims(1);
        Map<String, NDArray> sums = new LinkedHashMap<>();
        for (LinearTrace t : layers) {
            NDArray g = t.outputGradient().mul(factors);
            sums.put(t.weight(), g.transpose().matMul(t.input()));
            sums.put(t.bias(), g.sum(new int[] {0}));
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
