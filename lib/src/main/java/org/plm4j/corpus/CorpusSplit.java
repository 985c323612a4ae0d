package org.plm4j.corpus;

import java.util.Objects;

/**
 * The two parts of {@link Corpus#split(double, long)}: texts to train on and texts held out
 * for evaluation (for example perplexity). Disjoint by position; together they hold every
 * text of the original corpus exactly once.
 *
 * @param train the training part
 * @param heldOut the held-out part (empty when the fraction was 0)
 */
public record CorpusSplit(Corpus train, Corpus heldOut) {

    /** Checks that neither part is null. */
    public CorpusSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
    }
}
