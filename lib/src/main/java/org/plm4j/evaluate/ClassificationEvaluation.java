package org.plm4j.evaluate;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Accuracy, macro/micro F1, per-class precision/recall/F1 and the confusion matrix of a text
 * classifier's predictions on gold-labelled texts. Immutable.
 *
 * <p>One code path: the predictions go to Tribuo's {@link LabelEvaluator} and every number is read
 * from the resulting {@link LabelEvaluation} ({@link #tribuo()}). The label domain is the
 * classifier's labels: macro averages run over all of them, including a label with no gold text
 * (its F1 is 0, as in Tribuo).
 *
 * <p>The confusion matrix is indexed {@code [gold][predicted]} in {@link #labels()} order.
 *
 * <pre>{@code
 * ClassificationEvaluation e = ClassificationEvaluation.of(classifier, task.test());
 * e.macroF1(); e.perClassTable(); e.confusionChart(); e.headTail(task.train().labelCounts());
 * }</pre>
 */
public final class ClassificationEvaluation implements Displayable {

    /**
     * Tribuo logs a WARNING per class and per metric when a class is never predicted ("accuracy
     * ill-defined"); an untrained or imbalanced model triggers dozens per evaluation, and fine-tuning
     * evaluates every epoch, which buries a notebook. The metric is still defined here (precision 0,
     * as Tribuo computes it) and the per-class table shows it; only that logger is turned down (kept
     * in a field so the setting is not garbage-collected).
     */
    private static final java.util.logging.Logger TRIBUO_CONFUSION_LOG =
            java.util.logging.Logger.getLogger("org.tribuo.classification.evaluation.ConfusionMetrics");

    static {
        TRIBUO_CONFUSION_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * The default share of classes in the head of {@link #headTail(Map)}: the most frequent third.
     * The rule itself is documented on {@link #headTail(Map, double)}.
     */
    public static final double DEFAULT_HEAD_FRACTION = 1.0 / 3.0;

    /** Classes up to which {@link #toHtml()} includes the confusion heat map. */
    public static final int MAX_CHART_LABELS = 60;

    private final String name;
    private final String dataName;
    private final List<String> labels;
    private final LabelEvaluation tribuo;
    private final int[][] confusion;
    private final int[] support;

    private ClassificationEvaluation(String name, String dataName, List<String> labels, LabelEvaluation tribuo,
            int[][] confusion, int[] support) {
        this.name = name;
        this.dataName = dataName;
        this.labels = labels;
        this.tribuo = tribuo;
        this.confusion = confusion;
        this.support = support;
    }

    /**
     * Evaluates {@code classifier} on {@code gold}: predicts all texts in one batch call and
     * evaluates the predictions over the classifier's labels.
     *
     * @throws IllegalArgumentException if {@code gold} is empty or has labels the classifier does not know
     */
    public static ClassificationEvaluation of(TextClassifier classifier, LabeledTexts gold) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(gold, "gold");
        List<String> labels = List.copyOf(classifier.labels());
        check(gold, labels, classifier.name());
        return evaluate(classifier.name(), labels, gold, classifier.predict(gold.texts()));
    }

    /**
     * Evaluates predictions made elsewhere, aligned with {@code gold}. The label domain is the key
     * set of the predictions' probability maps (the classifier's labels, in its order).
     *
     * @throws IllegalArgumentException if {@code gold} is empty, the sizes differ, the predictions
     *     disagree on the label set, or {@code gold} has labels the predictions do not know
     */
    public static ClassificationEvaluation of(LabeledTexts gold, List<Prediction> predictions) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predictions, "predictions");
        if (gold.size() == 0) {
            throw emptyGold(gold);
        }
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("no predictions for the " + gold.size() + " texts of '" + gold.name() + "'");
        }
        List<String> labels = List.copyOf(predictions.get(0).probabilities().keySet());
        check(gold, labels, "the classifier");
        return evaluate("predictions", labels, gold, predictions);
    }

    private static void check(LabeledTexts gold, List<String> labels, String classifier) {
        if (gold.size() == 0) {
            throw emptyGold(gold);
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException(classifier + " has no labels");
        }
        Set<String> unseen = new TreeSet<>(gold.labels());
        unseen.removeAll(labels);
        if (!unseen.isEmpty()) {
            throw new IllegalArgumentException("labels in the test set unseen in training: " + unseen + " ("
                    + gold.labelOfEach().stream().filter(unseen::contains).count() + " of " + gold.size()
                    + " texts of '" + gold.name() + "'); " + classifier + " knows only " + labels
                    + ". Train on data that covers these labels, or drop them from the test set with "
                    + "gold.filterLabels(classifier.labels()::contains)");
        }
    }

    private static IllegalArgumentException emptyGold(LabeledTexts gold) {
        return new IllegalArgumentException("the gold set '" + gold.name() + "' has no texts; nothing to evaluate");
    }

    private static ClassificationEvaluation evaluate(String name, List<String> labels, LabeledTexts gold,
            List<Prediction> predictions) {
        if (predictions.size() != gold.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + gold.size() + " texts of '"
                    + gold.name() + "'; pass exactly one prediction per text, in order");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        Set<String> labelSet = new LinkedHashSet<>(labels);
        int k = labels.size();
        int[][] confusion = new int[k][k];
        int[] support = new int[k];
        List<org.tribuo.Prediction<Label>> tribuoPredictions = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = Objects.requireNonNull(predictions.get(i), "prediction " + i);
            if (!p.probabilities().keySet().equals(labelSet)) {
                throw new IllegalArgumentException("prediction " + i + " covers the labels " + p.probabilities().keySet()
                        + " but the first covers " + labels + "; evaluate predictions of one classifier at a time");
            }
            String goldLabel = gold.label(i);
            Map<String, Label> scores = new java.util.LinkedHashMap<>();
            p.probabilities().forEach((l, v) -> scores.put(l, new Label(l, v)));
            Example<Label> example = new ArrayExample<>(new Label(goldLabel));
            tribuoPredictions.add(new org.tribuo.Prediction<>(scores.get(p.label()), scores, 0, example, true));
            confusion[index.get(goldLabel)][index.get(p.label())]++;
            support[index.get(goldLabel)]++;
        }
        PredictionsModel model = PredictionsModel.of(name, labels);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, tribuoPredictions,
                new SimpleDataSourceProvenance(gold.name(), new LabelFactory()));
        return new ClassificationEvaluation(name, gold.name(), labels, evaluation, confusion, support);
    }

    /** The classifier's name ({@link TextClassifier#name()}), or "predictions". */
    public String name() {
        return name;
    }

    /** The gold set's name. */
    public String dataName() {
        return dataName;
    }

    /** The classifier's labels, in its order: rows and columns of {@link #confusionMatrix()}. */
    public List<String> labels() {
        return labels;
    }

    /** Number of evaluated texts. */
    public int size() {
        return (int) tribuo.getConfusionMatrix().support();
    }

    /** Fraction of texts whose predicted label is the gold label. */
    public double accuracy() {
        return tribuo.accuracy();
    }

    /** Mean of the per-class F1 over {@link #labels()}. */
    public double macroF1() {
        return tribuo.macroAveragedF1();
    }

    /** F1 from the pooled true/false positives and negatives (equals accuracy for single-label tasks). */
    public double microF1() {
        return tribuo.microAveragedF1();
    }

    /** 1 minus the mean per-class recall over {@link #labels()}. */
    public double balancedErrorRate() {
        return tribuo.balancedErrorRate();
    }

    /** Precision of {@code label} (0 if never predicted). */
    public double precision(String label) {
        return tribuo.precision(known(label));
    }

    /** Recall of {@code label} (0 if absent from the gold set). */
    public double recall(String label) {
        return tribuo.recall(known(label));
    }

    /** F1 of {@code label}. */
    public double f1(String label) {
        return tribuo.f1(known(label));
    }

    /** Number of gold texts with {@code label}. */
    public int support(String label) {
        known(label);
        return support[labels.indexOf(label)];
    }

    private Label known(String label) {
        if (!labels.contains(label)) {
            throw new IllegalArgumentException("unknown label '" + label + "'; the labels are " + labels);
        }
        return new Label(label);
    }

    /** Counts {@code [gold][predicted]} in {@link #labels()} order (a copy). */
    public int[][] confusionMatrix() {
        int[][] out = new int[confusion.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = confusion[i].clone();
        }
        return out;
    }

    /** The underlying Tribuo evaluation (with its provenance). */
    public LabelEvaluation tribuo() {
        return tribuo;
    }

    /** {@link #headTail(Map, double)} with {@link #DEFAULT_HEAD_FRACTION}. */
    public HeadTail headTail(Map<String, Integer> trainCounts) {
        return headTail(trainCounts, DEFAULT_HEAD_FRACTION);
    }

    /**
     * Splits the classes into frequent and rare ones by their training counts and reports the
     * macro-F1 of each part. The rule: sort {@link #labels()} by training count, descending (ties by
     * label name; a label missing from {@code trainCounts} counts 0); the head is the first
     * {@code ceil(headFraction * k)} of the {@code k} classes, at least one and, when {@code k >= 2},
     * at most {@code k - 1}; the tail is the rest.
     *
     * @param trainCounts training examples per label, e.g. {@code train.labelCounts()}
     * @param headFraction share of classes in the head, in (0, 1)
     * @throws IllegalArgumentException if {@code headFraction} is not in (0, 1)
     */
    public HeadTail headTail(Map<String, Integer> trainCounts, double headFraction) {
        Objects.requireNonNull(trainCounts, "trainCounts");
        if (!(headFraction > 0 && headFraction < 1)) {
            throw new IllegalArgumentException("headFraction must be in (0, 1), got " + headFraction);
        }
        List<String> sorted = new ArrayList<>(labels);
        sorted.sort(Comparator.<String>comparingInt(l -> trainCounts.getOrDefault(l, 0)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        int k = sorted.size();
        int h = (int) Math.ceil(headFraction * k - 1e-9);
        h = Math.max(1, k >= 2 ? Math.min(k - 1, h) : h);
        List<String> head = sorted.subList(0, h);
        List<String> tail = sorted.subList(h, k);
        Map<String, Integer> counts = new HashMap<>();
        for (String l : labels) {
            counts.put(l, trainCounts.getOrDefault(l, 0));
        }
        return new HeadTail(headFraction, head, tail, meanF1(head), meanF1(tail), counts);
    }

    private double meanF1(List<String> part) {
        return part.isEmpty() ? Double.NaN : part.stream().mapToDouble(this::f1).average().orElseThrow();
    }

    /** One row: {@code classifier}, {@code data}, {@code n}, {@code accuracy}, {@code macroF1}, {@code microF1}, {@code balancedErrorRate}. */
    public Table summaryTable() {
        return Table.create("evaluation of " + name + " on " + dataName,
                StringColumn.create("classifier", name), StringColumn.create("data", dataName),
                IntColumn.create("n", new int[] {size()}), DoubleColumn.create("accuracy", accuracy()),
                DoubleColumn.create("macroF1", macroF1()), DoubleColumn.create("microF1", microF1()),
                DoubleColumn.create("balancedErrorRate", balancedErrorRate()));
    }

    /** One row per label in {@link #labels()} order: {@code label}, {@code support}, {@code precision}, {@code recall}, {@code f1}. */
    public Table perClassTable() {
        StringColumn label = StringColumn.create("label");
        IntColumn sup = IntColumn.create("support");
        DoubleColumn p = DoubleColumn.create("precision");
        DoubleColumn r = DoubleColumn.create("recall");
        DoubleColumn f = DoubleColumn.create("f1");
        for (String l : labels) {
            label.append(l);
            sup.append(support(l));
            p.append(precision(l));
            r.append(recall(l));
            f.append(f1(l));
        }
        return Table.create("per-class scores of " + name, label, sup, p, r, f);
    }

    /** The confusion matrix as a heat map: gold labels on the y axis, predicted on the x axis, counts in the cells. */
    public HeatMapChart confusionChart() {
        int side = Math.max(400, Math.min(1400, 160 + 28 * labels.size()));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 60).height(side)
                .title("confusion of " + name + " on " + dataName).xAxisTitle("predicted").yAxisTitle("gold").build();
        HeatMapStyler styler = chart.getStyler();
        styler.setShowValue(labels.size() <= 25);
        styler.setRangeColors(new Color[] {Color.WHITE, new Color(0x9E, 0xCA, 0xE1), new Color(0x08, 0x30, 0x6B)});
        styler.setPlotContentSize(1.0);
        styler.setXAxisLabelRotation(labels.size() > 6 ? 45 : 0);
        chart.getStyler().setLegendVisible(false);
        List<Number[]> cells = new ArrayList<>();
        int k = labels.size();
        for (int g = 0; g < k; g++) {
            for (int p = 0; p < k; p++) {
                // y index counted from the bottom: the first label on top, as in a printed matrix
                cells.add(new Number[] {p, k - 1 - g, confusion[g][p]});
            }
        }
        List<String> yLabels = new ArrayList<>(labels);
        Collections.reverse(yLabels);
        chart.addSeries("confusion", labels, yLabels, cells);
        return chart;
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder(1024);
        b.append("<div class=\"plm4j-evaluation\">");
        b.append(Html.table(summaryTable()));
        b.append(Html.table(perClassTable(), Math.max(Html.DEFAULT_MAX_ROWS, labels.size())));
        if (labels.size() <= MAX_CHART_LABELS) {
            b.append(Html.image(confusionChart()));
        }
        b.append("</div>");
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format("ClassificationEvaluation[%s on %s, n=%d, %d labels, accuracy=%.4f, macroF1=%.4f, microF1=%.4f]",
                name, dataName, size(), labels.size(), accuracy(), macroF1(), microF1());
    }
}
