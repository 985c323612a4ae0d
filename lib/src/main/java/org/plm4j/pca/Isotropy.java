package org.plm4j.pca;

/**
 * How evenly an embedding space is used: the effective rank of a spectrum (over how many
 * directions the variance is really spread) and the mean cosine between vectors (anisotropy: near
 * 1 when all vectors point one way, near 0 when their directions are spread out).
 *
 * <pre>{@code
 * PcaResult p = Pca.fit(x, PcaConfig.of(Math.min(x.length, x[0].length)));
 * double erank = Isotropy.effectiveRank(p.explainedVariance());
 * double anisotropy = Isotropy.meanCosine(x);
 * }</pre>
 *
 * <p>Bad input (null, empty, negative or non-finite values, zero vectors) throws an
 * {@link IllegalArgumentException} that names the problem.
 */
public final class Isotropy {

    private Isotropy() {
    }

    /**
     * The effective rank (Roy &amp; Vetterli 2007) of a spectrum: {@code exp(H(p))}, with
     * {@code p = values / sum(values)} and H the Shannon entropy (natural log, 0 log 0 = 0). It is
     * 1 when one value holds everything and {@code m} when m values are equal and the rest 0. Pass
     * a PCA's explained variances (the eigenvalues of the covariance matrix, best all of them) for
     * the effective rank of the covariance matrix; values need not be normalised or sorted.
     *
     * @param values non-negative, finite, not all 0
     * @return a value in [1, values.length]
     * @throws IllegalArgumentException if a value is negative or not finite, or all are 0
     */
    public static double effectiveRank(double[] values) {
        Checks.vector("values", values);
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException("values[" + i + "] is " + values[i]
                        + "; a spectrum is non-negative (pass variances or singular values, not signed coordinates)");
            }
            sum += values[i];
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("the " + values.length + " values sum to 0; the effective rank needs"
                    + " at least one positive value");
        }
        double entropy = 0;
        for (double v : values) {
            if (v > 0) {
                double p = v / sum;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /**
     * The mean cosine similarity over all pairs of distinct rows of {@code vectors} (each pair
     * once). Computed in O(n d) from the sum of the unit vectors, since the mean over pairs is
     * {@code (|sum of unit vectors|^2 - n) / (n (n - 1))}.
     *
     * @param vectors at least two rows of the same length, finite, none of them zero
     * @return a value in [-1, 1]
     * @throws IllegalArgumentException if there are fewer than two rows, a row is ragged, not
     *     finite or zero
     */
    public static double meanCosine(double[][] vectors) {
        int d = Checks.matrix("vectors", vectors, 2);
        int n = vectors.length;
        double[] sum = new double[d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (double x : vectors[i]) {
                s += x * x;
            }
            if (!(s > 0)) {
                throw new IllegalArgumentException("vectors[" + i + "] is the zero vector, which has no direction;"
                        + " drop it (an empty text?) before measuring cosines");
            }
            double norm = Math.sqrt(s);
            for (int j = 0; j < d; j++) {
                sum[j] += vectors[i][j] / norm;
            }
        }
        double squared = 0;
        for (double x : sum) {
            squared += x * x;
        }
        return Math.max(-1, Math.min(1, (squared - n) / ((double) n * (n - 1))));
    }
}
