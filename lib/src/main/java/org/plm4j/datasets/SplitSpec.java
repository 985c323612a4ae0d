package org.plm4j.datasets;

/**
 * How a dataset is split into train, validation and test parts: the two held-out fractions and
 * the seed. Every default lives here ({@link #DEFAULT}); builders, the CLI and the magic refer to it.
 *
 * @param validation fraction of each label's texts (of all texts for a corpus) put in validation
 * @param test fraction put in test
 * @param seed seed of the shuffle; the same seed gives the same split
 */
public record SplitSpec(double validation, double test, long seed) {

    /** Seed used by every built-in dataset. */
    public static final long DEFAULT_SEED = 42L;

    /** 80 % train, 10 % validation, 10 % test, seed {@value #DEFAULT_SEED}. */
    public static final SplitSpec DEFAULT = new SplitSpec(0.1, 0.1, DEFAULT_SEED);

    /** Validates the fractions. */
    public SplitSpec {
        if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
            throw new IllegalArgumentException("validation and test fractions must be >= 0 and sum to less than 1, got validation="
                    + validation + ", test=" + test + "; e.g. 0.1 and 0.1 keep 80 % for training");
        }
    }

    /** The default fractions with another seed. */
    public static SplitSpec seed(long seed) {
        return new SplitSpec(DEFAULT.validation, DEFAULT.test, seed);
    }

    /** The part named {@code train}, {@code validation} or {@code test} of a split dataset. */
    static <T> T pick(String split, T train, T validation, T test) {
        return switch (split) {
            case "train" -> train;
            case "validation" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("unknown split '" + split + "'; use train, validation or test");
        };
    }
}
