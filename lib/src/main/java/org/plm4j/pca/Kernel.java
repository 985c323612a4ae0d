package org.plm4j.pca;

import java.util.Locale;

/**
 * A positive semi-definite kernel for {@link KernelPca}. {@code gamma = NaN} means scikit-learn's
 * default {@code 1 / d} (d = number of features), resolved at fit time.
 */
public sealed interface Kernel permits Kernel.Rbf, Kernel.Polynomial {

    /** Radial basis function {@code exp(-gamma |x - y|^2)}. */
    record Rbf(double gamma) implements Kernel {
        /** Validates gamma (positive, or NaN for 1/d). */
        public Rbf {
            if (!Double.isNaN(gamma) && !(gamma > 0 && Double.isFinite(gamma))) {
                throw new IllegalArgumentException("RBF gamma must be > 0 (or NaN for 1/d), got " + gamma);
            }
        }

        @Override
        public String toString() {
            return Double.isNaN(gamma) ? "rbf(gamma=1/d)" : String.format(Locale.ROOT, "rbf(gamma=%.4g)", gamma);
        }
    }

    /** Polynomial {@code (gamma <x, y> + coef0)^degree}. */
    record Polynomial(int degree, double gamma, double coef0) implements Kernel {
        /** Validates degree (&ge; 1), gamma (positive, or NaN for 1/d) and coef0 (finite, &ge; 0). */
        public Polynomial {
            if (degree < 1) {
                throw new IllegalArgumentException("polynomial degree must be >= 1, got " + degree);
            }
            if (!Double.isNaN(gamma) && !(gamma > 0 && Double.isFinite(gamma))) {
                throw new IllegalArgumentException("polynomial gamma must be > 0 (or NaN for 1/d), got " + gamma);
            }
            if (!(coef0 >= 0 && Double.isFinite(coef0))) {
                throw new IllegalArgumentException("polynomial coef0 must be finite and >= 0, got " + coef0);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "poly(degree=%d, gamma=%s, coef0=%.4g)", degree,
                    Double.isNaN(gamma) ? "1/d" : String.format(Locale.ROOT, "%.4g", gamma), coef0);
        }
    }

    /** Default polynomial degree (scikit-learn's). */
    int DEFAULT_DEGREE = 3;
    /** Default polynomial coef0 (scikit-learn's). */
    double DEFAULT_COEF0 = 1.0;

    /** RBF with scikit-learn's default gamma 1/d. */
    static Kernel rbf() {
        return new Rbf(Double.NaN);
    }

    static Kernel rbf(double gamma) {
        return new Rbf(gamma);
    }

    /** Polynomial of degree 3, gamma 1/d, coef0 1 (scikit-learn's defaults). */
    static Kernel poly() {
        return new Polynomial(DEFAULT_DEGREE, Double.NaN, DEFAULT_COEF0);
    }

    static Kernel poly(int degree, double gamma, double coef0) {
        return new Polynomial(degree, gamma, coef0);
    }

    /** Kernel value from a dot product and the two squared norms; gamma already resolved. */
    default double value(double dot, double normA, double normB, double gamma) {
        if (this instanceof Polynomial p) {
            return Math.pow(gamma * dot + p.coef0(), p.degree());
        }
        return Math.exp(-gamma * Math.max(0, normA + normB - 2 * dot));
    }

    /** Gamma for d features. */
    default double gamma(int d) {
        double g = this instanceof Rbf r ? r.gamma() : ((Polynomial) this).gamma();
        return Double.isNaN(g) ? 1.0 / d : g;
    }
}
