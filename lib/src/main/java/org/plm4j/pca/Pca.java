package org.plm4j.pca;

import java.util.Arrays;
import java.util.Iterator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.plm4j.embed.Embeddings;

/**
 * Principal component analysis of a dense matrix (rows = samples, columns = features), float or
 * double: exact ({@link PcaConfig.Method#COVARIANCE}, {@link PcaConfig.Method#SVD}), randomized
 * ({@link PcaConfig.Method#RANDOMIZED}) or incremental over row blocks ({@link IncrementalPca}).
 *
 * <p><b>Linear algebra.</b> When the system BLAS/LAPACK loads (Debian:
 * {@code apt-get install -y libopenblas0-pthread}), the Gram matrix and the eigendecompositions run
 * there, reading the caller's arrays in place ({@link #linearAlgebra()} says which). Otherwise: DJL's {@code NDArray} has matrix products on libtorch (multithreaded
 * MKL) but no SVD or eigendecomposition; Tribuo's eigendecomposition handles symmetric matrices
 * only and Tribuo has no PCA or SVD. So the O(n d&sup2;) and O(n d k) products run on libtorch
 * through DJL, and the small d &times; d / l &times; l decompositions in EJML (see {@code Linalg}
 * for the split). Tiny inputs stay entirely in EJML.
 *
 * <p><b>Results</b> follow scikit-learn's {@code PCA}: columns centred by their means, explained
 * variance {@code s^2 / (n - 1)}, ratio = explained variance / total variance (sum of all column
 * variances), and deterministic signs: in each component the entry of largest absolute value is
 * positive (scikit-learn's {@code svd_flip} with {@code u_based_decision=False}, its PCA's
 * convention since 1.5; versions before flip by U and can give opposite signs).
 *
 * <p><b>Choosing k.</b> A fixed integer, a fraction of variance to keep, or the Gavish–Donoho
 * optimal hard threshold ({@link #optimalThreshold(double[], int, int)}); the latter two need the
 * whole spectrum, which the exact solvers compute anyway.
 *
 * <p><b>Failures and documented handling.</b> NaN or infinite values raise
 * {@link IllegalArgumentException} naming the row and column; so do ragged rows, fewer than 2
 * rows, and a fixed {@code k} greater than the number of columns or rows. A constant column is
 * allowed: it has zero variance, its weight in every component is 0, and it contributes nothing to
 * the ratios (if all columns are constant, every ratio is 0 and the components are arbitrary unit
 * vectors). Inputs above 2 GiB must go through {@link IncrementalPca}.
 */
public final class Pca {

    private Pca() {
    }

    /** Fits a PCA of {@code data}; see the class documentation. */
    public static PcaResult fit(double[][] data, PcaConfig config) {
        return fit(CentredData.of(data, 2), config);
    }

    /**
     * Fits a PCA of float data, at float precision: with the system BLAS the Gram matrix of the
     * covariance and randomized solvers sums float32 products of row blocks (at most 4096 rows each)
     * in float64, so its rounding does not grow with the number of rows; the SVD solver and the
     * fallbacks without the system BLAS compute in float64. For float64 throughout, pass the data
     * as {@code double[][]}.
     */
    public static PcaResult fit(float[][] data, PcaConfig config) {
        return fit(CentredData.of(data, 2), config);
    }

    /**
     * Which linear-algebra library the fits in this process use: the system BLAS/LAPACK (and the
     * shared library that provides it) or, when it cannot be loaded, libtorch and EJML.
     */
    public static String linearAlgebra() {
        return NativeLinalg.describe();
    }

    /** Fits {@code k} components with the automatic method. */
    public static PcaResult fit(double[][] data, int k) {
        return fit(data, PcaConfig.of(k));
    }

    /** PCA of the embedding vectors ({@link Embeddings#vectors()}, float32). */
    public static PcaResult fit(Embeddings embeddings, PcaConfig config) {
        return fit(embeddings.vectors(), config);
    }

    /**
     * Exact PCA of a matrix given as consecutive row blocks (e.g. read from disk), in O(d&sup2;)
     * memory: see {@link IncrementalPca}.
     */
    public static PcaResult fitIncremental(Iterator<double[][]> blocks, PcaConfig config) {
        IncrementalPca inc = new IncrementalPca();
        while (blocks.hasNext()) {
            inc.add(blocks.next());
        }
        return inc.result(config);
    }

