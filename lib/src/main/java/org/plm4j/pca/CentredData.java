package org.plm4j.pca;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.stream.IntStream;

/**
 * A validated dense n &times; d matrix with its column means. The shape is checked at once; the
 * means come from one parallel pass that sums the columns (in double) and detects ragged rows and
 * NaN/infinity, run on first use of {@link #mean()}, unless the float64 Gram pass of the system BLAS
 * ({@code NativeLinalg.gram}) comes first: it validates and sums the columns while it copies the
 * rows, so double data is read once instead of twice, and hands the means over
 * ({@link #adoptMean}). The caller's rows are read in place (they must not change during the fit).
 * Centring happens where the data is used: row by row into BLAS blocks ({@link #centredRow}), as
 * one whole-array subtraction on libtorch after a copy into native memory ({@link #toNd}), or in
 * Java for the small EJML paths ({@link #toDoubleArray}). Float32 data is centred in float32 (the
 * mean rounded to float32: a shift of ~1e-7 |mean|, irrelevant unless the mean dwarfs the
 * spread). Package-private: the building block of {@link Pca} and {@link IncrementalPca}.
 */
final class CentredData {

    final int n;
    final int d;
    final boolean single;
    private final double[][] doubles;
    private final float[][] floats;
    /** The column means once known; null until the first {@link #mean()} or {@link #adoptMean}. */
    private volatile double[] mean;
    /** {@link #mean} rounded to float32, for centring float rows. */
    private float[] meanF;

    private CentredData(int n, int d, double[][] doubles, float[][] floats) {
        this.n = n;
        this.d = d;
        this.single = floats != null;
        this.doubles = doubles;
        this.floats = floats;
    }

    /** Checks the shape of {@code data}; rows and values are validated when the means are computed. */
    static CentredData of(double[][] data, int minRows) {
        int[] nd = shape(data, minRows, Double.BYTES);
        return new CentredData(nd[0], nd[1], data, null);
    }

    static CentredData of(float[][] data, int minRows) {
        int[] nd = shape(data, minRows, Float.BYTES);
        return new CentredData(nd[0], nd[1], null, data);
    }

    /** The column means, computed (and the data validated) on first use. */
    double[] mean() {
        double[] m = mean;
        if (m == null) {
            synchronized (this) {
                if (mean == null) {
                    setMean(single ? means(floats, n, d, (i, sum) -> {
                        float[] row = floats[i];
                        for (int j = 0; j < sum.length; j++) {
                            sum[j] += row[j];
                        }
                    }) : means(doubles, n, d, (i, sum) -> {
                        double[] row = doubles[i];
                        for (int j = 0; j < sum.length; j++) {
                            sum[j] += row[j];
                        }
                    }));
                }
                m = mean;
            }
        }
        return m;
    }

    /** Whether the means are known (then the data has been validated). */
    boolean hasMean() {
        return mean != null;
    }

