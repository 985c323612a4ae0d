package org.plm4j.train;

import java.util.SplittableRandom;

/**
 * The seeded randomness every plm4j run shares: one mixing function that derives independent
 * seeds from a run seed and a counter, and one shuffle. Splits, samples, augmentation, data
 * order, masking and dropout all go through these, so a seed orders data the same way everywhere.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * A well-mixed non-negative seed derived from {@code seed} and a counter {@code n} (SplitMix64's
     * finaliser), e.g. one per step or epoch.
     */
    public static long mix(long seed, long n) {
        long z = seed + n * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & 0x7fffffffL;
    }

    /** A seeded random permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, long seed) {
        return permutation(n, new SplittableRandom(seed));
    }

    /** A random permutation of {@code 0..n-1} drawn from {@code rng} (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Which of {@code size} items a seeded draw of {@code n} without replacement picks: the first
     * {@code n} positions of {@link #permutation(int, long)}, as a mask in the items' order.
     */
    public static boolean[] choose(int size, int n, long seed) {
        int[] order = permutation(size, seed);
        boolean[] chosen = new boolean[size];
        for (int i = 0; i < Math.min(n, size); i++) {
            chosen[order[i]] = true;
        }
        return chosen;
    }
}
