package org.plm4j.pca;

/**
 * The argument checks that {@link Separation}, {@link Subspaces} and {@link Isotropy} share: each
 * throws an {@link IllegalArgumentException} that names the argument, the offending row, column or
 * value, and what to pass instead.
 */
final class Checks {

    private Checks() {
    }

    /**
     * {@code m} is a matrix of at least {@code minRows} rows, all of the same positive length, with
     * finite values; returns its number of columns.
     */
    static int matrix(String name, double[][] m, int minRows) {
        if (m == null) {
            throw new IllegalArgumentException(name + " is null; pass one row per point");
        }
        if (m.length < minRows) {
            throw new IllegalArgumentException(name + " has " + m.length + " rows, at least " + minRows + " needed");
        }
        int d = m[0] == null ? 0 : m[0].length;
        if (d == 0) {
            throw new IllegalArgumentException(name + "[0] is " + (m[0] == null ? "null" : "empty")
                    + "; every row needs at least one column");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null || m[i].length != d) {
                throw new IllegalArgumentException(name + "[" + i + "] has " + (m[i] == null ? "no values (null)"
                        : m[i].length + " values") + ", but row 0 has " + d + "; all rows need the same length");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is " + m[i][j]
                            + "; remove or impute non-finite values first");
                }
            }
        }
        return d;
    }

    /** {@code v} is a non-null vector of finite values. */
    static void vector(String name, double[] v) {
        if (v == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        for (int j = 0; j < v.length; j++) {
            if (!Double.isFinite(v[j])) {
                throw new IllegalArgumentException(name + "[" + j + "] is " + v[j] + "; remove or impute non-finite values first");
            }
        }
    }

    /** One non-null label per point. */
    static void labels(String[] labels, int points) {
        if (labels == null) {
            throw new IllegalArgumentException("labels is null; pass one label per point");
        }
        if (labels.length != points) {
            throw new IllegalArgumentException(points + " points but " + labels.length + " labels; pass one label per point");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                throw new IllegalArgumentException("labels[" + i + "] is null; every point needs a label");
            }
        }
    }
}
