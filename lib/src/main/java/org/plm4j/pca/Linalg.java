package org.plm4j.pca;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.plm4j.internal.EngineSetup;

/**
 * The linear algebra of the PCA package, chosen per operation:
 *
 * <ul>
 *   <li><b>System BLAS/LAPACK first.</b> When {@link NativeLinalg} is available, the Gram matrix
 *       ({@code dsyrk}/{@code ssyrk}) and symmetric eigenproblems (LAPACK) run there; the rest of
 *       this list is the fallback and the path of the remaining products.</li>
 *   <li><b>Big products on libtorch (DJL).</b> Everything that touches all n &times; d values
 *       ({@code XᵀX}, {@code X·Q}, {@code Xᵀ·Y}, kernel Gram matrices) is a GEMM: it runs on
 *       libtorch's multithreaded MKL through DJL's {@code matmul} (≈170 GFLOP/s fp32 here,
 *       ≈half that in fp64, 20-50&times; EJML's pure-Java product). Exact PCA forms the Gram matrix
 *       in float64 even for float input (explained-variance ratios to 1e-6 need it); the randomized
 *       solver keeps the input's type, since subspace iteration is self-correcting.</li>
 *   <li><b>Small decompositions in EJML.</b> DJL has no SVD or eigendecomposition; what remains
 *       after the products is d &times; d or l &times; l (symmetric eigenproblems, thin QR of d &times; l),
 *       for which EJML's pure-Java solvers take milliseconds and are well tested.</li>
 *   <li>Below {@link #DJL_MIN_FLOPS} a product stays in EJML: starting the engine and copying to
 *       native memory is not worth it for a 300 &times; 20 matrix.</li>
 * </ul>
 */
final class Linalg {

    /** Products smaller than this many multiply-adds run in EJML instead of libtorch. */
    static final double DJL_MIN_FLOPS = 5e7;

    private Linalg() {
    }

    /** Symmetric d &times; d Gram matrix {@code XcᵀXc} in double. */
    static DMatrixRMaj gram(CentredData c) {
        boolean big = (double) c.n * c.d * c.d >= DJL_MIN_FLOPS;
        if (big && NativeLinalg.available()) {
            return DMatrixRMaj.wrap(c.d, c.d, NativeLinalg.gram(c));
        }
        return gram(c, big);
    }

    static DMatrixRMaj gram(CentredData c, boolean useTorch) {
        DMatrixRMaj g = new DMatrixRMaj(c.d, c.d);
        if (useTorch) {
            try (NDManager m = EngineSetup.engine().newBaseManager()) {
                g.data = gramNd(c.toNd(m), true).toDoubleArray();
            }
        } else {
            DMatrixRMaj x = DMatrixRMaj.wrap(c.n, c.d, c.toDoubleArray());
            CommonOps_DDRM.multTransA(x, x, g);
        }
        symmetrize(g);
        return g;
    }

    /** Rows per block of {@link #gramNd}: bounds fp32 accumulation error and the float64 copy of a block. */
    static final int GRAM_BLOCK = 8192;

    /**
     * {@code xᵀx} as a float64 d &times; d tensor, accumulated over blocks of {@link #GRAM_BLOCK}
     * rows in float64. With {@code exact} each block is promoted to float64 before its product;
     * otherwise float32 blocks multiply in float32 (MKL sgemm, twice as fast) and only the
     * partial sums are float64, so rounding grows with the block length, not with n.
     */
    static NDArray gramNd(NDArray x, boolean exact) {
        NDManager m = x.getManager();
        long n = x.getShape().get(0);
        long d = x.getShape().get(1);
        NDArray acc = m.zeros(new Shape(d, d), DataType.FLOAT64);
        for (long start = 0; start < n; start += GRAM_BLOCK) {
            try (NDManager s = m.newSubManager()) {
                NDArray b = x.get(start + ":" + Math.min(n, start + GRAM_BLOCK));
                b.attach(s);
                if (exact && b.getDataType() != DataType.FLOAT64) {
                    b = b.toType(DataType.FLOAT64, false);
                }
                NDArray p = b.transpose().matMul(b);
                if (p.getDataType() != DataType.FLOAT64) {
                    p = p.toType(DataType.FLOAT64, false);
                }
                acc.addi(p);
            }
        }
        return acc;
    }

