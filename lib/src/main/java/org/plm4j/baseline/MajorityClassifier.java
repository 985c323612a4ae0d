package org.plm4j.baseline;

import java.util.List;
import java.util.Map;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;

/**
 * Predicts the most frequent training label for every text (the first in label order on ties),
 * with the training class frequencies as probabilities. Deterministic: no seed is needed.
 */
public final class MajorityClassifier implements TextClassifier {

    private final List<String> labels;
    private final Prediction prediction;

    private MajorityClassifier(List<String> labels, Prediction prediction) {
        this.labels = labels;
        this.prediction = prediction;
    }

    /**
     * Counts the labels of {@code train}.
     *
     * @throws IllegalArgumentException if {@code train} is empty
     */
    public static MajorityClassifier fit(LabeledTexts train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set '" + train.name() + "' has no texts");
        }
        List<String> labels = train.labels();
        Map<String, Integer> counts = train.labelCounts();
        double[] p = new double[labels.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = counts.get(labels.get(i)) / (double) train.size();
        }
        return new MajorityClassifier(labels, Prediction.of(labels, p));
    }

    /** The training class frequencies, as the prior every prediction returns. */
    static Prediction prior(LabeledTexts train) {
        return fit(train).prediction;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Prediction predict(String text) {
        return prediction;
    }

    @Override
    public String name() {
        return "majority";
    }

    @Override
    public String toString() {
        return "MajorityClassifier[" + prediction + ", " + labels.size() + " labels]";
    }
}
