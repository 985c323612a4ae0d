package org.plm4j.finetune;

/** The training loss of a classification head. */
public enum LossFunction {
    /** Cross-entropy (optionally class-weighted: weighted mean over the batch, as PyTorch does). */
    CROSS_ENTROPY,
    /**
     * Label-distribution-aware margin loss (Cao et al. 2019): the logit of the true class is lowered
     * by a margin proportional to n_c^(-1/4) (largest margin {@code ldamMaxMargin}) and the logits
     * are multiplied by {@code ldamScale} before (optionally weighted) cross-entropy. Rare classes
     * get larger margins. ValizadehAslani et al. use it with effective-number weights in stage 1.
     */
    LDAM;

    /** Parses {@code ce} / {@code cross-entropy} or {@code ldam}. */
    public static LossFunction parse(String s) {
        String k = s.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        return switch (k) {
            case "ce", "cross_entropy", "crossentropy" -> CROSS_ENTROPY;
            case "ldam" -> LDAM;
            default -> throw new IllegalArgumentException("unknown loss '" + s + "'; use ce or ldam");
        };
    }

    /**
     * LDAM's per-class margins: proportional to {@code n_c^(-1/4)} for class counts {@code n_c}, scaled
     * so the rarest class gets {@code maxMargin}.
     */
    static float[] ldamMargins(int[] counts, double maxMargin) {
        float[] margins = new float[counts.length];
        double largest = 0;
        for (int j = 0; j < counts.length; j++) {
            margins[j] = (float) Math.pow(counts[j], -0.25);
            largest = Math.max(largest, margins[j]);
        }
        for (int j = 0; j < counts.length; j++) {
            margins[j] = (float) (margins[j] * maxMargin / largest);
        }
        return margins;
    }
}