    /** The method AUTO/FULL resolve to for an n &times; d matrix. */
    static PcaConfig.Method resolve(PcaConfig config, int n, int d) {
        PcaConfig.Method m = config.method();
        if (m == PcaConfig.Method.AUTO) {
            boolean big = (double) n * d >= (1 << 24);
            m = big && config.truncation() == PcaConfig.Truncation.FIXED && config.components() * 10 <= Math.min(n, d)
                    ? PcaConfig.Method.RANDOMIZED : PcaConfig.Method.FULL;
        }
        if (m == PcaConfig.Method.FULL) {
            m = n >= 2 * d ? PcaConfig.Method.COVARIANCE : PcaConfig.Method.SVD;
        }
        return m;
    }

    static PcaResult fit(CentredData c, PcaConfig config) {
        int n = c.n;
        int d = c.d;
        if (config.truncation() == PcaConfig.Truncation.FIXED) {
            checkK(config.components(), n, d);
        }
        PcaConfig.Method m = resolve(config, n, d);
        double[] eig; // eigenvalues of XcᵀXc = squared singular values, decreasing
        DMatrixRMaj axes; // d x (number of eigenvalues) or d x k, axes in columns
        double sumSquares; // of the centred data: total variance times n - 1
        switch (m) {
            case COVARIANCE -> {
                DMatrixRMaj g = Linalg.gram(c);
                sumSquares = CentredData.trace(g.data, d);
                if (d >= Linalg.NATIVE_MIN_EIG && NativeLinalg.available()) {
                    // all eigenvalues, then only the eigenvectors the truncation keeps
                    double ss = sumSquares;
                    Linalg.SymEig e = NativeLinalg.eigen(g,
                            values -> chooseK(sqrt(Arrays.copyOf(values, Math.min(n, d))), ss, n, d, config));
                    eig = Arrays.copyOf(e.values(), Math.min(n, d));
                    axes = e.vectors();
                } else {
                    Linalg.SymEig e = Linalg.symEig(g);
                    eig = Arrays.copyOf(e.values(), Math.min(n, d));
                    axes = e.vectors();
                }
            }
            case SVD -> {
                DMatrixRMaj xc = DMatrixRMaj.wrap(n, d, c.toDoubleArray());
                sumSquares = CentredData.sumSquares(xc.data);
                SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, true, true);
                if (!svd.decompose(xc)) {
                    throw new IllegalStateException("EJML's SVD did not converge on the " + n + "x" + d
                            + " matrix; try PcaConfig.Method.COVARIANCE");
                }
                double[] s = svd.getSingularValues();
                DMatrixRMaj vt = svd.getV(null, true);
                int r = Math.min(n, d);
                Integer[] order = new Integer[r];
                for (int i = 0; i < r; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
                eig = new double[r];
                axes = new DMatrixRMaj(d, r);
                for (int i = 0; i < r; i++) {
                    eig[i] = s[order[i]] * s[order[i]];
                    for (int j = 0; j < d; j++) {
                        axes.set(j, i, vt.get(order[i], j));
                    }
                }
            }
            case RANDOMIZED -> {
                int k = config.components();
                int l = Math.min(k + config.oversampling(), Math.min(n, d));
                Linalg.Randomized r = Linalg.randomized(c, l, config.powerIterations(), config.seed());
                eig = r.eig().values();
                axes = r.eig().vectors();
                sumSquares = r.sumSquares();
            }
            default -> throw new IllegalStateException("unresolved method " + m);
        }
        return finish(c.mean(), eig, axes, sumSquares, n, d, m, config);
    }

    static void checkK(int k, int n, int d) {
        if (k > d) {
            throw new IllegalArgumentException("components k = " + k + " exceeds the number of columns d = " + d
                    + "; use at most " + d);
        }
        if (k > n) {
            throw new IllegalArgumentException("components k = " + k + " exceeds the number of rows n = " + n
                    + "; use at most " + n + " or pass more rows");
        }
    }

