package org.plm4j.classify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One classifier decision: the predicted label and the probability of every label the classifier
 * knows, in the classifier's label order.
 *
 * @param label the predicted label (the most probable one)
 * @param probabilities label to probability, in label order; the values sum to 1
 */
public record Prediction(String label, Map<String, Double> probabilities) {

    public Prediction {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("a prediction needs a label");
        }
        if (probabilities == null || !probabilities.containsKey(label)) {
            throw new IllegalArgumentException("the probabilities must include the predicted label '" + label + "'");
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /**
     * A prediction from class scores: the label with the highest probability wins (the first one on ties).
     *
     * @param labels label names in class-index order
     * @param probabilities one probability per label
     */
    public static Prediction of(java.util.List<String> labels, double[] probabilities) {
        if (labels.size() != probabilities.length) {
            throw new IllegalArgumentException(labels.size() + " labels but " + probabilities.length + " probabilities");
        }
        Map<String, Double> map = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < probabilities.length; i++) {
            map.put(labels.get(i), probabilities[i]);
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new Prediction(labels.get(best), map);
    }

    /** The probability of {@code label}, 0 for a label the classifier does not know. */
    public double probability(String label) {
        return probabilities.getOrDefault(label, 0.0);
    }

    @Override
    public String toString() {
        return String.format("%s (p=%.3f)", label, probability(label));
    }
}
