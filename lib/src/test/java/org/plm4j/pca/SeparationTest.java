package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeparationTest {

    /** {@code perLabel} points around each of {@code labels} centres 10 apart, noise sd {@code sd}, in 3-D. */
    static double[][] clusters(int labels, int perLabel, double sd, long seed) {
        Random rnd = new Random(seed);
        double[][] p = new double[labels * perLabel][];
        for (int i = 0; i < p.length; i++) {
            int c = i % labels;
            p[i] = new double[] {10 * c + sd * rnd.nextGaussian(), sd * rnd.nextGaussian(), sd * rnd.nextGaussian()};
        }
        return p;
    }

    static String[] labelsOf(int labels, int n) {
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = "group " + (i % labels);
        }
        return y;
    }

    static String[] shuffled(String[] y, long seed) {
        String[] s = y.clone();
        Random rnd = new Random(seed);
        for (int i = s.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    @Test
    void knnAccuracyIsOneOnWellSeparatedClustersAndNearChanceOnShuffledLabels() {
        double[][] p = clusters(4, 50, 0.5, 1);
        String[] y = labelsOf(4, p.length);
        assertEquals(1.0, Separation.knnAccuracy(p, y, 5));
        double shuffled = Separation.knnAccuracy(p, shuffled(y, 2), 5);
        assertTrue(shuffled > 0.1 && shuffled < 0.4, "4 balanced labels give chance 0.25, got " + shuffled);
    }

    @Test
    void knnAccuracyLeavesThePointItselfOut() {
        // each point's only neighbour at distance 0 is itself; its nearest other point has the other label
        double[][] p = {{0}, {1}, {10}, {11}};
        String[] y = {"a", "b", "a", "b"};
        assertEquals(0.0, Separation.knnAccuracy(p, y, 1));
    }

    @Test
    void knnAccuracyMatchesSortingAllDistancesEvenWithManyTies() {
        // points on a small integer grid: many equal distances, so the order among ties matters
        Random rnd = new Random(5);
        double[][] p = new double[60][];
        String[] y = new String[p.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {rnd.nextInt(4), rnd.nextInt(4)};
            y[i] = "l" + rnd.nextInt(3);
        }
        for (int k : new int[] {1, 2, 5, 9}) {
            assertEquals(knnBySorting(p, y, k), Separation.knnAccuracy(p, y, k), "k = " + k);
        }
    }

    /** The plain definition: sort all other points by distance (stable), vote, ties to the nearest. */
    static double knnBySorting(double[][] p, String[] y, int k) {
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            final int q = i;
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < p.length; j++) {
                if (j != q) {
                    order.add(j);
                }
            }
            order.sort(Comparator.comparingDouble(j -> Separation.squaredDistance(p[q], p[j])));
            Map<String, Integer> votes = new HashMap<>();
            for (int t = 0; t < k; t++) {
                votes.merge(y[order.get(t)], 1, Integer::sum);
            }
            int top = Collections.max(votes.values());
            String vote = null;
            for (int t = 0; t < k && vote == null; t++) {
                if (votes.get(y[order.get(t)]) == top) {
                    vote = y[order.get(t)];
                }
            }
            hits += vote.equals(y[q]) ? 1 : 0;
        }
        return (double) hits / p.length;
    }

    @Test
    void aTiedKnnVoteGoesToTheNearestNeighboursLabel() {
        // the query at 0 has neighbours "b" at 1 and "a" at 2: one vote each, "b" is nearer
        double[][] p = {{0}, {1}, {2}};
        String[] y = {"a", "b", "a"};
        // point 0: b(1), a(2) -> tie -> b, wrong; point 1: a(0) and a(2) -> a, wrong; point 2: b(1), a(0) -> tie -> b, wrong
        assertEquals(0.0, Separation.knnAccuracy(p, y, 2));
    }

    @Test
    void silhouetteIsNearOneForTightSeparateClustersAndNearZeroForShuffledLabels() {
        double[][] p = clusters(3, 40, 0.3, 3);
        String[] y = labelsOf(3, p.length);
        assertTrue(Separation.silhouette(p, y) > 0.9);
        assertEquals(0.0, Separation.silhouette(p, shuffled(y, 4)), 0.1);
    }

    @Test
    void silhouetteMatchesAHandComputedValue() {
        // a: {0, 1}, b: {4}; point 0: a=1, b=4 -> 0.75; point 1: a=1, b=3 -> 2/3; point 2 is alone: 0
        double[][] p = {{0}, {1}, {4}};
        assertEquals((0.75 + 2.0 / 3) / 3, Separation.silhouette(p, new String[] {"a", "a", "b"}), 1e-12);
    }

    @Test
    void thresholdAccuracyIsOneWhenAThresholdSeparatesAndTheMajorityShareWhenNoneHelps() {
        assertEquals(1.0, Separation.thresholdAccuracy(new double[] {3, -1, 4, -2}, new String[] {"hi", "lo", "hi", "lo"}));
        // labels alternate along the line: the best cut gets 3 of 5 (everything one label, or one cut at an end)
        assertEquals(0.6, Separation.thresholdAccuracy(new double[] {1, 2, 3, 4, 5}, new String[] {"a", "b", "a", "b", "a"}),
                1e-12);
    }

    @Test
    void thresholdAccuracyNeverCutsBetweenEqualValues() {
        // all values equal: no cut exists, so only "everything one label" (2 of 4) is possible
        assertEquals(0.5, Separation.thresholdAccuracy(new double[] {7, 7, 7, 7}, new String[] {"a", "b", "a", "b"}));
    }

    @Test
    void badInputThrowsIllegalArgumentExceptionNamingTheProblem() {
        double[][] p = {{0, 0}, {1, 1}, {2, 2}};
        String[] y = {"a", "b", "a"};
        assertMessage("k is 3", () -> Separation.knnAccuracy(p, y, 3));
        assertMessage("k is 0", () -> Separation.knnAccuracy(p, y, 0));
        assertMessage("3 points but 2 labels", () -> Separation.knnAccuracy(p, new String[] {"a", "b"}, 1));
        assertMessage("labels[1] is null", () -> Separation.silhouette(p, new String[] {"a", null, "b"}));
        assertMessage("points[1][0] is NaN", () -> Separation.knnAccuracy(new double[][] {{0, 0}, {Double.NaN, 1}}, y, 1));
        assertMessage("points[2] has 1 values, but row 0 has 2",
                () -> Separation.silhouette(new double[][] {{0, 0}, {1, 1}, {2}}, y));
        assertMessage("points has 1 rows, at least 2", () -> Separation.knnAccuracy(new double[][] {{0}}, new String[] {"a"}, 1));
        assertMessage("all 3 points have the label 'a'", () -> Separation.silhouette(p, new String[] {"a", "a", "a"}));
        assertMessage("3 distinct labels [a, b, c]",
                () -> Separation.thresholdAccuracy(new double[] {0, 1, 2}, new String[] {"a", "b", "c"}));
        assertMessage("values[0] is Infinity",
                () -> Separation.thresholdAccuracy(new double[] {Double.POSITIVE_INFINITY, 1}, new String[] {"a", "b"}));
    }

    static void assertMessage(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
