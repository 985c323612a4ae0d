package org.plm4j.pca;

import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.util.List;
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

    // netlib's LAPACK also looks up its pure-Java BLAS and logs a WARNING to stderr when the JVM runs
    // without the incubating Vector API; plm4j calls the native BLAS, so in a notebook that line only
    // misleads. The logger is held here because java.util.logging keeps loggers weakly.
    private static final java.util.logging.Logger NETLIB_LOOKUP = quiet("dev.ludovic.netlib.blas.InstanceBuilder");
    private static final NativeBLAS BLAS = load(NativeBLAS::getInstance);
    private static final NativeLAPACK LAPACK = BLAS == null ? null : load(NativeLAPACK::getInstance);

    private NativeLinalg() {
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.SEVERE);
        return l;
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
     * Rows per block of one worker's Gram products: about 2 MiB per block in the data's precision
     * (the block then stays in the core's cache between the copy and the product), 256 to 4096 rows,
     * evened out so that the last block is not a sliver. Float32 products stay at most 4096 rows
     * long, as their rounding grows with the block length.
     */
    static int blockRows(int n, int d, int bytesPerValue) {
        int rows = Math.max(256, Math.min(4096, (2 << 20) / bytesPerValue / d));
        int blocks = Math.max(1, (n + rows - 1) / rows);
        return (n + blocks - 1) / blocks;
    }

    /**
     * The centred Gram matrix {@code XcᵀXc} (d &times; d, row-major, both triangles), summed in
     * float64. The rows are split into one contiguous range per worker ({@link BlasThreads}); each
     * worker copies its rows block by block and adds each block's product to its own accumulator,
     * with a single-threaded {@code ?syrk}; the accumulators are summed at the end. Double data is
     * copied into float64 blocks; float data is centred in float32 and each block multiplied by
     * {@code ssyrk}, only the block products summed in float64, so rounding grows with the block
     * length, not with n: float input keeps float precision, as in scikit-learn, at half the cost
     * of float64 products.
     *
     * <p>Double data whose means are not known yet is read once instead of twice (a means pass,
     * then a centring pass): each row is copied minus a shift {@code s} (the mean of the first
     * rows) and its column sums are kept; then {@code XcᵀXc = YᵀY - n m mᵀ} with {@code Y = X - s}
     * and {@code m} the mean of {@code Y}. The shift keeps {@code m} of the order of the data's
     * spread rather than of its mean, so the subtraction loses at most a few of float64's digits
     * (the "shifted data" formula; with no shift it could lose all of them). The sums also validate
     * the data ({@link CentredData#adoptMean}).
     */
    static double[] gram(CentredData c) {
        int n = c.n;
        int d = c.d;
        double[] shift = !c.single && !c.hasMean() ? headMean(c) : null;
        if (shift == null) {
            c.mean(); // the means pass, once, before the workers centre rows with it
        }
        int workers = Math.max(1, Math.min(BlasThreads.workers(), n / 256));
        List<Part> parts = BlasThreads.each(workers,
                w -> part(c, (int) ((long) n * w / workers), (int) ((long) n * (w + 1) / workers), shift));
        double[] g = parts.get(0).gram;
        double[] sums = parts.get(0).sums;
        for (Part p : parts.subList(1, parts.size())) {
            addUpper(p.gram, g, d);
            if (shift != null) {
                sums = CentredData.plus(sums, p.sums);
            }
        }
        if (shift != null) {
            c.adoptMean(sums, shift);
            // upper triangle (column-major, entry (i <= j) at j * d + i) minus n m mᵀ
            for (int j = 0; j < d; j++) {
                double mj = sums[j] / n;
                for (int i = 0; i <= j; i++) {
                    g[j * d + i] -= n * (sums[i] / n) * mj;
                }
            }
        }
        mirrorUpper(g, d);
        return g;
    }

    /** One worker's share: the upper triangle of the Gram matrix of rows {@code [lo, hi)}, and their column sums. */
    private record Part(double[] gram, double[] sums) {
    }

    private static Part part(CentredData c, int lo, int hi, double[] shift) {
        int d = c.d;
        int rows = blockRows(hi - lo, d, c.single ? Float.BYTES : Double.BYTES);
        double[] g = new double[d * d];
        double[] sums = new double[d];
        if (c.single) {
            float[] block = new float[rows * d];
            float[] product = new float[d * d];
            for (int start = lo; start < hi; start += rows) {
                int k = Math.min(hi, start + rows) - start;
                for (int i = 0; i < k; i++) {
                    c.centredRow(start + i, block, i * d);
                }
                // row-major block (k x d) is column-major d x k: C = A·Aᵀ, upper triangle
                BLAS.ssyrk("U", "N", d, k, 1f, block, d, 0f, product, d);
                addUpper(product, g, d);
            }
            return new Part(g, sums);
        }
        double[] block = new double[rows * d];
        for (int start = lo; start < hi; start += rows) {
            int k = Math.min(hi, start + rows) - start;
            for (int i = 0; i < k; i++) {
                if (shift == null) {
                    c.centredRow(start + i, block, i * d);
                } else {
                    double[] r = c.doubleRow(start + i);
                    for (int j = 0, o = i * d; j < d; j++) {
                        double v = r[j] - shift[j];
                        block[o + j] = v;
                        sums[j] += v;
                    }
                }
            }
            BLAS.dsyrk("U", "N", d, k, 1.0, block, d, 1.0, g, d);
        }
        return new Part(g, sums);
    }

    /** The mean of the first (up to 256) rows: the shift of the one-read Gram pass. */
    private static double[] headMean(CentredData c) {
        int d = c.d;
        double[] shift = new double[d];
        int head = Math.min(c.n, 256);
        for (int i = 0; i < head; i++) {
            double[] r = c.doubleRow(i);
            for (int j = 0; j < d; j++) {
                shift[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            shift[j] /= head;
        }
        return shift;
    }

    /** Adds the column-major upper triangle of {@code from} (entry (i <= j) at j * d + i) to {@code to}. */
    private static void addUpper(double[] from, double[] to, int d) {
        for (int j = 0; j < d; j++) {
            for (int i = 0, o = j * d; i <= j; i++) {
                to[o + i] += from[o + i];
            }
        }
    }

    private static void addUpper(float[] from, double[] to, int d) {
        for (int j = 0; j < d; j++) {
            for (int i = 0, o = j * d; i <= j; i++) {
                to[o + i] += from[o + i];
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
        int workers = BlasThreads.workers();
        return BLAS.getClass().getSimpleName() + " over " + lib + "; Gram products on " + workers
                + (workers > 1 ? " workers, OpenBLAS single-threaded in each" : " worker (the BLAS threads itself)");
    }
}
