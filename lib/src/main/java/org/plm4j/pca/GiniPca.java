package org.plm4j.pca;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Gini PCA (Charpentier, Mussard &amp; Ouraga 2019, "Principal Component Analysis: A Generalized
 * Gini Approach", arXiv 1910.10133): principal components that maximise a rank-based Gini
 * variability instead of the variance, so that a few gross outliers pull the axes much less.
 *
 * <p><b>Variant implemented.</b> Columns are centred and, if {@link GiniPcaConfig#standardize()},
 * divided by their own generalised Gini variability. The co-Gini matrix is
 * {@code GC[k][l] = -nu cov(z_k, (1 - F(z_l))^(nu - 1))}, with {@code F(z_l)} estimated by the
 * mid-rank of each value over n (ties share their mean rank); for &nu; = 2 it is
 * {@code 2 cov(z_k, F(z_l))}: linear in the values of column k, rank-based in column l. GC is not
 * symmetric; the axes maximise the quadratic form {@code b' GC b} over unit vectors b, i.e. they
 * are the eigenvectors of {@code (GC + GC') / 2} by decreasing eigenvalue, and the projections
 * are {@code Z b}. Dividing a column by a constant does not change its ranks, so the
 * standardisation only rescales the co-Gini entries. Signs follow {@link Pca}: the entry of
 * largest absolute value in each axis is positive.
 *
 * <p><b>Failures.</b> {@link IllegalArgumentException} for NaN or infinite values (naming the row
 * and column), ragged rows, fewer than 2 rows, k larger than the number of columns, and (when
 * standardising) a constant column, which has no Gini variability to divide by.
 */
public final class GiniPca {

    private GiniPca() {
    }

    /** Fits {@code k} Gini components with the other settings default. */
    public static GiniPcaResult fit(double[][] data, int k) {
        return fit(data, GiniPcaConfig.of(k));
    }

    /** Fits a Gini PCA of {@code data} (rows = samples); see the class documentation. */
    public static GiniPcaResult fit(double[][] data, GiniPcaConfig config) {
        CentredData c = CentredData.of(data, 2);
        int n = c.n;
        int d = c.d;
        if (config.components() > d) {
            throw new IllegalArgumentException("components k = " + config.components()
                    + " exceeds the number of columns d = " + d + "; use at most " + d);
        }
        double[] z = c.toDoubleArray(); // row-major n x d, centred
        double[][] weights = new double[d][]; // rank weights per column, centred
        double[] scale = new double[d];
        Arrays.fill(scale, 1.0);
        for (int l = 0; l < d; l++) {
            weights[l] = rankWeights(z, n, d, l, config.nu());
        }
        if (config.standardize()) {
            for (int k = 0; k < d; k++) {
                double g = coGini(z, n, d, k, weights[k]);
                if (!(g > 0)) {
                    throw new IllegalArgumentException("column " + k + " is constant: it has no Gini variability to "
                            + "standardise by; drop it or fit with optStandardize(false)");
                }
                scale[k] = g;
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    z[i * d + k] /= scale[k];
                }
            }
        }
        DMatrixRMaj sym = new DMatrixRMaj(d, d);
        double[][] gc = new double[d][d];
        for (int k = 0; k < d; k++) {
            for (int l = 0; l < d; l++) {
                gc[k][l] = coGini(z, n, d, k, weights[l]);
            }
        }
        double trace = 0;
        for (int k = 0; k < d; k++) {
            trace += gc[k][k];
            for (int l = 0; l < d; l++) {
                sym.set(k, l, 0.5 * (gc[k][l] + gc[l][k]));
            }
        }
        Linalg.SymEig e = Linalg.symEig(sym);
        int kk = config.components();
        double[][] axes = Linalg.signedColumns(e.vectors(), kk);
        double[] values = Arrays.copyOf(e.values(), kk);
        return new GiniPcaResult(c.mean(), scale, axes, values, trace, gc, n, config);
    }

    /**
     * The centred rank weights {@code -nu (1 - F(z_l))^(nu - 1)} of column l, F by mid-ranks over n,
     * so that {@code GC[k][l] = mean(z_k * w_l)} for centred z_k.
     */
    static double[] rankWeights(double[] z, int n, int d, int l, double nu) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(z[a * d + l], z[b * d + l]));
        double[] w = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && z[order[j + 1] * d + l] == z[order[i] * d + l]) {
                j++;
            }
            double f = (i + j + 2) / 2.0 / n; // mid-rank (1-based) over n
            double v = -nu * Math.pow(Math.max(0, 1 - f), nu - 1);
            for (int t = i; t <= j; t++) {
                w[order[t]] = v;
            }
            i = j + 1;
        }
        double mean = 0;
        for (double v : w) {
            mean += v;
        }
        mean /= n;
        for (int t = 0; t < n; t++) {
            w[t] -= mean;
        }
        return w;
    }

    /** {@code cov(z_k, w)} for centred column k of the row-major z and centred weights w. */
    static double coGini(double[] z, int n, int d, int k, double[] w) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += z[i * d + k] * w[i];
        }
        return s / n;
    }
}
