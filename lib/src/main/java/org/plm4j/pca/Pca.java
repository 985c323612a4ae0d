package org.plm4j.pca;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Exact principal component analysis of a dense matrix (rows = samples, columns = features).
 *
 * <p><b>Why EJML.</b> DJL's {@code NDArray} has no SVD or eigendecomposition, and Tribuo's
 * eigendecomposition handles symmetric matrices only and Tribuo has no PCA; EJML provides fast,
 * well-tested dense SVD and symmetric eigendecomposition in pure Java.
 *
 * <p><b>Method.</b> Columns are centred by their means. With {@link PcaConfig.Method#COVARIANCE}
 * (chosen by {@code AUTO} when rows &ge; 2 &times; columns, the usual case for embeddings) the
 * d &times; d scatter matrix {@code Xc^T Xc} (accumulated over blocks of rows, multi-threaded) is decomposed by EJML's symmetric eigensolver and the
 * singular values are the square roots of its eigenvalues; otherwise the thin SVD of the centred
 * matrix is used. Results follow scikit-learn's {@code PCA}: explained variance
 * {@code s^2 / (n - 1)}, ratio = explained variance / total variance (sum of all column
 * variances, so the ratios of the kept components sum to at most 1), and deterministic signs:
 * in each component the entry of largest absolute value is positive (scikit-learn's
 * {@code svd_flip} with {@code u_based_decision=False}, the convention of its PCA since 1.5;
 * versions before that flip by U instead, which can give opposite signs).
 *
 * <p><b>Failures.</b> NaN or infinite values raise {@link IllegalArgumentException} naming the
 * row and column; so do ragged rows, fewer than 2 rows, and {@code k} greater than the number of
 * columns or rows. A constant column is allowed: it has zero variance and contributes nothing
 * (if all columns are constant, every ratio is 0).
 */
public final class Pca {

    private Pca() {
    }

    /** Fits a PCA of {@code data}; see the class documentation. */
    public static PcaResult fit(double[][] data, PcaConfig config) {
        int n = data.length;
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
        }
        int d = data[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("PCA needs at least 1 column, got 0");
        }
        int k = config.components();
        if (k > d) {
            throw new IllegalArgumentException("components k = " + k + " exceeds the number of columns d = " + d
                    + "; use at most " + d);
        }
        if (k > n) {
            throw new IllegalArgumentException("components k = " + k + " exceeds the number of rows n = " + n
                    + "; use at most " + n + " or pass more rows");
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double[] row = data[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException("row " + i + " has " + (row == null ? "no" : row.length)
                        + " values, expected " + d + " (all rows must have the same length)");
            }
            for (int j = 0; j < d; j++) {
                double v = row[j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("value at row " + i + ", column " + j + " is " + v
                            + "; PCA needs finite numbers (drop or impute that row)");
                }
                mean[j] += v;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] row = data[i];
            for (int j = 0; j < d; j++) {
                double v = row[j] - mean[j];
                total += v * v;
            }
        }
        double totalVar = total / (n - 1);
        PcaConfig.Method m = config.method();
        if (m == PcaConfig.Method.AUTO) {
            m = n >= 2 * d ? PcaConfig.Method.COVARIANCE : PcaConfig.Method.SVD;
        }
        double[] sv = new double[k];
        double[][] comps = new double[k][d];
        if (m == PcaConfig.Method.COVARIANCE) {
            DMatrixRMaj cov = scatter(data, mean);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
            if (!eig.decompose(cov)) {
                throw new IllegalStateException("EJML's symmetric eigendecomposition did not converge on the "
                        + d + "x" + d + " covariance matrix; try PcaConfig.Method.SVD");
            }
            Integer[] order = new Integer[d];
            double[] ev = new double[d];
            for (int i = 0; i < d; i++) {
                order[i] = i;
                ev[i] = eig.getEigenvalue(i).getReal();
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
            for (int c = 0; c < k; c++) {
                sv[c] = Math.sqrt(Math.max(0, ev[order[c]]));
                DMatrixRMaj v = eig.getEigenVector(order[c]);
                for (int j = 0; j < d; j++) {
                    comps[c][j] = v.get(j, 0);
                }
            }
        } else {
            DMatrixRMaj xc = new DMatrixRMaj(n, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    xc.data[i * d + j] = data[i][j] - mean[j];
                }
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, true, true);
            if (!svd.decompose(xc)) {
                throw new IllegalStateException("EJML's SVD did not converge on the " + n + "x" + d + " matrix");
            }
            double[] s = svd.getSingularValues();
            DMatrixRMaj vt = svd.getV(null, true);
            int r = Math.min(n, d);
            Integer[] order = new Integer[r];
            for (int i = 0; i < r; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            for (int c = 0; c < k; c++) {
                sv[c] = s[order[c]];
                for (int j = 0; j < d; j++) {
                    comps[c][j] = vt.get(order[c], j);
                }
            }
        }
        for (int c = 0; c < k; c++) {
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(comps[c][j]) > Math.abs(comps[c][arg])) {
                    arg = j;
                }
            }
            if (comps[c][arg] < 0) {
                for (int j = 0; j < d; j++) {
                    comps[c][j] = -comps[c][j];
                }
            }
        }
        double[] var = new double[k];
        double[] ratio = new double[k];
        for (int c = 0; c < k; c++) {
            var[c] = sv[c] * sv[c] / (n - 1);
            ratio[c] = totalVar > 0 ? var[c] / totalVar : 0.0;
        }
        return new PcaResult(mean, comps, sv, var, ratio, totalVar, n, m);
    }

    /**
     * The d x d scatter matrix {@code Xc^T Xc} of the centred data, accumulated over blocks of
     * rows (memory stays O(block x d + d^2)) with EJML's multi-threaded product.
     */
    private static DMatrixRMaj scatter(double[][] data, double[] mean) {
        int n = data.length;
        int d = mean.length;
        int block = Math.max(64, Math.min(n, (1 << 21) / d));
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        DMatrixRMaj b = new DMatrixRMaj(block, d);
        for (int start = 0; start < n; start += block) {
            int rows = Math.min(block, n - start);
            if (rows != b.numRows) {
                b = new DMatrixRMaj(rows, d);
            }
            for (int i = 0; i < rows; i++) {
                double[] row = data[start + i];
                int off = i * d;
                for (int j = 0; j < d; j++) {
                    b.data[off + j] = row[j] - mean[j];
                }
            }
            CommonOps_MT_DDRM.multAddTransA(b, b, cov);
        }
        // exact symmetry for the symmetric eigensolver
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (cov.get(i, j) + cov.get(j, i));
                cov.set(i, j, v);
                cov.set(j, i, v);
            }
        }
        return cov;
    }

    /** Fits a PCA of float data (converted to double). */
    public static PcaResult fit(float[][] data, PcaConfig config) {
        return fit(toDouble(data), config);
    }

    /** Fits {@code k} components with the automatic method. */
    public static PcaResult fit(double[][] data, int k) {
        return fit(data, PcaConfig.of(k));
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
