package org.plm4j.robustness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plm4j.classify.Prediction;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.plm4j.evaluate.ClassificationEvaluation;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Clean versus paraphrased metrics of one classifier, the drop, and which predictions changed.
 *
 * @param classifier the classifier's name
 * @param clean the clean test texts
 * @param paraphrased their paraphrases, aligned
 * @param cleanEvaluation metrics on the clean texts (Tribuo)
 * @param paraphrasedEvaluation metrics on the paraphrases (Tribuo)
 * @param cleanPredictions predictions on the clean texts
 * @param paraphrasedPredictions predictions on the paraphrases
 */
public record RobustnessReport(String classifier, LabeledTexts clean, LabeledTexts paraphrased,
                               ClassificationEvaluation cleanEvaluation, ClassificationEvaluation paraphrasedEvaluation,
                               List<Prediction> cleanPredictions, List<Prediction> paraphrasedPredictions)
        implements Displayable {

    /** Examples of changed predictions shown by {@link #toHtml()}. */
    public static final int EXAMPLES_SHOWN = 5;

    public RobustnessReport {
        cleanPredictions = List.copyOf(cleanPredictions);
        paraphrasedPredictions = List.copyOf(paraphrasedPredictions);
    }

    /** Clean accuracy minus paraphrased accuracy (positive: paraphrasing hurts). */
    public double accuracyDrop() {
        return cleanEvaluation.accuracy() - paraphrasedEvaluation.accuracy();
    }

    /** Clean macro-F1 minus paraphrased macro-F1. */
    public double macroF1Drop() {
        return cleanEvaluation.macroF1() - paraphrasedEvaluation.macroF1();
    }

    /** Share of examples whose predicted label is the same for the text and its paraphrase. */
    public double consistency() {
        int same = 0;
        for (int i = 0; i < cleanPredictions.size(); i++) {
            same += cleanPredictions.get(i).label().equals(paraphrasedPredictions.get(i).label()) ? 1 : 0;
        }
        return cleanPredictions.isEmpty() ? Double.NaN : (double) same / cleanPredictions.size();
    }

    /** Indices of the examples whose prediction changed under paraphrase. */
    public List<Integer> changed() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < cleanPredictions.size(); i++) {
            if (!cleanPredictions.get(i).label().equals(paraphrasedPredictions.get(i).label())) {
                out.add(i);
            }
        }
        return out;
    }

    /** metric | clean | paraphrased | drop. */
    public Table table() {
        Table t = Table.create("robustness of " + classifier + " to back-translated paraphrases");
        t.addColumns(StringColumn.create("metric", "accuracy", "macro-F1"),
                DoubleColumn.create("clean", cleanEvaluation.accuracy(), cleanEvaluation.macroF1()),
                DoubleColumn.create("paraphrased", paraphrasedEvaluation.accuracy(), paraphrasedEvaluation.macroF1()),
                DoubleColumn.create("drop", accuracyDrop(), macroF1Drop()));
        return t;
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder();
        sb.append(Html.table(table()));
        sb.append(String.format(Locale.ROOT, "<div>%d of %d predictions unchanged under paraphrase (%.1f %%).</div>",
                cleanPredictions.size() - changed().size(), cleanPredictions.size(), 100 * consistency()));
        List<Integer> ch = changed();
        if (!ch.isEmpty()) {
            Table ex = Table.create("changed predictions");
            StringColumn text = StringColumn.create("text");
            StringColumn para = StringColumn.create("paraphrase");
            StringColumn gold = StringColumn.create("label");
            StringColumn before = StringColumn.create("predicted (clean)");
            StringColumn after = StringColumn.create("predicted (paraphrase)");
            for (int i : ch.subList(0, Math.min(EXAMPLES_SHOWN, ch.size()))) {
                text.append(clean.text(i));
                para.append(paraphrased.text(i));
                gold.append(clean.label(i));
                before.append(cleanPredictions.get(i).label());
                after.append(paraphrasedPredictions.get(i).label());
            }
            ex.addColumns(text, para, gold, before, after);
            sb.append(Html.table(ex));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: accuracy %.4f clean, %.4f paraphrased (drop %.4f); %.1f %% predictions unchanged",
                classifier, cleanEvaluation.accuracy(), paraphrasedEvaluation.accuracy(), accuracyDrop(), 100 * consistency());
    }
}
