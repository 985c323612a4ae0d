package org.plm4j.pca;

/**
 * Settings of {@link Pca#fit(double[][], PcaConfig)}.
 *
 * @param components number of principal components to keep, {@code k >= 1}; must not exceed the
 *     number of columns nor the number of rows (checked at fit time, with both numbers)
 * @param method how the decomposition is computed (see {@link Method})
 */
public record PcaConfig(int components, Method method) {

    public static final int DEFAULT_COMPONENTS = 2;
    public static final Method DEFAULT_METHOD = Method.AUTO;

    /** How the principal axes are computed. */
    public enum Method {
        /** {@link #COVARIANCE} when rows &gt;= 2 &times; columns, else {@link #SVD}. */
        AUTO,
        /**
         * Symmetric eigendecomposition of the d &times; d covariance matrix: one O(n d&sup2;) pass
         * over the data plus O(d&sup3;), fast for n &gg; d; relative accuracy of the small
         * eigenvalues is limited by squaring the condition number.
         */
        COVARIANCE,
        /** Thin SVD of the centred n &times; d matrix: the most accurate, slower for tall data. */
        SVD
    }

    /** Validates {@code components}. */
    public PcaConfig {
        if (components < 1) {
            throw new IllegalArgumentException("components must be >= 1, got " + components);
        }
        if (method == null) {
            throw new IllegalArgumentException("method must not be null (use Method.AUTO)");
        }
    }

    /** {@code k} components, automatic method. */
    public static PcaConfig of(int k) {
        return new PcaConfig(k, DEFAULT_METHOD);
    }

    /** Two components (for a 2-D plot), automatic method. */
    public static PcaConfig defaults() {
        return of(DEFAULT_COMPONENTS);
    }

    /** A copy with another method. */
    public PcaConfig withMethod(Method m) {
        return new PcaConfig(components, m);
    }
}
