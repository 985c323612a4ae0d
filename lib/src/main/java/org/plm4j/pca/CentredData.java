package org.plm4j.pca;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * A validated, column-centred copy of a dense n &times; d matrix, kept in a direct native-order
 * buffer (float32 for float input, float64 for double input) so that libtorch can use it
 * without another copy. Means and the total variance are accumulated in double whatever the
 * input type. Package-private: the building block of {@link Pca} and {@link IncrementalPca}.
 */
final class CentredData {

    final int n;
    final int d;
    final boolean single;
    final double[] mean;
    /** Sum of squared centred values (total variance times n - 1). */
    final double sumSquares;
    private final ByteBuffer buffer;

    private CentredData(int n, int d, boolean single, double[] mean, double sumSquares, ByteBuffer buffer) {
        this.n = n;
        this.d = d;
        this.single = single;
        this.mean = mean;
        this.sumSquares = sumSquares;
        this.buffer = buffer;
    }

    static CentredData of(double[][] data, int minRows) {
        int n = checkShape(data == null ? null : data.length, minRows);
        int d = data[0] == null ? 0 : data[0].length;
        checkColumns(d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double[] row = data[i];
            checkRow(row == null ? -1 : row.length, i, d);
            for (int j = 0; j < d; j++) {
                double v = row[j];
                if (!Double.isFinite(v)) {
                    throw nonFinite(i, j, v);
                }
                mean[j] += v;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        ByteBuffer buf = allocate((long) n * d * Double.BYTES);
        DoubleBuffer out = buf.asDoubleBuffer();
        double ss = IntStream.range(0, blocks(n)).parallel().mapToDouble(b -> {
            double s = 0;
            for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                double[] row = data[i];
                int off = i * d;
                for (int j = 0; j < d; j++) {
                    double v = row[j] - mean[j];
                    out.put(off + j, v);
                    s += v * v;
                }
            }
            return s;
        }).sum();
        return new CentredData(n, d, false, mean, ss, buf);
    }

    static CentredData of(float[][] data, int minRows) {
        int n = checkShape(data == null ? null : data.length, minRows);
        int d = data[0] == null ? 0 : data[0].length;
        checkColumns(d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            float[] row = data[i];
            checkRow(row == null ? -1 : row.length, i, d);
            for (int j = 0; j < d; j++) {
                float v = row[j];
                if (!Float.isFinite(v)) {
                    throw nonFinite(i, j, v);
                }
                mean[j] += v;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        ByteBuffer buf = allocate((long) n * d * Float.BYTES);
        FloatBuffer out = buf.asFloatBuffer();
        double ss = IntStream.range(0, blocks(n)).parallel().mapToDouble(b -> {
            double s = 0;
            for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                float[] row = data[i];
                int off = i * d;
                for (int j = 0; j < d; j++) {
                    double v = row[j] - mean[j];
                    out.put(off + j, (float) v);
                    s += v * v;
                }
            }
            return s;
        }).sum();
        return new CentredData(n, d, true, mean, ss, buf);
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

    private static void checkRow(int len, int i, int d) {
        if (len != d) {
            throw new IllegalArgumentException("row " + i + " has " + (len < 0 ? "no" : Integer.toString(len))
                    + " values, expected " + d + " (all rows must have the same length)");
        }
    }

    private static IllegalArgumentException nonFinite(int i, int j, double v) {
        return new IllegalArgumentException("value at row " + i + ", column " + j + " is " + v
                + "; PCA needs finite numbers (drop or impute that row)");
    }

    private static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the matrix needs " + bytes / (1 << 20) + " MiB, more than one 2 GiB "
                    + "buffer; fit it in row blocks with IncrementalPca (exact, O(d^2) memory)");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(java.nio.ByteOrder.nativeOrder());
    }

    /** The centred matrix as an n &times; d tensor of {@code manager} (float32 or float64). */
    NDArray toNd(NDManager manager) {
        buffer.rewind();
        return manager.create(buffer, new Shape(n, d), single ? DataType.FLOAT32 : DataType.FLOAT64);
    }

    /** The centred matrix as a row-major double array (for EJML). */
    double[] toDoubleArray() {
        double[] out = new double[n * d];
        if (single) {
            FloatBuffer f = buffer.asFloatBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = f.get(i);
            }
        } else {
            buffer.asDoubleBuffer().get(0, out);
        }
        return out;
    }
}