    /**
     * Takes the means from a pass that read every row: {@code sums} are the column sums of the rows
     * minus {@code shift}. A non-finite sum means a NaN or infinity somewhere (or an overflow): the
     * error then names the first bad cell, as the means pass does.
     */
    synchronized void adoptMean(double[] sums, double[] shift) {
        if (!finite(sums)) {
            throw firstBadCell(single ? floats : doubles, n, d);
        }
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = shift[j] + sums[j] / n;
        }
        setMean(m);
    }

    private void setMean(double[] m) {
        float[] f = new float[d];
        for (int j = 0; j < d; j++) {
            f[j] = (float) m[j];
        }
        meanF = f;
        mean = m;
    }

    /** Row {@code i} of double data, its length checked (the error names the first bad row). */
    double[] doubleRow(int i) {
        double[] r = doubles[i];
        if (r == null || r.length != d) {
            throw firstBadCell(doubles, n, d);
        }
        return r;
    }

    /** Rows and columns of {@code data} (a double[][] or float[][]), checked: enough rows, columns, and memory. */
    private static int[] shape(Object[] data, int minRows, int bytesPerValue) {
        int n = checkShape(data == null ? null : data.length, minRows);
        int d = data[0] == null ? 0 : java.lang.reflect.Array.getLength(data[0]);
        checkColumns(d);
        checkBytes((long) n * d * bytesPerValue);
        return new int[] {n, d};
    }

    /**
     * Adds row {@code i} (of the right length) to {@code sum}: Java has no generics over primitive
     * arrays, so the one validating mean computation below reads double and float rows through it.
     */
    private interface RowAdder {
        void addTo(int i, double[] sum);
    }

    /**
     * Column means in one pass, parallel over row blocks, validating as it goes; a ragged row or a
     * non-finite value is reported by the first offending cell in row order.
     */
    private static double[] means(Object[] data, int n, int d, RowAdder rows) {
        double[] mean;
        try {
            mean = IntStream.range(0, blocks(n)).parallel().mapToObj(b -> {
                double[] sum = new double[d];
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    if (length(data, i) != d) {
                        throw new IllegalArgumentException("ragged");
                    }
                    rows.addTo(i, sum);
                }
                if (!finite(sum)) {
                    throw new IllegalArgumentException("non-finite");
                }
                return sum;
            }).reduce(new double[d], CentredData::plus);
        } catch (IllegalArgumentException e) {
            throw firstBadCell(data, n, d);
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** The element-wise sum of two column-sum vectors, a new array. */
    static double[] plus(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            c[j] = a[j] + b[j];
        }
        return c;
    }

    private static boolean finite(double[] sum) {
        double t = 0;
        for (double v : sum) {
            t += v * 0;
        }
        return t == 0; // NaN or infinity anywhere makes t NaN
    }

    /** Sequential scan for the first ragged row or non-finite value, in row order (only after a failure). */
    private static int length(Object[] data, int i) {
        return data[i] == null ? -1 : java.lang.reflect.Array.getLength(data[i]);
    }

    private static IllegalArgumentException firstBadCell(Object[] data, int n, int d) {
        for (int i = 0; i < n; i++) {
            int len = length(data, i);
            if (len != d) {
                return new IllegalArgumentException("row " + i + " has " + (len < 0 ? "no" : Integer.toString(len))
                        + " values, expected " + d + " (all rows must have the same length)");
            }
            for (int j = 0; j < d; j++) {
                double v = java.lang.reflect.Array.getDouble(data[i], j);
                if (!Double.isFinite(v)) {
                    return nonFinite(i, j, v);
                }
            }
        }
        return new IllegalArgumentException("column sums overflow to infinity (values near " + Double.MAX_VALUE
                + "); rescale the data before PCA");
    }


    private static final int BLOCK = 1024;

    private static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    private static int checkShape(Integer rows, int minRows) {
        if (rows == null) {
            throw new IllegalArgumentException("data is null");
        }
        if (rows < minRows) {
            throw new IllegalArgumentException("PCA needs at least " + minRows + " rows, got " + rows);
        }
        return rows;
    }

    private static void checkColumns(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("PCA needs at least 1 column, got 0");
        }
    }

    private static IllegalArgumentException nonFinite(int i, int j, double v) {
        return new IllegalArgumentException("value at row " + i + ", column " + j + " is " + v
                + "; PCA needs finite numbers (drop or impute that row)");
    }

    private static ByteBuffer allocate(long bytes) {
        checkBytes(bytes);
        return ByteBuffer.allocateDirect((int) bytes).order(java.nio.ByteOrder.nativeOrder());
    }

    /** Inputs stay within one 2 GiB buffer (the libtorch paths copy them into one). */
    private static void checkBytes(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the matrix needs " + bytes / (1 << 20) + " MiB, more than one 2 GiB "
                    + "buffer; fit it in row blocks with IncrementalPca (exact, O(d^2) memory)");
        }
    }

    /** Row {@code i} centred, written to {@code out} from {@code offset} (float rows widened to double). */
    void centredRow(int i, double[] out, int offset) {
        double[] mean = mean();
        if (single) {
            float[] r = floats[i];
            for (int j = 0; j < d; j++) {
                out[offset + j] = (double) r[j] - mean[j];
            }
        } else {
            double[] r = doubles[i];
            for (int j = 0; j < d; j++) {
                out[offset + j] = r[j] - mean[j];
            }
        }
    }

    /** Row {@code i} of float data centred in float32, written to {@code out} from {@code offset}. */
    void centredRow(int i, float[] out, int offset) {
        mean();
        float[] meanF = this.meanF;
        float[] r = floats[i];
        for (int j = 0; j < d; j++) {
            out[offset + j] = r[j] - meanF[j];
        }
    }

    /** The centred matrix as an n &times; d tensor of {@code manager} (float32 or float64), a new array. */
    NDArray toNd(NDManager manager) {
        ByteBuffer buffer = allocate((long) n * d * (single ? Float.BYTES : Double.BYTES));
        IntStream.range(0, blocks(n)).parallel().forEach(b -> {
            for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                if (single) {
                    buffer.asFloatBuffer().put(i * d, floats[i]);
                } else {
                    buffer.asDoubleBuffer().put(i * d, doubles[i]);
                }
            }
        });
        DataType dt = single ? DataType.FLOAT32 : DataType.FLOAT64;
        NDArray raw = manager.create(buffer, new Shape(n, d), dt);
        NDArray mu = manager.create(mean(), new Shape(1, d));
        if (single) {
            mu = mu.toType(DataType.FLOAT32, false);
        }
        NDArray x = raw.sub(mu);
        raw.close();
        mu.close();
        return x;
    }

    /** The centred matrix as a row-major double array (for EJML). */
    double[] toDoubleArray() {
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            centredRow(i, out, i * d);
        }
        return out;
    }

    /** Sum of squares of a row-major array (the total variance times n - 1 for centred data). */
    static double sumSquares(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }

    /** The trace of a square matrix given row-major. */
    static double trace(double[] g, int d) {
        double t = 0;
        for (int j = 0; j < d; j++) {
            t += g[j * d + j];
        }
        return t;
    }
}
