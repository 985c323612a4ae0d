package org.plm4j.pca;

import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.netlib.util.intW;

/**
 * The system BLAS/LAPACK (Debian's OpenBLAS, {@code libopenblas0-pthread}) through the
 * {@code dev.ludovic.netlib} JNI bindings, for the two steps of exact PCA that dominate its time:
 * the Gram matrix {@code XcᵀXc} as a symmetric rank-k update ({@code dsyrk}/{@code ssyrk}, half the
 * flops of a general product) and the eigendecomposition of the d &times; d result (LAPACK
 * {@code dsyevd}/{@code dsyevr}, of which only the top eigenvectors are computed).
 *
 * <p>Why not the stack's own: DJL's libtorch ships an MKL that takes its AVX2 path on AMD CPUs and
 * reaches half the GEMM rate of OpenBLAS there, and it needs the whole matrix copied into native
 * memory first; the bindings read the Java arrays in place. DJL has no eigendecomposition, and
 * EJML's pure-Java one is an order of magnitude slower than LAPACK at d = 768.
 *
 * <p>{@link #available()} is false when the system library cannot be loaded (then the callers use
 * libtorch and EJML as before); install it with {@code apt-get install -y libopenblas0-pthread}.
 */
final class NativeLinalg {

    private static final NativeBLAS BLAS = load(NativeBLAS::getInstance);
    private static final NativeLAPACK LAPACK = BLAS == null ? null : load(NativeLAPACK::getInstance);

    private NativeLinalg() {
    }

    private static <T> T load(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (RuntimeException | LinkageError e) {
            return null; // no system BLAS/LAPACK: callers fall back to libtorch and EJML
        }
    }

    /** Whether the system BLAS and LAPACK were loaded. */
    static boolean available() {
        return BLAS != null && LAPACK != null;
    }

    /**
     * Rows per block of the Gram matrix: up to 16 MiB of float64 per block and at most 8192 rows
     * (4096 for float32 products, whose rounding grows with the block length), at least 256; then
     * evened out so that the last block is not a sliver. Fewer, longer blocks matter: every
     * {@code ?syrk} call reads and writes the whole d &times; d result, which for d = 768 costs as
     * much as the product itself when blocks have a few hundred rows.
     */
    static int blockRows(int n, int d, boolean floatProducts) {
        int rows = Math.max(256, Math.min(floatProducts ? 4096 : 8192, (1 << 24) / Double.BYTES / d));
        int blocks = Math.max(1, (n + rows - 1) / rows);
        return (n + blocks - 1) / blocks;
    }

    /**
     * The centred Gram matrix {@code XcᵀXc} (d &times; d, row-major, both triangles), summed over
     * row blocks in float64. Double data is centred into float64 blocks and added by {@code dsyrk};
     * float data is centred in float32 and each block multiplied by {@code ssyrk}, only the block
     * products summed in float64, so rounding grows with the block length (at most 4096 rows), not
     * with n: float input keeps float precision, as in scikit-learn, at half the cost of float64
     * products. Blocks are centred in parallel; the BLAS call then uses all cores.
     */
    static double[] gram(CentredData c) {
        int n = c.n;
        int d = c.d;
        int rows = blockRows(n, d, c.single);
        double[] g = new double[d * d];
        if (!c.single && !c.hasMean()) {
            shiftedGram(c, rows, g);
        } else if (!c.single) {
            double[] block = new double[rows * d];
            for (int start = 0; start < n; start += rows) {
                int end = Math.min(n, start + rows);
                int s = start;
                IntStream.range(start, end).parallel().forEach(i -> c.centredRow(i, block, (i - s) * d));
                // row-major block (k x d) is column-major d x k: C = A·Aᵀ, upper triangle
                BLAS.dsyrk("U", "N", d, end - start, 1.0, block, d, 1.0, g, d);
            }
        } else {
            float[] block = new float[rows * d];
            float[] part = new float[d * d];
            for (int start = 0; start < n; start += rows) {
                int end = Math.min(n, start + rows);
                int s = start;
                IntStream.range(start, end).parallel().forEach(i -> c.centredRow(i, block, (i - s) * d));
                BLAS.ssyrk("U", "N", d, end - start, 1f, block, d, 0f, part, d);
                // column-major upper triangle: entry (i <= j) at j * d + i
                for (int j = 0; j < d; j++) {
                    for (int i = 0, o = j * d; i <= j; i++) {
                        g[o + i] += part[o + i];
                    }
                }
            }
        }
        mirrorUpper(g, d);
        return g;
    }