    /** Chooses k, fixes signs, computes variances and builds the result. */
    static PcaResult finish(double[] mean, double[] eig, DMatrixRMaj axes, double sumSquares, int n, int d,
            PcaConfig.Method m, PcaConfig config) {
        double totalVar = sumSquares / (n - 1);
        double[] spectrum = sqrt(eig);
        double threshold = config.truncation() == PcaConfig.Truncation.OPTIMAL ? optimalThreshold(spectrum, n, d)
                : Double.NaN;
        int k = chooseK(spectrum, sumSquares, n, d, config);
        double[][] comps = Linalg.signedColumns(axes, k);
        double[] sv = Arrays.copyOf(spectrum, k);
        double[] var = new double[k];
        double[] ratio = new double[k];
        for (int c = 0; c < k; c++) {
            var[c] = sv[c] * sv[c] / (n - 1);
            ratio[c] = totalVar > 0 ? var[c] / totalVar : 0.0;
        }
        boolean full = m != PcaConfig.Method.RANDOMIZED;
        double[] spectrumRatio = new double[full ? spectrum.length : k];
        for (int i = 0; i < spectrumRatio.length; i++) {
            spectrumRatio[i] = totalVar > 0 ? spectrum[i] * spectrum[i] / (n - 1) / totalVar : 0.0;
        }
        return new PcaResult(mean, comps, sv, var, ratio, totalVar, n, m, spectrumRatio, config, threshold);
    }

    /** Singular values from eigenvalues of the Gram matrix (negative rounding clipped to 0). */
    static double[] sqrt(double[] eig) {
        double[] s = new double[eig.length];
        for (int i = 0; i < eig.length; i++) {
            s[i] = Math.sqrt(Math.max(0, eig[i]));
        }
        return s;
    }

    /** The number of components the truncation rule keeps, from the decreasing singular values. */
    static int chooseK(double[] spectrum, double sumSquares, int n, int d, PcaConfig config) {
        int k;
        switch (config.truncation()) {
            case FIXED -> k = config.components();
            case VARIANCE_FRACTION -> {
                double target = config.varianceFraction() * sumSquares;
                double cum = 0;
                k = spectrum.length;
                for (int i = 0; i < spectrum.length; i++) {
                    cum += spectrum[i] * spectrum[i];
                    if (cum >= target * (1 - 1e-12)) {
                        k = i + 1;
                        break;
                    }
                }
            }
            case OPTIMAL -> {
                double threshold = optimalThreshold(spectrum, n, d);
                k = 0;
                while (k < spectrum.length && spectrum[k] > threshold) {
                    k++;
                }
                k = Math.max(1, k);
            }
            default -> throw new IllegalStateException();
        }
        return k;
    }

    /**
     * Gavish–Donoho optimal hard threshold for singular values when the noise level is unknown:
     * {@code tau = omega(beta) * median(singularValues)} with {@code beta = min(n, d) / max(n, d)}
     * (the aspect ratio taken so that it lies in (0, 1], whichever of n and d is larger) and the
     * approximation {@code omega(beta) ≈ 0.56 beta^3 - 0.95 beta^2 + 1.82 beta + 1.43}.
     * Singular values above tau are kept. Reference: M. Gavish and D. L. Donoho, "The Optimal Hard
     * Threshold for Singular Values is 4/√3", IEEE Transactions on Information Theory 60(8),
     * 5040–5053 (2014), eq. (5) and Table IV.
     *
     * @param singularValues all min(n, d) singular values of the centred matrix, decreasing
     * @throws IllegalArgumentException if the spectrum is empty
     */
    public static double optimalThreshold(double[] singularValues, int n, int d) {
        if (singularValues.length == 0) {
            throw new IllegalArgumentException("the optimal threshold needs the singular values, got none");
        }
        double beta = (double) Math.min(n, d) / Math.max(n, d);
        double[] s = singularValues.clone();
        Arrays.sort(s);
        int m = s.length;
        double median = m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
        return omega(beta) * median;
    }

    /** Gavish–Donoho's polynomial approximation of omega(beta), beta in (0, 1]. */
    public static double omega(double beta) {
        if (!(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("beta must be in (0, 1], got " + beta);
        }
        return 0.56 * beta * beta * beta - 0.95 * beta * beta + 1.82 * beta + 1.43;
    }

    static double[][] toDouble(float[][] data) {
        double[][] out = new double[data.length][];
        for (int i = 0; i < data.length; i++) {
            float[] r = data[i];
            if (r == null) {
                throw new IllegalArgumentException("row " + i + " is null");
            }
            out[i] = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                out[i][j] = r[j];
            }
        }
        return out;
    }
}
