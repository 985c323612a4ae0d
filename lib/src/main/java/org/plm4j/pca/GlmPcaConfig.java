package org.plm4j.pca;

import java.util.Locale;

/**
 * Settings of {@link GlmPca#fit(double[][], double[][], GlmPcaConfig)}: build with
 * {@link #builder()} ({@code setFamily} required, the rest optional, defaults in the
 * {@code DEFAULT_*} constants) or the presets {@link #poisson(int)} and
 * {@link #negativeBinomial(int, double)}.
 *
 * @param family the count distribution
 * @param components number of latent dimensions L &ge; 1
 * @param theta negative binomial dispersion &theta; &gt; 0 (variance {@code mu + mu^2 / theta}),
 *     fixed during the fit; ignored (NaN) for Poisson
 * @param penalty L2 penalty &ge; 0 on the factors and loadings (not on intercepts or covariate
 *     coefficients), as glmpca's {@code penalty}
 * @param maxIterations upper bound on the alternating passes
 * @param tolerance stop when the relative deviance change
 *     {@code |dev_t - dev_{t-1}| / (0.1 + |dev_{t-1}|)} falls below it (glmpca's rule)
 * @param sizeFactors if true, each row gets the offset log(size factor), its total count over
 *     the geometric mean of the totals; if false no offsets
 * @param seed seed of the start: the randomized PCA of log1p(counts / size factor)
 */
public record GlmPcaConfig(Family family, int components, double theta, double penalty, int maxIterations,
        double tolerance, boolean sizeFactors, long seed) {

    public static final int DEFAULT_COMPONENTS = 2;
    /** glmpca's starting dispersion for the negative binomial. */
    public static final double DEFAULT_THETA = 100;
    public static final double DEFAULT_PENALTY = 1;
    public static final int DEFAULT_MAX_ITERATIONS = 200;
    public static final double DEFAULT_TOLERANCE = 1e-4;
    public static final boolean DEFAULT_SIZE_FACTORS = true;
    public static final long DEFAULT_SEED = 42L;

    /** The count distribution of a {@link GlmPca} model (log link for both). */
    public enum Family {
        /** Poisson: variance = mean. */
        POISSON,
        /** Negative binomial with fixed dispersion theta: variance = mean + mean&sup2; / theta. */
        NEGATIVE_BINOMIAL;

        /**
         * Parses {@code poisson} / {@code glm-poisson} or {@code nb} / {@code negative-binomial} /
         * {@code glm-nb}.
         *
         * @throws IllegalArgumentException naming the text and the accepted forms
         */
        public static Family parse(String s) {
            String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replaceFirst("^glm-", "");
            return switch (t) {
                case "poisson" -> POISSON;
                case "nb", "negative-binomial", "negative_binomial" -> NEGATIVE_BINOMIAL;
                default -> throw new IllegalArgumentException("family '" + s + "' is not known; use poisson or nb");
            };
        }
    }

    /** Validates every field, naming the one that is wrong. */
    public GlmPcaConfig {
        if (family == null) {
            throw new IllegalArgumentException("family must be set: setFamily(Family.POISSON) or NEGATIVE_BINOMIAL");
        }
        if (components < 1) {
            throw new IllegalArgumentException("components must be >= 1, got " + components);
        }
        if (family == Family.NEGATIVE_BINOMIAL && (!(theta > 0) || Double.isInfinite(theta))) {
            throw new IllegalArgumentException("the negative binomial dispersion theta must be a finite number > 0, got "
                    + theta + " (large theta approaches Poisson; use Family.POISSON for that)");
        }
        if (!(penalty >= 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("penalty must be a finite number >= 0, got " + penalty);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        if (family == Family.POISSON) {
            theta = Double.NaN;
        }
    }

    /** Poisson GLM-PCA with {@code k} components, other settings default. */
    public static GlmPcaConfig poisson(int k) {
        return builder().setFamily(Family.POISSON).optComponents(k).build();
    }

    /** Negative binomial GLM-PCA with {@code k} components and dispersion {@code theta}. */
    public static GlmPcaConfig negativeBinomial(int k, double theta) {
        return builder().setFamily(Family.NEGATIVE_BINOMIAL).optComponents(k).optTheta(theta).build();
    }

    /** A builder with every default and no family. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder().setFamily(family).optComponents(components).optPenalty(penalty)
                .optMaxIterations(maxIterations).optTolerance(tolerance).optSizeFactors(sizeFactors).optSeed(seed);
        return family == Family.NEGATIVE_BINOMIAL ? b.optTheta(theta) : b;
    }

    /** Builds a {@link GlmPcaConfig}: {@code setFamily} is required. */
    public static final class Builder {
        private Family family;
        private int components = DEFAULT_COMPONENTS;
        private double theta = DEFAULT_THETA;
        private double penalty = DEFAULT_PENALTY;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;
        private double tolerance = DEFAULT_TOLERANCE;
        private boolean sizeFactors = DEFAULT_SIZE_FACTORS;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        public Builder setFamily(Family family) {
            this.family = family;
            return this;
        }

        public Builder optComponents(int k) {
            components = k;
            return this;
        }

        /** The negative binomial dispersion (ignored for Poisson). */
        public Builder optTheta(double theta) {
            this.theta = theta;
            return this;
        }

        public Builder optPenalty(double penalty) {
            this.penalty = penalty;
            return this;
        }

        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        public Builder optSizeFactors(boolean sizeFactors) {
            this.sizeFactors = sizeFactors;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validates and builds; a bad value is named with what was found. */
        public GlmPcaConfig build() {
            return new GlmPcaConfig(family, components, theta, penalty, maxIterations, tolerance, sizeFactors, seed);
        }
    }
}
