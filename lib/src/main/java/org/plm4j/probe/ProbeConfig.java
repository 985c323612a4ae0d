package org.plm4j.probe;

import java.util.List;

/**
 * Settings of {@link ProbeSeries}: how many words each word probe samples and how they are split,
 * which held-out text the masked-LM probes read, and the seed of every draw. Build with
 * {@link #builder()}; every field is optional and its default is in {@link Builder}.
 *
 * @param words words a word probe samples (seeded) from those that qualify, at most
 * @param testFraction share of those words the probe is scored on (split by word, stratified by label)
 * @param heldOutTexts texts the masked-LM probes read when {@code texts} is null: a seeded sample of
 *     WordNet definitions
 * @param texts the held-out texts of the masked-LM probes, or null for the WordNet sample
 * @param seed seed of the word sample, the split, the probe's training and the evaluation masks
 */
public record ProbeConfig(int words, double testFraction, int heldOutTexts, List<String> texts, long seed) {

    /** Validates like {@link Builder#build()}. */
    public ProbeConfig {
        if (words < 20) {
            throw new IllegalArgumentException("words must be >= 20 (a probe needs words to train and test on), got "
                    + words);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        if (heldOutTexts <= 0) {
            throw new IllegalArgumentException("heldOutTexts must be > 0, got " + heldOutTexts);
        }
        texts = texts == null ? null : List.copyOf(texts);
    }

    /** A builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ProbeConfig}. Defaults: 2000 words, 30 % of them to test, 200 held-out texts, seed 42. */
    public static final class Builder {
        private int words = 2000;
        private double testFraction = 0.3;
        private int heldOutTexts = 200;
        private List<String> texts;
        private long seed = 42;

        private Builder() {}

        /** Words a word probe samples, at most. */
        public Builder optWords(int v) { words = v; return this; }
        /** Share of the words the probe is scored on. */
        public Builder optTestFraction(double v) { testFraction = v; return this; }
        /** Size of the WordNet sample the masked-LM probes read when no texts are given. */
        public Builder optHeldOutTexts(int v) { heldOutTexts = v; return this; }
        /**
         * The held-out texts of the masked-LM probes, e.g. the run's held-out split (pass it when the
         * run trained on WordNet: the default sample of WordNet definitions would then overlap its training text).
         */
        public Builder optTexts(List<String> v) { texts = v; return this; }
        /** Seed of every draw. */
        public Builder optSeed(long v) { seed = v; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the offending field and value
         */
        public ProbeConfig build() {
            return new ProbeConfig(words, testFraction, heldOutTexts, texts, seed);
        }
    }
}
