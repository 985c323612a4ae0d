package org.plm4j.evaluate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.display.Html;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import tech.tablesaw.api.Table;

class ClassificationEvaluationTest {

    static final List<String> ABC = List.of("a", "b", "c");

    /** gold a a a b b c, predicted a a b b c c. */
    static ClassificationEvaluation handChecked() {
        LabeledTexts gold = LabeledTexts.of("tiny", List.of("1", "2", "3", "4", "5", "6"),
                List.of("a", "a", "a", "b", "b", "c"));
        List<Prediction> predictions = new ArrayList<>();
        for (String p : List.of("a", "a", "b", "b", "c", "c")) {
            double[] probs = new double[3];
            probs[ABC.indexOf(p)] = 0.8;
            probs[(ABC.indexOf(p) + 1) % 3] = 0.2;
            predictions.add(Prediction.of(ABC, probs));
        }
        return ClassificationEvaluation.of(gold, predictions);
    }

    @Test
    void threeClassCaseMatchesTheNumbersWorkedOutByHand() {
        ClassificationEvaluation e = handChecked();
        assertArrayEquals(new int[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}, e.confusionMatrix());
        assertEquals(6, e.size());
        assertEquals(4.0 / 6, e.accuracy(), 1e-12);
        assertEquals(4.0 / 6, e.microF1(), 1e-12);
        // a: P=1 R=2/3 F1=0.8; b: P=1/2 R=1/2 F1=1/2; c: P=1/2 R=1 F1=2/3
        assertEquals(1.0, e.precision("a"), 1e-12);
        assertEquals(2.0 / 3, e.recall("a"), 1e-12);
        assertEquals(0.8, e.f1("a"), 1e-12);
        assertEquals(0.5, e.f1("b"), 1e-12);
        assertEquals(2.0 / 3, e.f1("c"), 1e-12);
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, e.macroF1(), 1e-12);
        // balanced error rate: 1 - mean recall = 1 - (2/3 + 1/2 + 1) / 3
        assertEquals(1 - (2.0 / 3 + 0.5 + 1) / 3, e.balancedErrorRate(), 1e-12);
        assertEquals(List.of(3, 2, 1), List.of(e.support("a"), e.support("b"), e.support("c")));
    }

    @Test
    void metricsAreTribuosForTheSamePredictionsOfARealTribuoModel() {
        SplittableRandom rnd = new SplittableRandom(7);
        MutableDataset<Label> train = noisyBlobs(rnd, 300);
        MutableDataset<Label> test = noisyBlobs(rnd, 200);
        Model<Label> model = new LogisticRegressionTrainer().train(train);
        LabelEvaluation direct = new LabelEvaluator().evaluate(model, test);

        List<org.tribuo.Prediction<Label>> tribuoPredictions = model.predict(test);
        List<String> labels = new ArrayList<>(new java.util.TreeSet<>(
                model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).toList()));
        List<Prediction> ours = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> gold = new ArrayList<>();
        for (org.tribuo.Prediction<Label> p : tribuoPredictions) {
            double[] probs = labels.stream().mapToDouble(l -> p.getOutputScores().get(l).getScore()).toArray();
            Prediction q = Prediction.of(labels, probs);
            assertEquals(p.getOutput().getLabel(), q.label());
            ours.add(q);
            texts.add("x" + texts.size());
            gold.add(p.getExample().getOutput().getLabel());
        }
        ClassificationEvaluation e = ClassificationEvaluation.of(LabeledTexts.of("blobs", texts, gold), ours);

        assertTrue(direct.accuracy() > 0.5 && direct.accuracy() < 0.98, "the task should be non-trivial: " + direct.accuracy());
        assertEquals(direct.accuracy(), e.accuracy(), 1e-15);
        assertEquals(direct.macroAveragedF1(), e.macroF1(), 1e-15);
        assertEquals(direct.microAveragedF1(), e.microF1(), 1e-15);
        assertEquals(direct.balancedErrorRate(), e.balancedErrorRate(), 1e-15);
        for (String l : labels) {
            Label label = new Label(l);
            assertEquals(direct.precision(label), e.precision(l), 1e-15, l);
            assertEquals(direct.recall(label), e.recall(l), 1e-15, l);
            assertEquals(direct.f1(label), e.f1(l), 1e-15, l);
            for (String m : labels) {
                assertEquals(direct.getConfusionMatrix().confusion(new Label(m), label),
                        e.confusionMatrix()[labels.indexOf(l)][labels.indexOf(m)], "gold " + l + " predicted " + m);
            }
        }
        assertEquals(e.macroF1(), e.tribuo().macroAveragedF1());
    }

    /** Four Gaussian blobs in 2-D with overlap, labelled by blob. */
    private static MutableDataset<Label> noisyBlobs(SplittableRandom rnd, int n) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("blobs", new LabelFactory()),
                new LabelFactory());
        double[][] centres = {{0, 0}, {2, 0}, {0, 2}, {2, 2}};
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(centres.length);
            double x = centres[c][0] + gaussian(rnd);
            double y = centres[c][1] + gaussian(rnd);
            Example<Label> ex = new ArrayExample<>(new Label("blob" + c), new String[] {"x", "y"}, new double[] {x, y});
            d.add(ex);
        }
        return d;
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble()) * 0.7;
    }

    @Test
    void goldLabelsTheClassifierNeverSawAreAClearError() {
        TextClassifier onlyAB = constant(List.of("a", "b"), "a");
        LabeledTexts gold = LabeledTexts.of("test", List.of("x", "y", "z"), List.of("a", "c", "d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationEvaluation.of(onlyAB, gold));
        assertTrue(e.getMessage().contains("unseen in training: [c, d]"), e.getMessage());
        assertTrue(e.getMessage().contains("filterLabels"), e.getMessage());
    }

    @Test
    void mismatchedSizesAndEmptyGoldSetsAreRejected() {
        LabeledTexts gold = LabeledTexts.of("test", List.of("x", "y"), List.of("a", "b"));
        List<Prediction> one = List.of(Prediction.of(List.of("a", "b"), new double[] {0.6, 0.4}));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> ClassificationEvaluation.of(gold, one));
        assertTrue(size.getMessage().startsWith("1 predictions for 2 texts"), size.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ClassificationEvaluation.of(constant(List.of("a"), "a"), LabeledTexts.of("none", List.of(), List.of())));
        assertTrue(empty.getMessage().contains("has no texts"), empty.getMessage());
    }

    @Test
    void classifierPathPredictsInOneBatchAndCountsUnpredictedLabelsInTheMacroAverage() {
        LabeledTexts gold = LabeledTexts.of("test", List.of("x", "y", "z", "w"), List.of("a", "a", "a", "b"));
        ClassificationEvaluation e = ClassificationEvaluation.of(constant(List.of("a", "b", "c"), "a"), gold);
        assertEquals("always a", e.name());
        assertEquals(0.75, e.accuracy(), 1e-12);
        // a: P=3/4 R=1 F1=6/7; b and c: 0
        assertEquals((6.0 / 7) / 3, e.macroF1(), 1e-12);
        assertEquals(0, e.support("c"));
    }

    @Test
    void headTailSplitsClassesByTrainingFrequency() {
        ClassificationEvaluation e = handChecked();
        HeadTail ht = e.headTail(Map.of("a", 100, "b", 10, "c", 1));
        assertEquals(List.of("a"), ht.head());
        assertEquals(List.of("b", "c"), ht.tail());
        assertEquals(0.8, ht.headMacroF1(), 1e-12);
        assertEquals((0.5 + 2.0 / 3) / 2, ht.tailMacroF1(), 1e-12);
        HeadTail twoThirds = e.headTail(Map.of("a", 1, "b", 10), 0.6);
        assertEquals(List.of("b", "a"), twoThirds.head(), "c is missing from the counts, so it counts 0");
        assertEquals(List.of("c"), twoThirds.tail());
        assertEquals(2, ht.toTable().rowCount());
        assertThrows(IllegalArgumentException.class, () -> e.headTail(Map.of(), 1.0));
    }

    @Test
    void rendersAsTablesHtmlAHeatMapAndABoundedString() {
        ClassificationEvaluation e = handChecked();
        Table perClass = e.perClassTable();
        assertEquals(3, perClass.rowCount());
        assertEquals(List.of("label", "support", "precision", "recall", "f1"), perClass.columnNames());
        assertEquals(0.8, perClass.doubleColumn("f1").get(0), 1e-12);
        HeatMapChart chart = e.confusionChart();
        assertTrue(Html.png(chart).length > 1000);
        String html = e.toHtml();
        assertTrue(html.contains("macroF1") && html.contains("<img") && html.contains("per-class"), html.substring(0, 200));
        assertEquals("ClassificationEvaluation[predictions on tiny, n=6, 3 labels, accuracy=0.6667, macroF1=0.6556, "
                + "microF1=0.6667]", e.toString());
    }

    static TextClassifier constant(List<String> labels, String label) {
        return new TextClassifier() {
            @Override
            public List<String> labels() {
                return labels;
            }

            @Override
            public Prediction predict(String text) {
                double[] p = new double[labels.size()];
                p[labels.indexOf(label)] = 1;
                return Prediction.of(labels, p);
            }

            @Override
            public String name() {
                return "always " + label;
            }
        };
    }
}
