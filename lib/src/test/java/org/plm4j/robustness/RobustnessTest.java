package org.plm4j.robustness;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.plm4j.backtranslate.BackTranslator;
import org.plm4j.backtranslate.Pivot;
import org.plm4j.baseline.TfIdfConfig;
import org.plm4j.baseline.TfIdfLogisticRegression;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;

class RobustnessTest {

    /** A stand-in engine: translating to "x" hides every other word, translating back returns the text. */
    static final class DroppingWords implements BackTranslator {
        @Override
        public String name() {
            return "dropping-words";
        }

        @Override
        public String identity(String pair) {
            return "test";
        }

        @Override
        public List<String> translate(List<String> texts, String pair) {
            if (pair.endsWith("eng")) {
                return texts;
            }
            return texts.stream().map(t -> {
                String[] w = t.split(" ");
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < w.length; i += 2) {
                    sb.append(w[i]).append(' ');
                }
                return sb.toString().strip().toUpperCase(Locale.ROOT);
            }).toList();
        }
    }

    @Test
    void paraphrasingThatLosesWordsLowersAccuracyAndTheDropIsCleanMinusParaphrased() {
        LabeledDataset task = Datasets.task("foldoc-topics");
        var clf = TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.defaults());
        LabeledTexts para = Robustness.paraphrasedCopy(task.test(), new DroppingWords(), Pivot.SPA);
        assertEquals(task.test().size(), para.size());
        assertEquals(task.test().labelOfEach(), para.labelOfEach());
        assertTrue(para.name().endsWith("-bt-spa"));
        RobustnessReport r = Robustness.evaluate(clf, task.test(), para);
        System.out.println(r);
        assertEquals(r.cleanEvaluation().accuracy() - r.paraphrasedEvaluation().accuracy(), r.accuracyDrop(), 1e-12);
        assertTrue(r.accuracyDrop() > 0.05, r.toString());
        assertTrue(r.consistency() < 1);
        assertEquals(Math.round((1 - r.consistency()) * para.size()), r.changed().size());
        assertTrue(r.toHtml().contains("changed predictions"));
        assertEquals(2, r.table().rowCount());
    }

    @Test
    void anUnchangedCopyHasNoDropAndFullConsistency() {
        LabeledDataset task = Datasets.task("foldoc-topics");
        var clf = TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.defaults());
        RobustnessReport r = Robustness.evaluate(clf, task.test(), task.test());
        assertEquals(0.0, r.accuracyDrop(), 0.0);
        assertEquals(1.0, r.consistency(), 0.0);
    }

    @Test
    void aParaphrasedSetThatIsNotAlignedIsRefusedClearly() {
        LabeledDataset task = Datasets.task("foldoc-topics");
        var clf = TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.defaults());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Robustness.evaluate(clf, task.test(), task.validation()));
        assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
    }
}
