package org.plm4j.pca;

/**
 * Settings of {@link GiniPca#fit(double[][], GiniPcaConfig)}: build with {@link #builder()}
 * (every field optional, defaults in the {@code DEFAULT_*} constants) or {@link #of(int)}.
 *
 * @param components number of components k &ge; 1 (at most the number of columns)
 * @param nu the generalised Gini parameter &nu; &gt; 1: the co-Gini operator weighs ranks by
 *     {@code (1 - F)^(nu - 1)}; &nu; = 2 is the classic Gini mean difference, larger values
 *     stress the lower tail
 * @param standardize if true, each centred column is divided by its own generalised Gini
 *     variability (the Gini analogue of scaling to unit variance, as in the paper); if false the
 *     columns are only centred (like {@link Pca}, so that directions compare with it)
 */
public record GiniPcaConfig(int components, double nu, boolean standardize) {

    public static final int DEFAULT_COMPONENTS = 2;
    public static final double DEFAULT_NU = 2.0;
    public static final boolean DEFAULT_STANDARDIZE = true;

    /** Validates every field, naming the one that is wrong. */
    public GiniPcaConfig {
        if (components < 1) {
            throw new IllegalArgumentException("components must be >= 1, got " + components);
        }
        if (!(nu > 1) || Double.isInfinite(nu)) {
            throw new IllegalArgumentException("nu must be a finite number > 1 (2 is the classic Gini), got " + nu);
        }
    }

    /** {@code k} components, other settings default. */
    public static GiniPcaConfig of(int k) {
        return builder().optComponents(k).build();
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().optComponents(components).optNu(nu).optStandardize(standardize);
    }

    /** Builds a {@link GiniPcaConfig}; every field is optional. */
    public static final class Builder {
        private int components = DEFAULT_COMPONENTS;
        private double nu = DEFAULT_NU;
        private boolean standardize = DEFAULT_STANDARDIZE;

        private Builder() {
        }

        public Builder optComponents(int k) {
            components = k;
            return this;
        }

        public Builder optNu(double nu) {
            this.nu = nu;
            return this;
        }

        public Builder optStandardize(boolean standardize) {
            this.standardize = standardize;
            return this;
        }

        /** Validates and builds; a bad value is named with what was found. */
        public GiniPcaConfig build() {
            return new GiniPcaConfig(components, nu, standardize);
        }
    }
}
