package org.plm4j.pca;

import java.util.Locale;

/**
 * Settings of {@link Pca#fit(double[][], PcaConfig)}. Build one with a factory and adjust it with
 * the {@code withX} copies: {@code PcaConfig.of(50)}, {@code PcaConfig.keepVariance(0.9)},
 * {@code PcaConfig.optimal().toBuilder().optWhiten(true).build()}, {@code PcaConfig.builder().optComponents(50).optMethod(Method.RANDOMIZED).build()}.
 * Every default lives in the {@code DEFAULT_*} constants.
 *
 * @param components number of components {@code k >= 1} for {@link Truncation#FIXED} (must not
 *     exceed the number of columns nor of rows, checked at fit time with both numbers); ignored
 *     (0) for the other truncations, which choose k from the spectrum
 * @param method how the decomposition is computed (see {@link Method})
 * @param truncation how k is chosen (see {@link Truncation})
 * @param varianceFraction for {@link Truncation#VARIANCE_FRACTION}: the smallest k whose
 *     cumulative explained-variance ratio reaches this fraction, in (0, 1]; NaN otherwise
 * @param whiten if true, {@link PcaResult#transform} divides each coordinate by the square root
 *     of its explained variance (unit-variance outputs, as scikit-learn's {@code whiten=True})
 * @param oversampling randomized solver: extra random directions beyond k (Halko et al. use 5-10)
 * @param powerIterations randomized solver: power (subspace) iterations after the first
 *     application of {@code XᵀX}; more iterations sharpen slowly decaying spectra
 * @param seed randomized solver: seed of the Gaussian start matrix
 */
