package org.plm4j.baseline;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.classify.Prediction;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.evaluate.ClassificationEvaluation;

class MajorityClassifierTest {

    @Test
    void predictsTheMostFrequentTrainingLabelWithTheClassFrequenciesAsProbabilities() {
        LabeledTexts train = LabeledTexts.of("train", List.of("1", "2", "3", "4"), List.of("b", "a", "b", "c"));
        MajorityClassifier m = MajorityClassifier.fit(train);
        Prediction p = m.predict("anything");
        assertEquals("b", p.label());
        assertEquals(List.of("a", "b", "c"), m.labels());
        assertEquals(0.25, p.probability("a"), 1e-12);
        assertEquals(0.5, p.probability("b"), 1e-12);
        assertEquals(List.of("a", "b", "c"), List.copyOf(p.probabilities().keySet()));
        ClassificationEvaluation e = ClassificationEvaluation.of(m, train);
        assertEquals(0.5, e.accuracy(), 1e-12);
    }

    @Test
    void tiesGoToTheFirstLabelAndEmptyTrainingSetsAreRejected() {
        assertEquals("a", MajorityClassifier.fit(LabeledTexts.of("t", List.of("1", "2"), List.of("b", "a")))
                .predict("x").label());
        assertThrows(IllegalArgumentException.class, () -> MajorityClassifier.fit(LabeledTexts.of("t", List.of(), List.of())));
    }
}
