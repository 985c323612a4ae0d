package org.plm4j.pca;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Exact PCA of a matrix that arrives in row blocks (mini-batches) and need not fit in memory:
 * for each block it accumulates the count, the column means and the d &times; d scatter matrix,
 * merged with Chan, Golub &amp; LeVeque's pairwise update
 * {@code S = Sa + Sb + na nb / (na + nb) (ma - mb)(ma - mb)ᵀ} (numerically stable: each block is
 * centred on its own mean before its Gram matrix is formed, on libtorch for large blocks). The
 * final {@link #result(PcaConfig)} decomposes the scatter matrix, so it equals the exact
 * {@link PcaConfig.Method#COVARIANCE} fit of all rows (unlike scikit-learn's
 * {@code IncrementalPCA}, which is approximate). Memory is O(d&sup2;) plus one block.
 *
 * <p>A mutable accumulator, not thread-safe: {@link #add(double[][])} returns nothing;
 * {@link #result(PcaConfig)} returns a new immutable {@link PcaResult} and may be called again
 * after more blocks. Blocks are validated like {@link Pca#fit(double[][], PcaConfig)}'s input;
 * error messages give the row index counted over all blocks.
 */
public final class IncrementalPca {

    private long n;
    private int d = -1;
    private double[] mean;
    private DMatrixRMaj scatter;

    /** An empty accumulator; the first block fixes the number of columns. */
    public IncrementalPca() {
    }

    /** Adds a block of rows (at least one). */
    public void add(double[][] block) {
        try {
            merge(CentredData.of(block, 1));
        } catch (IllegalArgumentException e) {
            throw offset(e);
        }
    }

    /** Adds a block of float rows (at least one). */
    public void add(float[][] block) {
        try {
            merge(CentredData.of(block, 1));
        } catch (IllegalArgumentException e) {
            throw offset(e);
        }
    }

    private IllegalArgumentException offset(IllegalArgumentException e) {
        return n == 0 ? e : new IllegalArgumentException("in the block starting at row " + n + ": " + e.getMessage(), e);
    }

    /** Rows added so far. */
    public long rows() {
        return n;
    }

    private void merge(CentredData c) {
        if (d >= 0 && c.d != d) {
            throw new IllegalArgumentException("block rows have " + c.d + " values, earlier blocks had " + d);
        }
        DMatrixRMaj g = Linalg.gram(c);
        if (d < 0) {
            d = c.d;
            n = c.n;
            mean = c.mean().clone();
            scatter = g;
            return;
        }
        double na = n;
        double nb = c.n;
        double f = na * nb / (na + nb);
        double[] delta = new double[d];
        double[] blockMean = c.mean();
        for (int j = 0; j < d; j++) {
            delta[j] = blockMean[j] - mean[j];
        }
        CommonOps_DDRM.addEquals(scatter, g);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                scatter.data[i * d + j] += f * delta[i] * delta[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] += delta[j] * nb / (na + nb);
        }
        n += c.n;
    }

    /**
     * The PCA of all rows added so far (exact; the method in {@code config} is ignored).
     *
     * @throws IllegalStateException if fewer than 2 rows were added
     */
    public PcaResult result(PcaConfig config) {
        if (n < 2) {
            throw new IllegalStateException("incremental PCA needs at least 2 rows, got " + n + "; add blocks first");
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException("more than 2^31 rows are not supported, got " + n);
        }
        if (config.truncation() == PcaConfig.Truncation.FIXED) {
            Pca.checkK(config.components(), (int) n, d);
        }
        DMatrixRMaj s = scatter.copy();
        Linalg.symmetrize(s);
        Linalg.SymEig e = Linalg.symEig(s);
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += scatter.get(j, j);
        }
        double[] eig = java.util.Arrays.copyOf(e.values(), (int) Math.min(n, d));
        return Pca.finish(mean.clone(), eig, e.vectors(), trace, (int) n, d, PcaConfig.Method.COVARIANCE, config);
    }
}
