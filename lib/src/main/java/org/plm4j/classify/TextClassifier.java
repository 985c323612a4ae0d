package org.plm4j.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier of texts into a fixed set of labels. Implemented by fine-tuned encoders and by the
 * baselines, so evaluation, seed experiments and robustness checks treat them alike.
 */
public interface TextClassifier {

    /** The labels this classifier can predict, in class-index order. */
    List<String> labels();

    /** Predicts the label of one text. */
    Prediction predict(String text);

    /** Predicts each text, in order; implementations batch this. */
    default List<Prediction> predict(List<String> texts) {
        List<Prediction> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(predict(t));
        }
        return out;
    }

    /** A short name for reports, e.g. "TF-IDF + LR". */
    default String name() {
        return getClass().getSimpleName();
    }
}
