package org.plm4j.pca;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Kernel PCA (Schölkopf, Smola &amp; Müller 1998) with an RBF or polynomial {@link Kernel}: the
 * n &times; n kernel matrix of the training rows is centred in feature space
 * ({@code Kc = K - 1K - K1 + 1K1}, with 1 the n &times; n matrix of 1/n) and its top k eigenpairs
 * give the nonlinear components. Meant for a few thousand points (memory and time grow as n&sup2;;
 * more than {@value #MAX_ROWS} rows are refused with a hint to subsample).
 *
 * <p>Linear algebra: the kernel's Gram products run on libtorch through DJL when large; the top-k
 * eigenpairs come from EJML's symmetric eigensolver for n &le; {@value #EXACT_MAX_ROWS}, above that
 * from seeded subspace iteration with Rayleigh–Ritz (products on libtorch, 40 iterations of a
 * k + 10 block, converged to ~1e-10 on well-separated spectra).
 *
 * <p>Results follow scikit-learn's {@code KernelPCA}: the training embedding is
 * {@code v_i sqrt(lambda_i)}, new points are projected as {@code Kc(new, train) v_i / sqrt(lambda_i)};
 * components with a zero eigenvalue project to 0. Signs: the largest-|.| entry of each eigenvector
 * is positive.
 */
public final class KernelPca {

    /** Most training rows accepted. */
    public static final int MAX_ROWS = 20_000;
    /** Up to this many rows the eigenproblem is solved exactly by EJML. */
    public static final int EXACT_MAX_ROWS = 600;

    private KernelPca() {
    }

    /**
     * Fits kernel PCA of {@code data} with {@code k} components.
     *
     * @throws IllegalArgumentException on NaN/infinite values (row and column named), ragged rows,
     *     fewer than 2 rows, more than {@value #MAX_ROWS} rows, or {@code k} &gt; n
     */
    public static KernelPcaResult fit(double[][] data, Kernel kernel, int k) {
        CentredData check = CentredData.of(data, 2);
        check.mean(); // validation only (names the bad cell)
        int n = check.n;
        int d = check.d;
        if (n > MAX_ROWS) {
            throw new IllegalArgumentException("kernel PCA of " + n + " rows needs an " + n + " x " + n
                    + " kernel matrix; use at most " + MAX_ROWS + " rows (subsample) or linear PCA");
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("components k = " + k + " must be in [1, n = " + n + "]");
        }
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = data[i].clone();
        }
        double gamma = kernel.gamma(d);
        DMatrixRMaj km = kernelMatrix(x, x, kernel, gamma);
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += km.data[i * n + j];
            }
            rowMean[i] = s / n;
            grand += s;
        }
        grand /= (double) n * n;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                km.data[i * n + j] += grand - rowMean[i] - rowMean[j];
            }
            trace += km.data[i * n + i];
        }
        Linalg.symmetrize(km);
        Linalg.SymEig e = n <= EXACT_MAX_ROWS ? Linalg.symEig(km)
                : Linalg.topEigen(km, Math.min(n, k + 10), 40, PcaConfig.DEFAULT_SEED);
        double[] lambda = Arrays.copyOf(e.values(), k);
        double[][] vectors = Linalg.signedColumns(e.vectors(), k);
        for (int c = 0; c < k; c++) {
            lambda[c] = Math.max(0, lambda[c]);
        }
        return new KernelPcaResult(kernel, gamma, x, rowMean, grand, lambda, vectors, trace);
    }

    /** The kernel matrix between the rows of a and b (|a| &times; |b|). */
    static DMatrixRMaj kernelMatrix(double[][] a, double[][] b, Kernel kernel, double gamma) {
        DMatrixRMaj am = new DMatrixRMaj(a);
        DMatrixRMaj bm = new DMatrixRMaj(b);
        DMatrixRMaj dot = Linalg.multTransB(am, bm);
        double[] na = norms(a);
        double[] nb = norms(b);
        int cols = b.length;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < cols; j++) {
                dot.data[i * cols + j] = kernel.value(dot.data[i * cols + j], na[i], nb[j], gamma);
            }
        }
        return dot;
    }

    private static double[] norms(double[][] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (double v : a[i]) {
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }
}
