package org.plm4j.backtranslate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Augmenter} paraphrases a dataset: through which pivots, how many paraphrases per
 * text, how many to keep, and the seed of that choice.
 *
 * <p>A rule-based engine such as Apertium is deterministic: one pivot yields one paraphrase per
 * text. {@code copies = k} therefore round-trips every text through the first {@code k} pivots
 * and needs at least {@code k} pivots. Paraphrases identical to their source or to another
 * paraphrase of it (ignoring case and whitespace) are dropped; of the rest, a seeded sample of
 * {@code round(ratio * texts)} is kept ({@code ratio} is augmented texts per original text, at
 * most {@code copies}).
 *
 * @param pivots round trips, in order of use (at least {@code copies} of them, distinct)
 * @param copies paraphrases per text, {@code >= 1}
 * @param ratio target number of kept paraphrases per original text, in {@code (0, copies]}
 * @param seed seed of the sample that enforces {@code ratio}
 */
public record AugmentationConfig(List<Pivot> pivots, int copies, double ratio, long seed) {

    /** Pivots used by default: {@link Pivot#DEFAULT} (English &rarr; Spanish &rarr; English). */
    public static final List<Pivot> DEFAULT_PIVOTS = List.of(Pivot.DEFAULT);
    /** Paraphrases per text by default. */
    public static final int DEFAULT_COPIES = 1;
    /** Kept paraphrases per original text by default. */
    public static final double DEFAULT_RATIO = 1.0;
    /** Seed by default. */
    public static final long DEFAULT_SEED = 42L;

    /**
     * @throws IllegalArgumentException naming the field and the value found
     */
    public AugmentationConfig {
        pivots = List.copyOf(Objects.requireNonNull(pivots, "pivots"));
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be >= 1, got " + copies);
        }
        if (pivots.size() < copies) {
            throw new IllegalArgumentException("copies " + copies + " needs at least " + copies + " pivots, got "
                    + pivots.size() + " " + pivots.stream().map(Pivot::name).toList()
                    + ": a deterministic engine gives one paraphrase per pivot; add pivots (e.g. addPivot(Pivot.CAT))");
        }
        if (new HashSet<>(pivots).size() != pivots.size()) {
            throw new IllegalArgumentException("pivots must be distinct, got " + pivots.stream().map(Pivot::name).toList());
        }
        if (!(ratio > 0 && ratio <= copies)) {
            throw new IllegalArgumentException("ratio must be in (0, copies=" + copies + "], got " + ratio
                    + "; it is the number of kept paraphrases per original text");
        }
    }

    /** The default configuration: one paraphrase per text through Spanish, all kept, seed 42. */
    public static AugmentationConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The pivots actually used: the first {@link #copies()}. */
    public List<Pivot> usedPivots() {
        return pivots.subList(0, copies);
    }

    /** Builder: {@code addPivot} adds a pivot (replacing the default list), {@code opt*} set the rest. */
    public static final class Builder {
        private List<Pivot> pivots;
        private int copies = DEFAULT_COPIES;
        private double ratio = DEFAULT_RATIO;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        /** Adds a pivot; the first call replaces {@link #DEFAULT_PIVOTS}. */
        public Builder addPivot(Pivot pivot) {
            if (pivots == null) {
                pivots = new ArrayList<>();
            }
            pivots.add(Objects.requireNonNull(pivot, "pivot"));
            return this;
        }

        public Builder optCopies(int copies) {
            this.copies = copies;
            return this;
        }

        public Builder optRatio(double ratio) {
            this.ratio = ratio;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field and the value found
         */
        public AugmentationConfig build() {
            return new AugmentationConfig(pivots == null ? DEFAULT_PIVOTS : pivots, copies, ratio, seed);
        }
    }
}