    /**
     * The float64 Gram pass for double data whose means are not known yet: one read of the rows
     * instead of a means pass and a centring pass. Each row is copied minus a shift {@code s} (the
     * mean of the first rows) and its column sums are kept; then {@code XcᵀXc = YᵀY - n m mᵀ} with
     * {@code Y = X - s} and {@code m} the mean of {@code Y}. The shift keeps {@code m} of the
     * order of the data's spread rather than of its mean, so the subtraction loses at most a few of
     * float64's digits (the "shifted data" formula; with no shift it could lose all of them). The
     * sums also validate the data ({@link CentredData#adoptMean}).
     */
    private static void shiftedGram(CentredData c, int rows, double[] g) {
        int n = c.n;
        int d = c.d;
        double[] shift = new double[d];
        int head = Math.min(n, 256);
        for (int i = 0; i < head; i++) {
            double[] r = c.doubleRow(i);
            for (int j = 0; j < d; j++) {
                shift[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            shift[j] /= head;
        }
        double[] block = new double[rows * d];
        double[] sums = new double[d];
        int chunk = 256;
        for (int start = 0; start < n; start += rows) {
            int end = Math.min(n, start + rows);
            int s = start;
            // shifted copy and column sums in parallel over chunks of rows, summed in chunk order
            double[] part = IntStream.range(0, (end - start + chunk - 1) / chunk).parallel().mapToObj(b -> {
                double[] sum = new double[d];
                for (int i = s + b * chunk; i < Math.min(end, s + (b + 1) * chunk); i++) {
                    double[] r = c.doubleRow(i);
                    for (int j = 0, o = (i - s) * d; j < d; j++) {
                        double v = r[j] - shift[j];
                        block[o + j] = v;
                        sum[j] += v;
                    }
                }
                return sum;
            }).reduce(new double[d], CentredData::plus);
            for (int j = 0; j < d; j++) {
                sums[j] += part[j];
            }
            BLAS.dsyrk("U", "N", d, end - start, 1.0, block, d, 1.0, g, d);
        }
        c.adoptMean(sums, shift);
        // upper triangle (column-major, entry (i <= j) at j * d + i) minus n m mᵀ
        for (int j = 0; j < d; j++) {
            double mj = sums[j] / n;
            for (int i = 0; i <= j; i++) {
                g[j * d + i] -= n * (sums[i] / n) * mj;
            }
        }
    }

    /** Copies the column-major upper triangle into the lower one (the matrix is then the same either major). */
    private static void mirrorUpper(double[] a, int d) {
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < j; i++) {
                a[i * d + j] = a[j * d + i];
            }
        }
    }

    /** All eigenvalues of a symmetric matrix, decreasing ({@code dsyevd} without vectors). */
    static double[] eigenvalues(DMatrixRMaj a) {
        int d = a.numRows;
        double[] work = a.data.clone();
        double[] w = new double[d];
        double[] wq = new double[1];
        int[] iq = new int[1];
        intW info = new intW(0);
        LAPACK.dsyevd("N", "U", d, work, d, w, wq, -1, iq, -1, info);
        int lwork = (int) wq[0];
        int liwork = iq[0];
        LAPACK.dsyevd("N", "U", d, work, d, w, new double[lwork], lwork, new int[liwork], liwork, info);
        check(info, "dsyevd", d);
        reverse(w);
        return w;
    }

    /**
     * The {@code k} largest eigenpairs of a symmetric matrix ({@code dsyevr}, range by index):
     * values decreasing, vectors in the columns of a d &times; k matrix.
     */
    static Linalg.SymEig topEigen(DMatrixRMaj a, int k) {
        int d = a.numRows;
        double[] work = a.data.clone();
        double[] w = new double[d];
        double[] z = new double[d * k];
        int[] isuppz = new int[2 * d];
        double[] wq = new double[1];
        int[] iq = new int[1];
        intW found = new intW(0);
        intW info = new intW(0);
        LAPACK.dsyevr("V", "I", "U", d, work, d, 0, 0, d - k + 1, d, 0, found, w, z, d, isuppz, wq, -1, iq, -1, info);
        int lwork = (int) wq[0];
        int liwork = iq[0];
        LAPACK.dsyevr("V", "I", "U", d, work, d, 0, 0, d - k + 1, d, 0, found, w, z, d, isuppz,
                new double[lwork], lwork, new int[liwork], liwork, info);
        check(info, "dsyevr", d);
        if (found.val != k) {
            throw new IllegalStateException("LAPACK dsyevr returned " + found.val + " eigenpairs of a " + d + "x" + d
                    + " matrix, expected " + k + "; try PcaConfig.Method.SVD");
        }
        // ascending column-major vectors -> descending columns of a row-major d x k matrix
        double[] values = new double[k];
        DMatrixRMaj vectors = new DMatrixRMaj(d, k);
        for (int c = 0; c < k; c++) {
            int src = k - 1 - c;
            values[c] = w[src];
            for (int j = 0; j < d; j++) {
                vectors.data[j * k + c] = z[src * d + j];
            }
        }
        return new Linalg.SymEig(values, vectors);
    }