public record PcaConfig(int components, Method method, Truncation truncation, double varianceFraction,
        boolean whiten, int oversampling, int powerIterations, long seed) {

    public static final int DEFAULT_COMPONENTS = 2;
    public static final Method DEFAULT_METHOD = Method.AUTO;
    public static final int DEFAULT_OVERSAMPLING = 10;
    public static final int DEFAULT_POWER_ITERATIONS = 4;
    public static final long DEFAULT_SEED = 42L;

    /** How the principal axes are computed. */
    public enum Method {
        /**
         * {@link #RANDOMIZED} for large matrices (n &times; d &ge; 2<sup>24</sup> values) when a fixed
         * k &le; min(n, d) / 10 is asked for, otherwise {@link #FULL}.
         */
        AUTO,
        /** Exact: {@link #COVARIANCE} when rows &ge; 2 &times; columns, else {@link #SVD}. */
        FULL,
        /**
         * Exact: symmetric eigendecomposition of the d &times; d scatter matrix: one O(n d&sup2;)
         * GEMM plus O(d&sup3;), fast for n &gg; d; relative accuracy of the small eigenvalues is
         * limited by squaring the condition number (ratios stay accurate to ~1e-15 of the total).
         */
        COVARIANCE,
        /** Exact: thin SVD of the centred n &times; d matrix (EJML): the most accurate, slower. */
        SVD,
        /**
         * Randomized subspace iteration (Halko, Martinsson &amp; Tropp 2011) with
         * {@code oversampling} and {@code powerIterations}, seeded: O(n d (k + p)) per iteration;
         * needs a fixed k.
         */
        RANDOMIZED
    }

    /** How the number of components is chosen. */
    public enum Truncation {
        /** Exactly {@code components}. */
        FIXED,
        /** The fewest components whose cumulative ratio reaches {@code varianceFraction}. */
        VARIANCE_FRACTION,
        /**
         * Gavish &amp; Donoho's optimal hard threshold for singular values with unknown noise
         * level (see {@link Pca#optimalThreshold(double[], int, int)}).
         */
        OPTIMAL
    }

    /** Validates every field, naming the one that is wrong. */
    public PcaConfig {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null (use Method.AUTO)");
        }
        if (truncation == null) {
            throw new IllegalArgumentException("truncation must not be null (use Truncation.FIXED)");
        }
        if (truncation == Truncation.FIXED && components < 1) {
            throw new IllegalArgumentException("components must be >= 1, got " + components);
        }
        if (truncation == Truncation.VARIANCE_FRACTION && !(varianceFraction > 0 && varianceFraction <= 1)) {
            throw new IllegalArgumentException("varianceFraction must be in (0, 1], got " + varianceFraction);
        }
        if (truncation != Truncation.FIXED && method == Method.RANDOMIZED) {
            throw new IllegalArgumentException("the randomized solver computes only k components and cannot choose k by "
                    + truncation + "; use a fixed number of components or Method.FULL");
        }
        if (oversampling < 0) {
            throw new IllegalArgumentException("oversampling must be >= 0, got " + oversampling);
        }
        if (powerIterations < 0) {
            throw new IllegalArgumentException("powerIterations must be >= 0, got " + powerIterations);
        }
    }

    /** {@code k} fixed components with the given method, other settings default. */
    public PcaConfig(int components, Method method) {
        this(components, method, Truncation.FIXED, Double.NaN, false, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS,
                DEFAULT_SEED);
    }

    /** {@code k} components, automatic method. */
    public static PcaConfig of(int k) {
        return new PcaConfig(k, DEFAULT_METHOD);
    }

    /** Two components (for a 2-D plot), automatic method. */
    public static PcaConfig defaults() {
        return of(DEFAULT_COMPONENTS);
    }

    /** The fewest components that keep {@code fraction} of the total variance (exact solver). */
    public static PcaConfig keepVariance(double fraction) {
        return new PcaConfig(0, Method.FULL, Truncation.VARIANCE_FRACTION, fraction, false, DEFAULT_OVERSAMPLING,
                DEFAULT_POWER_ITERATIONS, DEFAULT_SEED);
    }

    /** Gavish–Donoho optimal hard threshold with unknown noise (exact solver). */
    public static PcaConfig optimal() {
        return new PcaConfig(0, Method.FULL, Truncation.OPTIMAL, Double.NaN, false, DEFAULT_OVERSAMPLING,
                DEFAULT_POWER_ITERATIONS, DEFAULT_SEED);
    }

    /**
     * Parses a component spec as the {@code %pca} magic takes it: an integer {@code "10"}, a
     * fraction of variance {@code "0.9"}, or {@code "optimal"}.
     *
     * @throws IllegalArgumentException naming the text and the three accepted forms
     */
    public static PcaConfig parse(String components) {
        String s = components == null ? "" : components.trim().toLowerCase(Locale.ROOT);
        if (s.equals("optimal")) {
            return optimal();
        }
        try {
            if (s.matches("\\d+")) {
                return of(Integer.parseInt(s));
            }
            double f = Double.parseDouble(s);
            if (f > 0 && f < 1) {
                return keepVariance(f);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("components '" + components + "' is not understood; use an integer k >= 1 "
                + "(e.g. 10), a fraction of variance to keep in (0, 1) (e.g. 0.9), or 'optimal'");
    }

    /** A builder holding this configuration's values (the presets above are starting points). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.components = components;
        b.method = method;
        b.truncation = truncation;
        b.varianceFraction = varianceFraction;
        b.whiten = whiten;
        b.oversampling = oversampling;
        b.powerIterations = powerIterations;
        b.seed = seed;
        return b;
    }

    /** A builder with the defaults of {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** Builds a {@link PcaConfig}; every field is optional. */
    public static final class Builder {
        private int components;
        private Method method;
        private Truncation truncation;
        private double varianceFraction;
        private boolean whiten;
        private int oversampling;
        private int powerIterations;
        private long seed;

        private Builder() {}

        /** Keep {@code k} components (a fixed truncation). */
        public Builder optComponents(int k) {
            components = k;
            truncation = Truncation.FIXED;
            varianceFraction = Double.NaN;
            return this;
        }

        /** The solver. */
        public Builder optMethod(Method m) {
            method = m;
            return this;
        }

        /** Scale the projected components to unit variance. */
        public Builder optWhiten(boolean w) {
            whiten = w;
            return this;
        }

        /** The randomized solver's oversampling, power iterations and seed. */
        public Builder optRandomized(int oversampling, int powerIterations, long seed) {
            this.oversampling = oversampling;
            this.powerIterations = powerIterations;
            this.seed = seed;
            return this;
        }

        /** Validates and builds; a bad value is named with what was found. */
        public PcaConfig build() {
            return new PcaConfig(components, method, truncation, varianceFraction, whiten, oversampling,
                    powerIterations, seed);
        }
    }

    /** A short description of the truncation, e.g. {@code "k = 10"}, {@code "90 % of variance"}, {@code "optimal"}. */
    public String describeTruncation() {
        return switch (truncation) {
            case FIXED -> "k = " + components;
            case VARIANCE_FRACTION -> String.format(Locale.ROOT, "%.4g of variance", varianceFraction);
            case OPTIMAL -> "Gavish-Donoho optimal";
        };
    }
}
