package org.plm4j.pca;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Angles between subspaces and between directions, in degrees: how far two fits' principal axes
 * are apart (exact vs randomized PCA, two seeds, before and after training), or how far an axis is
 * from a known one. A subspace is given by the rows of a matrix that span it (any basis, e.g.
 * {@link PcaResult#componentMatrix()}); signs and the choice of basis do not matter.
 *
 * <pre>{@code
 * double deg = Subspaces.maxAngleDegrees(exact.componentMatrix(), randomized.componentMatrix());
 * }</pre>
 *
 * <p>Angles are computed from both their cosines and their sines, so values near 0 and near 90
 * degrees keep their precision.
 */
public final class Subspaces {

    /** Rows whose QR pivot falls below this share of the largest row norm count as dependent. */
    private static final double DEPENDENT = 1e-10;

    private Subspaces() {
    }

    /**
     * The largest principal angle (Björck &amp; Golub 1973) between the span of the rows of
     * {@code a} and the span of the rows of {@code b}: 0 when the subspaces are equal, 90 when some
     * direction of one is orthogonal to all of the other. When the dimensions differ, the angles
     * are those of the smaller subspace, so the result is 0 when it lies inside the larger one.
     *
     * @param a k<sub>a</sub> &times; d, linearly independent rows
     * @param b k<sub>b</sub> &times; d, linearly independent rows, the same d
     * @return degrees in [0, 90]
     * @throws IllegalArgumentException if a matrix is empty, ragged or not finite, the column
     *     counts differ, or the rows of a matrix are linearly dependent
     */
    public static double maxAngleDegrees(double[][] a, double[][] b) {
        int da = Checks.matrix("a", a, 1);
        int db = Checks.matrix("b", b, 1);
        if (da != db) {
            throw new IllegalArgumentException("a has rows of length " + da + " and b of length " + db
                    + "; both must span subspaces of the same space");
        }
        DMatrixRMaj qa = orthonormalColumns("a", a);
        DMatrixRMaj qb = orthonormalColumns("b", b);
        DMatrixRMaj large = qa.numCols >= qb.numCols ? qa : qb;
        DMatrixRMaj small = large == qa ? qb : qa;
        DMatrixRMaj cosines = new DMatrixRMaj(large.numCols, small.numCols);
        CommonOps_DDRM.multTransA(large, small, cosines);
        // the part of the small subspace's basis outside the large subspace: its singular values are the sines
        DMatrixRMaj outside = new DMatrixRMaj(small.numRows, small.numCols);
        CommonOps_DDRM.mult(large, cosines, outside);
        CommonOps_DDRM.subtract(small, outside, outside);
        double minCos = Double.POSITIVE_INFINITY;
        for (double c : SingularOps_DDRM.singularValues(cosines)) {
            minCos = Math.min(minCos, c);
        }
        double maxSin = 0;
        for (double s : SingularOps_DDRM.singularValues(outside)) {
            maxSin = Math.max(maxSin, s);
        }
        return Math.toDegrees(Math.atan2(maxSin, Math.min(1, minCos)));
    }

    /**
     * The angle between the lines spanned by {@code a} and {@code b}, whatever their signs and
     * lengths: 0 when one is a multiple of the other, 90 when they are orthogonal.
     *
     * @return degrees in [0, 90]
     * @throws IllegalArgumentException if a vector is null, empty, zero or not finite, or the
     *     lengths differ
     */
    public static double angleDegrees(double[] a, double[] b) {
        Checks.vector("a", a);
        Checks.vector("b", b);
        if (a.length != b.length) {
            throw new IllegalArgumentException("a has " + a.length + " values and b has " + b.length
                    + "; directions of the same space need the same length");
        }
        double na = norm("a", a);
        double nb = norm("b", b);
        double cos = 0;
        for (int j = 0; j < a.length; j++) {
            cos += (a[j] / na) * (b[j] / nb);
        }
        double sin = 0;
        for (int j = 0; j < a.length; j++) {
            double r = b[j] / nb - cos * a[j] / na;
            sin += r * r;
        }
        return Math.toDegrees(Math.atan2(Math.sqrt(sin), Math.abs(cos)));
    }

    private static double norm(String name, double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException(name + " is " + (v.length == 0 ? "empty" : "the zero vector")
                    + ", which has no direction; pass a non-zero vector");
        }
        return Math.sqrt(s);
    }

    /** An orthonormal basis (d &times; k, in columns) of the span of the k rows of {@code m}. */
    private static DMatrixRMaj orthonormalColumns(String name, double[][] m) {
        int k = m.length;
        int d = m[0].length;
        if (k > d) {
            throw new IllegalArgumentException(name + " has " + k + " rows of length " + d + ": at most " + d
                    + " rows can be linearly independent; pass a basis of the subspace (e.g. PcaResult.componentMatrix())");
        }
        DMatrixRMaj columns = new DMatrixRMaj(d, k);
        double largest = 0;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                columns.set(j, i, m[i][j]);
                s += m[i][j] * m[i][j];
            }
            largest = Math.max(largest, Math.sqrt(s));
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(d, k);
        if (!qr.decompose(columns.copy())) {
            throw new IllegalStateException("EJML's QR decomposition failed on the rows of " + name);
        }
        DMatrixRMaj r = qr.getR(null, true);
        for (int i = 0; i < k; i++) {
            if (!(Math.abs(r.get(i, i)) > DEPENDENT * largest)) {
                throw new IllegalArgumentException("the rows of " + name + " are linearly dependent (row " + i
                        + " lies in the span of the rows before it" + (largest == 0 ? ", all rows are zero" : "")
                        + "); pass a basis of the subspace (e.g. PcaResult.componentMatrix())");
            }
        }
        return qr.getQ(null, true);
    }
}
