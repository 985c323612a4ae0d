package org.plm4j.pca;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well labelled points fall into separate groups: leave-one-out k-nearest-neighbour accuracy
 * and the mean silhouette (both Euclidean, in any dimension), and for a single coordinate with two
 * labels the accuracy of the best threshold. None of them uses the labels to place the points, so
 * the same figure on shuffled labels shows what "no structure" scores.
 *
 * <p>Labels are compared with {@code equals}. Bad input (null, ragged or non-finite points, a label
 * count that does not match, k out of range, too few distinct labels) throws an
 * {@link IllegalArgumentException} that names the problem.
 *
 * <pre>{@code
 * double[][] plane = Pca.fit(x, PcaConfig.of(2)).transform(x);
 * double knn = Separation.knnAccuracy(plane, topics, 5);
 * double s = Separation.silhouette(plane, topics);
 * }</pre>
 */
public final class Separation {

    private Separation() {
    }

    /**
     * The share of points whose label is the majority label of their {@code k} nearest other
     * points (leave-one-out, Euclidean distance). Of equally distant points the one listed first
     * counts as nearer; a tied vote goes to the tied label of the nearest neighbour.
     *
     * @param points one row per point, all rows of the same length
     * @param labels one label per point
     * @param k neighbours per vote, from 1 to {@code points.length - 1}
     * @return a value in [0, 1]
     * @throws IllegalArgumentException if the points or labels are invalid or k is out of range
     */
    public static double knnAccuracy(double[][] points, String[] labels, int k) {
        Checks.matrix("points", points, 2);
        Checks.labels(labels, points.length);
        int n = points.length;
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("k is " + k + " but " + n + " points leave 1 to " + (n - 1)
                    + " other points as neighbours; pass a k in that range (5 is common)");
        }
        int[] y = codes(labels);
        int[] votes = new int[n];
        int[] nearest = new int[k];
        double[] nearestDistance = new double[k];
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int found = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double d = squaredDistance(points[i], points[j]);
                int pos;
                if (found < k) {
                    pos = found++;
                } else if (d < nearestDistance[k - 1]) {
                    pos = k - 1;
                } else {
                    continue;
                }
                // insertion keeps the earlier point first among equal distances
                while (pos > 0 && nearestDistance[pos - 1] > d) {
                    nearestDistance[pos] = nearestDistance[pos - 1];
                    nearest[pos] = nearest[pos - 1];
                    pos--;
                }
                nearestDistance[pos] = d;
                nearest[pos] = j;
            }
            int top = 0;
            for (int t = 0; t < k; t++) {
                top = Math.max(top, ++votes[y[nearest[t]]]);
            }
            int vote = -1;
            for (int t = 0; t < k && vote < 0; t++) {
                if (votes[y[nearest[t]]] == top) {
                    vote = y[nearest[t]];
                }
            }
            if (vote == y[i]) {
                hits++;
            }
            for (int t = 0; t < k; t++) {
                votes[y[nearest[t]]] = 0;
            }
        }
        return (double) hits / n;
    }

    /**
     * The mean silhouette (Rousseeuw 1987) of the points, Euclidean: for each point, with
     * {@code a} its mean distance to the other points of its label and {@code b} the smallest mean
     * distance to the points of another label, {@code (b - a) / max(a, b)}; averaged over all
     * points. Near 1: tight, separate groups; near 0: overlapping groups; below 0: points sit
     * closer to another label's points than to their own. A point alone with its label, or at
     * distance 0 from everything, counts 0 (as in scikit-learn).
     *
     * @param points one row per point, all rows of the same length
     * @param labels one label per point, at least two distinct labels
     * @return a value in [-1, 1]
     * @throws IllegalArgumentException if the points or labels are invalid or all labels are equal
     */
    public static double silhouette(double[][] points, String[] labels) {
        Checks.matrix("points", points, 2);
        Checks.labels(labels, points.length);
        int n = points.length;
        int[] y = codes(labels);
        int groups = Arrays.stream(y).max().getAsInt() + 1;
        if (groups < 2) {
            throw new IllegalArgumentException("all " + n + " points have the label '" + labels[0]
                    + "'; the silhouette compares groups and needs at least two distinct labels");
        }
        int[] size = new int[groups];
        for (int label : y) {
            size[label]++;
        }
        double[] sum = new double[groups];
        double total = 0;
        for (int i = 0; i < n; i++) {
            Arrays.fill(sum, 0);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum[y[j]] += Math.sqrt(squaredDistance(points[i], points[j]));
                }
            }
            if (size[y[i]] == 1) {
                continue;
            }
            double a = sum[y[i]] / (size[y[i]] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int g = 0; g < groups; g++) {
                if (g != y[i]) {
                    b = Math.min(b, sum[g] / size[g]);
                }
            }
            double scale = Math.max(a, b);
            total += scale == 0 ? 0 : (b - a) / scale;
        }
        return total / n;
    }

    /**
     * The accuracy of the best single threshold on one coordinate (a first principal component,
     * a score) for two labels: the largest share of values placed on the right side when everything
     * at or below a cut gets one label and everything above it the other, over all cuts and both
     * assignments. 1 means a threshold separates the labels perfectly; the share of the larger
     * label means no threshold does better than naming everything the same.
     *
     * @param values one value per point
     * @param labels one label per point, exactly two distinct labels
     * @return a value in [max(share of either label), 1]
     * @throws IllegalArgumentException if a value is not finite, the lengths differ, or there are
     *     not exactly two distinct labels
     */
    public static double thresholdAccuracy(double[] values, String[] labels) {
        Checks.vector("values", values);
        Checks.labels(labels, values.length);
        int[] y = codes(labels);
        int groups = values.length == 0 ? 0 : Arrays.stream(y).max().getAsInt() + 1;
        if (groups != 2) {
            throw new IllegalArgumentException("thresholdAccuracy separates two labels, but the " + values.length
                    + " points have " + groups + " distinct labels " + distinct(labels)
                    + "; relabel them into two groups, or use knnAccuracy for more");
        }
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
        int firstTotal = 0;
        for (int label : y) {
            firstTotal += label == 0 ? 1 : 0;
        }
        int best = Math.max(firstTotal, n - firstTotal);
        int firstBelow = 0;
        for (int t = 0; t < n - 1; t++) {
            firstBelow += y[order[t]] == 0 ? 1 : 0;
            if (values[order[t + 1]] == values[order[t]]) {
                continue; // no cut between equal values
            }
            int below = t + 1;
            // the first label at or below the cut, the second above it
            int correct = firstBelow + (n - below) - (firstTotal - firstBelow);
            best = Math.max(best, Math.max(correct, n - correct));
        }
        return (double) best / n;
    }

    /** Each label as 0, 1, ... in order of first appearance. */
    private static int[] codes(String[] labels) {
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] y = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = index.computeIfAbsent(labels[i], l -> index.size());
        }
        return y;
    }

    private static String distinct(String[] labels) {
        String all = Arrays.stream(labels).distinct().limit(6).toList().toString();
        return Arrays.stream(labels).distinct().count() > 6 ? all.replace("]", ", ...]") : all;
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = a[j] - b[j];
            s += diff * diff;
        }
        return s;
    }
}
