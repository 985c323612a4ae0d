package org.plm4j.finetune;

import java.util.Arrays;

/**
 * Per-class loss weights for class-imbalanced training. Weights are normalised to sum to the
 * number of classes (so the loss keeps its scale, as in Cui et al.'s code).
 */
public enum ClassWeighting {
    /** Every class weighs 1. */
    NONE,
    /** Weight proportional to 1 / n_c. */
    INVERSE_FREQUENCY,
    /**
     * Class-balanced weights by the effective number of samples (Cui et al. 2019):
     * weight proportional to (1 - beta) / (1 - beta^n_c); beta = 0 gives uniform weights, beta -> 1
     * approaches inverse frequency.
     */
    EFFECTIVE_NUMBER;

    /**
     * The weight of each class.
     *
     * @param counts training examples per class (each > 0)
     * @param beta the effective-number hyper-parameter in [0, 1) (only {@link #EFFECTIVE_NUMBER} uses it)
     */
    public double[] weights(int[] counts, double beta) {
        int c = counts.length;
        double[] w = new double[c];
        for (int i = 0; i < c; i++) {
            if (counts[i] <= 0) {
                throw new IllegalArgumentException("class " + i + " has no training examples; every class needs"
                        + " at least one to be weighted (counts " + Arrays.toString(counts) + ")");
            }
            w[i] = switch (this) {
                case NONE -> 1.0;
                case INVERSE_FREQUENCY -> 1.0 / counts[i];
                case EFFECTIVE_NUMBER -> (1.0 - beta) / (1.0 - Math.pow(beta, counts[i]));
            };
        }
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i < c; i++) {
            w[i] = w[i] / sum * c;
        }
        return w;
    }

    /** Parses {@code none}, {@code inverse} or {@code effective} (case-insensitive, full names too). */
    public static ClassWeighting parse(String s) {
        String k = s.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        return switch (k) {
            case "none" -> NONE;
            case "inverse", "inverse_frequency" -> INVERSE_FREQUENCY;
            case "effective", "effective_number", "class_balanced", "cb" -> EFFECTIVE_NUMBER;
            default -> throw new IllegalArgumentException("unknown class weighting '" + s
                    + "'; use none, inverse or effective");
        };
    }
}
