package org.plm4j.corpus;

import java.util.Objects;

/**
 * The two parts of {@link LabeledTexts#split(double, long)}: a training part and a test part,
 * stratified by label, disjoint, together holding every labelled text once.
 *
 * @param train the training part
 * @param test the test part
 */
public record LabeledSplit(LabeledTexts train, LabeledTexts test) {

    /** Checks that neither part is null. */
    public LabeledSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }
}