    /** Sum of squares of all entries, accumulated in float64 block by block. */
    static double sumSquaresNd(NDArray x) {
        long n = x.getShape().get(0);
        double total = 0;
        for (long start = 0; start < n; start += GRAM_BLOCK) {
            try (NDManager s = x.getManager().newSubManager()) {
                NDArray b = x.get(start + ":" + Math.min(n, start + GRAM_BLOCK));
                b.attach(s);
                total += b.toType(DataType.FLOAT64, false).square().sum().getDouble();
            }
        }
        return total;
    }

    static void symmetrize(DMatrixRMaj g) {
        int d = g.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (g.get(i, j) + g.get(j, i));
                g.set(i, j, v);
                g.set(j, i, v);
            }
        }
    }

    /** From this order on, symmetric eigenproblems go to LAPACK when it is loaded. */
    static final int NATIVE_MIN_EIG = 32;

    /** Eigenpairs of a symmetric matrix, eigenvalues decreasing; vectors are the columns of {@code vectors}. */
    record SymEig(double[] values, DMatrixRMaj vectors) {
    }

    static SymEig symEig(DMatrixRMaj a) {
        int d = a.numRows;
        if (d >= NATIVE_MIN_EIG && NativeLinalg.available()) {
            return NativeLinalg.topEigen(a, d);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("EJML's symmetric eigendecomposition did not converge on a " + d + "x" + d
                    + " matrix; try PcaConfig.Method.SVD");
        }
        Integer[] order = new Integer[d];
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
            ev[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, (x, y) -> Double.compare(ev[y], ev[x]));
        double[] values = new double[d];
        DMatrixRMaj vec = new DMatrixRMaj(d, d);
        for (int c = 0; c < d; c++) {
            values[c] = ev[order[c]];
            DMatrixRMaj v = eig.getEigenVector(order[c]);
            for (int j = 0; j < d; j++) {
                vec.set(j, c, v.get(j, 0));
            }
        }
        return new SymEig(values, vec);
    }

    /**
     * The first {@code k} columns of {@code vectors} as rows, each with its entry of largest
     * absolute value made positive (scikit-learn's deterministic sign convention).
     */
    static double[][] signedColumns(DMatrixRMaj vectors, int k) {
        int d = vectors.numRows;
        double[][] out = new double[k][d];
        for (int c = 0; c < k; c++) {
            int arg = 0;
            for (int j = 0; j < d; j++) {
                out[c][j] = vectors.get(j, c);
                if (Math.abs(out[c][j]) > Math.abs(out[c][arg])) {
                    arg = j;
                }
            }
            if (out[c][arg] < 0) {
                for (int j = 0; j < d; j++) {
                    out[c][j] = -out[c][j];
                }
            }
        }
        return out;
    }

    /** Orthonormal basis (d &times; l, thin QR) of the columns of {@code z}. */
    static DMatrixRMaj orth(DMatrixRMaj z) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(z.numRows, z.numCols);
        if (!qr.decompose(z.copy())) {
            throw new IllegalStateException("QR decomposition failed on a " + z.numRows + "x" + z.numCols + " matrix");
        }
        return qr.getQ(null, true);
    }

    /** A rows &times; cols matrix of independent standard normal values from {@code seed}. */
    static DMatrixRMaj gaussian(int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj g = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < g.data.length; i += 2) {
            double u = rnd.nextDouble();
            double v = rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(1 - u));
            g.data[i] = r * Math.cos(2 * Math.PI * v);
            if (i + 1 < g.data.length) {
                g.data[i + 1] = r * Math.sin(2 * Math.PI * v);
            }
        }
        return g;
    }

    /**
     * Randomized PCA (Halko, Martinsson &amp; Tropp 2011, "Finding structure with randomness",
     * SIAM Review 53(2), Alg. 4.4 / 5.3, subspace iteration in row space): a seeded Gaussian
     * d &times; l start {@code Q}; repeated applications of {@code XcᵀXc}, each followed by a thin QR
     * in EJML; then Rayleigh–Ritz: the eigenpairs of the l &times; l matrix {@code Qᵀ XcᵀXc Q} give
     * the singular values and, through {@code Q}, the principal axes. Nothing of size n is ever
     * copied back to Java. Two ways to apply {@code XcᵀXc}, chosen by cost:
     *
     * <ul>
     *   <li><b>Skinny GEMMs</b> {@code Xcᵀ(Xc Q)} on libtorch, {@code iterations + 1} times, in the
     *       input's precision: 2 (q + 1) n d l multiply-adds.</li>
     *   <li><b>Gram matrix first</b> when n &ge; d and d &le; 4 (q + 1) l: {@code XcᵀXc} is formed
     *       once (n d&sup2;, blocks of {@link #GRAM_BLOCK} rows, float32 products summed in float64),
     *       which libtorch runs ~3&times; faster per flop than tall-skinny products (measured on
     *       100000 &times; 768 fp32: 78 vs 25 GFLOP/s); each application then costs only d&sup2; l, so
     *       it runs 3 (q + 1) of them; for d &le; {@link #SMALL_GRAM} the d &times; d matrix is
     *       simply decomposed exactly.</li>
     * </ul>
     */
    /** Result of {@link #randomized}: the Ritz pairs and the sum of squares of the centred data. */
    record Randomized(SymEig eig, double sumSquares) {
    }

    /** Up to this d the randomized solver, once it has the Gram matrix, decomposes it exactly. */
    static final int SMALL_GRAM = 320;

    static Randomized randomized(CentredData c, int l, int iterations, long seed) {
        DataType dt = c.single ? DataType.FLOAT32 : DataType.FLOAT64;
        // Forming the Gram matrix costs n d^2 multiply-adds, the iterations 2 (q + 1) n d l; one
        // square GEMM also runs ~3x more flops per second here than tall-skinny ones (measured:
        // 100000x768 fp32, XᵀX 78 GFLOP/s vs X·Q 25). When it is cheaper, form it once; then every
        // application of XᵀX costs d^2 l and we can afford 4x the iterations.
        boolean viaGram = c.n >= c.d && (double) c.d <= 4.0 * (iterations + 1) * l;
        int applications = viaGram ? 3 * (iterations + 1) : iterations + 1;
        if (viaGram && NativeLinalg.available()) {
            // the Gram matrix in the input's precision (float products summed in float64 per block),
            // then LAPACK's top-l eigenpairs: exact on that matrix and cheaper than the iterations
            DMatrixRMaj g = DMatrixRMaj.wrap(c.d, c.d, NativeLinalg.gram(c));
            return new Randomized(NativeLinalg.topEigen(g, l), CentredData.trace(g.data, c.d));
        }
        DMatrixRMaj q = orth(gaussian(c.d, l, seed)); // the start of the iterations below
        try (NDManager m = EngineSetup.engine().newBaseManager()) {
            NDArray x = c.toNd(m);
            NDArray gram = viaGram ? gramNd(x, false) : null;
            double sumSquares;
            if (viaGram) {
                x.close();
                DMatrixRMaj g = new DMatrixRMaj(c.d, c.d);
                g.data = gram.toDoubleArray();
                sumSquares = CentredData.trace(g.data, c.d);
                if (c.d <= SMALL_GRAM) {
                    // a small d x d eigenproblem (~50 ms at d = 256) is cheaper than the
                    // iterations' per-call overhead (~8 ms each), and exact
                    symmetrize(g);
                    return new Randomized(symEig(g), sumSquares);
                }
            } else {
                sumSquares = sumSquaresNd(x);
            }
            for (int it = 1; ; it++) {
                DMatrixRMaj z;
                try (NDManager s = m.newSubManager()) {
                    // results of an op belong to its input's manager: attach them to this step's
                    NDArray zn;
                    if (viaGram) {
                        zn = gram.matMul(toNd(s, q, DataType.FLOAT64));
                        zn.attach(s);
                    } else {
                        NDArray y = x.matMul(toNd(s, q, dt));
                        y.attach(s);
                        NDArray xt = x.transpose();
                        xt.attach(s);
                        zn = xt.matMul(y);
                    }
                    z = new DMatrixRMaj(c.d, l);
                    z.data = zn.toType(DataType.FLOAT64, false).toDoubleArray();
                }
                if (it == applications) {
                    // Rayleigh–Ritz on span(q)
                    DMatrixRMaj h = new DMatrixRMaj(l, l);
                    CommonOps_DDRM.multTransA(q, z, h);
                    symmetrize(h);
                    SymEig e = symEig(h);
                    DMatrixRMaj axes = new DMatrixRMaj(c.d, l);
                    CommonOps_DDRM.mult(q, e.vectors(), axes);
                    return new Randomized(new SymEig(e.values(), axes), sumSquares);
                }
                q = orth(z);
            }
        }
    }

    /**
     * Top-l eigenpairs of a symmetric positive semi-definite n &times; n matrix by seeded subspace
     * iteration ({@code iterations} products on libtorch, thin QR in EJML) and Rayleigh–Ritz.
     */
    static SymEig topEigen(DMatrixRMaj a, int l, int iterations, long seed) {
        int n = a.numRows;
        DMatrixRMaj q = orth(gaussian(n, l, seed));
        try (NDManager m = EngineSetup.engine().newBaseManager()) {
            NDArray an = toNd(m, a, DataType.FLOAT64);
            for (int it = 1; ; it++) {
                DMatrixRMaj z = new DMatrixRMaj(n, l);
                try (NDManager s = m.newSubManager()) {
                    NDArray zn = an.matMul(toNd(s, q, DataType.FLOAT64));
                    zn.attach(s);
                    z.data = zn.toDoubleArray();
                }
                if (it == iterations) {
                    DMatrixRMaj h = new DMatrixRMaj(l, l);
                    CommonOps_DDRM.multTransA(q, z, h);
                    symmetrize(h);
                    SymEig e = symEig(h);
                    DMatrixRMaj v = new DMatrixRMaj(n, l);
                    CommonOps_DDRM.mult(q, e.vectors(), v);
                    return new SymEig(e.values(), v);
                }
                q = orth(z);
            }
        }
    }

    static NDArray toNd(NDManager m, DMatrixRMaj a, DataType dt) {
        NDArray r = m.create(a.data, new Shape(a.numRows, a.numCols));
        return dt == DataType.FLOAT64 ? r : r.toType(dt, false);
    }

    /** {@code a · bᵀ} for row-major a (r &times; d) and b (s &times; d), on libtorch when large. */
    static DMatrixRMaj multTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, b.numRows);
        if ((double) a.numRows * b.numRows * a.numCols >= DJL_MIN_FLOPS) {
            try (NDManager m = EngineSetup.engine().newBaseManager()) {
                out.data = toNd(m, a, DataType.FLOAT64).matMul(toNd(m, b, DataType.FLOAT64).transpose()).toDoubleArray();
            }
        } else {
            CommonOps_DDRM.multTransB(a, b, out);
        }
        return out;
    }

    /** {@code a · b} (a symmetric n &times; n, b n &times; l), on libtorch when large. */
    static DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, b.numCols);
        if ((double) a.numRows * a.numCols * b.numCols >= DJL_MIN_FLOPS) {
            try (NDManager m = EngineSetup.engine().newBaseManager()) {
                out.data = toNd(m, a, DataType.FLOAT64).matMul(toNd(m, b, DataType.FLOAT64)).toDoubleArray();
            }
        } else {
            CommonOps_DDRM.mult(a, b, out);
        }
        return out;
    }
}