    /**
     * All eigenvalues of a symmetric matrix (decreasing) and the eigenvectors of the largest
     * {@code vectorsFor.applyAsInt(values)} of them, from one tridiagonal reduction: {@code dsytrd},
     * then {@code dsterf} for the values, {@code dstemr} for the chosen vectors of the tridiagonal
     * matrix and {@code dormtr} to map them back. (LAPACK's drivers compute either all vectors or a
     * subset without the full spectrum; PCA needs the spectrum to choose k and the vectors for k.)
     */
    static Linalg.SymEig eigen(DMatrixRMaj a, java.util.function.ToIntFunction<double[]> vectorsFor) {
        int d = a.numRows;
        double[] q = a.data.clone();
        double[] diag = new double[d];
        double[] off = new double[d];
        double[] tau = new double[Math.max(1, d - 1)];
        double[] wq = new double[1];
        intW info = new intW(0);
        LAPACK.dsytrd("U", d, q, d, diag, off, tau, wq, -1, info);
        int lwork = Math.max(1, (int) wq[0]);
        LAPACK.dsytrd("U", d, q, d, diag, off, tau, new double[lwork], lwork, info);
        check(info, "dsytrd", d);
        double[] values = diag.clone();
        LAPACK.dsterf(d, values, off.clone(), info);
        check(info, "dsterf", d);
        reverse(values);
        int k = Math.min(d, Math.max(1, vectorsFor.applyAsInt(values)));
        double[] w = new double[d];
        double[] z = new double[d * k];
        int[] isuppz = new int[2 * k];
        intW found = new intW(0);
        org.netlib.util.booleanW tryrac = new org.netlib.util.booleanW(true);
        int[] iq = new int[1];
        LAPACK.dstemr("V", "I", d, diag.clone(), off.clone(), 0, 0, d - k + 1, d, found, w, z, d, k, isuppz, tryrac,
                wq, -1, iq, -1, info);
        int lw = (int) wq[0];
        int liw = iq[0];
        LAPACK.dstemr("V", "I", d, diag, off, 0, 0, d - k + 1, d, found, w, z, d, k, isuppz, tryrac,
                new double[lw], lw, new int[liw], liw, info);
        check(info, "dstemr", d);
        if (found.val != k) {
            throw new IllegalStateException("LAPACK dstemr returned " + found.val + " eigenvectors of a " + d + "x" + d
                    + " matrix, expected " + k + "; try PcaConfig.Method.SVD");
        }
        LAPACK.dormtr("L", "U", "N", d, k, q, d, tau, z, d, wq, -1, info);
        lw = Math.max(1, (int) wq[0]);
        LAPACK.dormtr("L", "U", "N", d, k, q, d, tau, z, d, new double[lw], lw, info);
        check(info, "dormtr", d);
        DMatrixRMaj vectors = new DMatrixRMaj(d, k);
        for (int c = 0; c < k; c++) {
            int src = k - 1 - c; // ascending -> decreasing
            for (int j = 0; j < d; j++) {
                vectors.data[j * k + c] = z[src * d + j];
            }
        }
        return new Linalg.SymEig(values, vectors);
    }

    private static void check(intW info, String routine, int d) {
        if (info.val != 0) {
            throw new IllegalStateException("LAPACK " + routine + " failed on a " + d + "x" + d + " matrix (info "
                    + info.val + "); try PcaConfig.Method.SVD");
        }
    }

    private static void reverse(double[] w) {
        for (int i = 0, j = w.length - 1; i < j; i++, j--) {
            double t = w[i];
            w[i] = w[j];
            w[j] = t;
        }
    }

    /** Which BLAS/LAPACK this process uses, for benchmark and provenance output. */
    static String describe() {
        if (!available()) {
            return "system BLAS/LAPACK not loaded (libtorch + EJML)";
        }
        String lib = "libblas.so.3";
        try {
            lib = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> (p.contains("blas") || p.contains("lapack")) && !p.contains("netlib"))
                    .distinct().reduce((x, y) -> x + ", " + y).orElse(lib);
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: keep the library's default name
        }
        return BLAS.getClass().getSimpleName() + " over " + lib;
    }
}
