package org.plm4j.robustness;

import java.util.List;
import org.plm4j.backtranslate.BackTranslationException;
import org.plm4j.backtranslate.BackTranslator;
import org.plm4j.backtranslate.Pivot;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.evaluate.ClassificationEvaluation;

/**
 * Robustness evaluation: how much a classifier's accuracy drops when the test texts are
 * paraphrased by back-translation (same meaning, other words).
 *
 * <pre>{@code
 * LabeledTexts paraphrased = Robustness.paraphrasedCopy(task.test(), CachedTranslator.of(new ApertiumTranslator()), Pivot.SPA);
 * RobustnessReport r = Robustness.evaluate(classifier, task.test(), paraphrased);
 * r.accuracyDrop();
 * }</pre>
 */
public final class Robustness {

    private Robustness() {
    }

    /**
     * The test set with every text replaced by its round trip through {@code pivot}, labels and
     * order unchanged, named {@code NAME-bt-PIVOT}.
     *
     * @throws BackTranslationException if the engine fails or returns another number of texts
     */
    public static LabeledTexts paraphrasedCopy(LabeledTexts test, BackTranslator translator, Pivot pivot) {
        List<String> bt = translator.backTranslate(test.texts(), pivot);
        if (bt.size() != test.size()) {
            throw new BackTranslationException(translator.name() + " returned " + bt.size() + " paraphrases for "
                    + test.size() + " texts; a BackTranslator must return one per input");
        }
        return LabeledTexts.of(test.name() + "-bt-" + pivot.name(), bt, test.labelOfEach());
    }

    /**
     * Evaluates {@code classifier} on the clean texts and on their paraphrases (one batch each).
     *
     * @param paraphrased the same examples paraphrased, aligned with {@code clean} (as {@link #paraphrasedCopy} gives)
     * @throws IllegalArgumentException if the two sets are not aligned (sizes or labels differ)
     */
    public static RobustnessReport evaluate(TextClassifier classifier, LabeledTexts clean, LabeledTexts paraphrased) {
        if (clean.size() != paraphrased.size() || !clean.labelOfEach().equals(paraphrased.labelOfEach())) {
            throw new IllegalArgumentException("the paraphrased set (" + paraphrased.size() + " texts) is not aligned with"
                    + " the clean set (" + clean.size() + " texts): each paraphrase must keep its source's position and"
                    + " label; build it with Robustness.paraphrasedCopy(clean, translator, pivot)");
        }
        List<Prediction> onClean = classifier.predict(clean.texts());
        List<Prediction> onParaphrased = classifier.predict(paraphrased.texts());
        return new RobustnessReport(classifier.name(), clean, paraphrased,
                ClassificationEvaluation.of(clean, onClean), ClassificationEvaluation.of(paraphrased, onParaphrased),
                onClean, onParaphrased);
    }
}
