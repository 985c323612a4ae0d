package org.plm4j.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.plm4j.baseline.LinearProbe;
import org.plm4j.classify.Prediction;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledSplit;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.WordNet;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.Lineage;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.EvalResult;
import org.plm4j.pretrain.Perplexity;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.TrainingCheckpoint;
import org.plm4j.record.RunRecord;
import org.plm4j.tokenizer.Tokenizer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Probes at every checkpoint of a pretraining run (the "embryology" of Chiang et al. 2020): one
 * score per {@link Probe} and checkpoint, as a table ({@link #table()}) and a chart of score against
 * step ({@link #chart()}), next to each probe's chance level ({@link #chance(Probe)}).
 *
 * <pre>{@code
 * // a run that kept its checkpoints, from step 0 (the initialisation) on:
 * //   PretrainConfig.builder().optOutputDir(dir).optCheckpointEvery(50).optKeepCheckpoints(true)
 * ProbeSeries s = ProbeSeries.over(dir, tokenizer, Probe.parse("supersense,pos,mlm,ppl"),
 *         ProbeConfig.builder().build());
 * s.table(); s.chart();
 * }</pre>
 *
 * <p>The word probes ({@link Probe#SUPERSENSE}, {@link Probe#POS}) fit a {@link LinearProbe}
 * on the frozen mean-pooled features of single-token WordNet words at each checkpoint and score
 * its accuracy on other words; their chance level is the majority-class rate of the test words.
 * The masked-LM probes evaluate {@link Perplexity} with the same masks at every checkpoint; their
 * chance levels are those of a uniform guess over the vocabulary (accuracy 1/V, perplexity V).
 * Words and masks are drawn once from the seed, so every checkpoint sees the same data.
 *
 * <p>Failures: a directory without checkpoints or a corrupt one raises {@link CheckpointException};
 * a tokenizer that does not fit the models, or too few qualifying words, raises
 * {@link IllegalArgumentException}; an interrupt between checkpoints raises
 * {@link CancellationException} (the flag stays set).
 */
public final class ProbeSeries implements Displayable {

    private final List<Probe> probes;
    private final int[] steps;
    private final Map<Probe, double[]> scores;
    private final Map<Probe, Double> chance;
    private final Map<Probe, String> data;
    private final Map<Probe, Integer> testSize;
    private final Map<Probe, double[]> byChance;
    private RunRecord record;

    private ProbeSeries(List<Probe> probes, int[] steps, Map<Probe, double[]> scores, Map<Probe, Double> chance,
                        Map<Probe, String> data, Map<Probe, Integer> testSize, Map<Probe, double[]> byChance) {
        this.probes = probes;
        this.steps = steps;
        this.scores = scores;
        this.chance = chance;
        this.data = data;
        this.testSize = testSize;
        this.byChance = byChance;
    }

    /** {@link #over(Path, Tokenizer, List, ProbeConfig)} with the default {@link ProbeConfig}. */
    public static ProbeSeries over(Path run, Tokenizer tokenizer, List<Probe> probes) {
        return over(run, tokenizer, probes, ProbeConfig.builder().build());
    }

    /**
     * Probes every checkpoint of a run: {@code run} is its output directory (or its
     * {@code checkpoints} folder), as written with {@code PretrainConfig.optCheckpointEvery(k)}; with
     * {@code optKeepCheckpoints(true)} it holds the whole series from step 0 on
     * ({@link TrainingCheckpoint#all(Path)}).
     */
    public static ProbeSeries over(Path run, Tokenizer tokenizer, List<Probe> probes, ProbeConfig config) {
        List<Point> points = new ArrayList<>();
        for (TrainingCheckpoint ck : TrainingCheckpoint.all(run)) {
            points.add(new Point(ck.step(), ck.path(), ck::loadModel, ck.config(), ck.lineageStep()));
        }
        return probe(points, tokenizer, probes, config);
    }

    /**
     * Probes the given checkpoints: each a training checkpoint directory ({@code .../step-N}) or a
     * model directory (config.json + model.safetensors) whose own or parent folder is named
     * {@code step-N}, giving its step.
     *
     * @throws CheckpointException when a path is neither, or names no step
     */
    public static ProbeSeries over(List<Path> checkpoints, Tokenizer tokenizer, List<Probe> probes,
                                   ProbeConfig config) {
        List<Point> points = new ArrayList<>();
        for (Path p : checkpoints) {
            if (Files.isRegularFile(p.resolve("trainer_state.json"))) {
                TrainingCheckpoint ck = TrainingCheckpoint.latest(p);
                points.add(new Point(ck.step(), ck.path(), ck::loadModel, ck.config(), ck.lineageStep()));
            } else if (Files.isRegularFile(p.resolve(MaskedLanguageModel.CONFIG_FILE))) {
                points.add(new Point(stepOf(p), p, () -> MaskedLanguageModel.load(p), null, null));
            } else {
                throw new CheckpointException(p + " is neither a training checkpoint (trainer_state.json) nor a model"
                        + " directory (" + MaskedLanguageModel.CONFIG_FILE + "); give the step-N folders of a run, or"
                        + " the run's output directory to ProbeSeries.over(Path, ...)");
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no checkpoints to probe; give at least one");
        }
        return probe(points, tokenizer, probes, config);
    }

    /** A checkpoint to probe; {@code runStep} is its run's lineage step so far, null for a bare model directory. */
    private record Point(int step, Path path, Supplier<MaskedLanguageModel> model, PretrainConfig config,
                         Lineage.Step runStep) {}

    private static final Pattern STEP = Pattern.compile("step-0*(\\d+)");

    private static int stepOf(Path modelDir) {
        for (Path p = modelDir.toAbsolutePath(); p != null && p.getFileName() != null; p = p.getParent()) {
            Matcher m = STEP.matcher(p.getFileName().toString());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
            if (!p.equals(modelDir.toAbsolutePath())) {
                break;
            }
        }
        throw new CheckpointException("cannot tell the step of the model directory " + modelDir + ": neither it nor"
                + " its parent is named step-N; pass the training checkpoint folders instead");
    }

    private static ProbeSeries probe(List<Point> points, Tokenizer tokenizer, List<Probe> probes, ProbeConfig config) {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("no probes given; e.g. Probe.parse(\"supersense,pos,mlm,ppl\")");
        }
        Instant start = Instant.now();
        List<Point> sorted = points.stream().sorted(Comparator.comparingInt(Point::step)).toList();
        WordNet wordNet = probes.stream().anyMatch(Probe::isWordProbe) || config.texts() == null ? WordNet.load()
                : null;
        Map<Probe, LabeledSplit> words = new EnumMap<>(Probe.class);
        Map<Probe, Double> chance = new EnumMap<>(Probe.class);
        Map<Probe, String> data = new EnumMap<>(Probe.class);
        Map<Probe, Integer> testSize = new EnumMap<>(Probe.class);
        List<RunRecord.DataSet> datasets = new ArrayList<>();
        List<String> texts = null;
        for (Probe p : probes) {
            if (p.isWordProbe()) {
                LabeledSplit split = ProbeData.words(p, wordNet, tokenizer, config);
                words.put(p, split);
                chance.put(p, majorityRate(split.test()));
                testSize.put(p, split.test().size());
                datasets.add(RunRecord.DataSet.of(p.key() + "_train", split.train()));
                datasets.add(RunRecord.DataSet.of(p.key() + "_test", split.test()));
                data.put(p, split.train().size() + " training and " + split.test().size() + " test words, "
                        + split.train().labels().size() + " classes; chance = majority-class rate of the test words,"
                        + " the most a probe without information expects");
            } else {
                if (texts == null) {
                    texts = ProbeData.heldOut(wordNet, config);
                    Corpus held = Corpus.of("probe-heldout", texts);
                    datasets.add(new RunRecord.DataSet("heldout", held.name(), held.sha256(), held.size(), -1));
                }
                chance.put(p, p == Probe.MLM ? 1.0 / tokenizer.vocabSize() : tokenizer.vocabSize());
                testSize.put(p, texts.size());
                data.put(p, texts.size() + " held-out texts" + (config.texts() == null ? " (WordNet definitions)" : "")
                        + "; chance = uniform guess over " + tokenizer.vocabSize() + " ids");
            }
        }
        int[] steps = sorted.stream().mapToInt(Point::step).toArray();
        Map<Probe, double[]> scores = new EnumMap<>(Probe.class);
        Map<Probe, double[]> byChance = new EnumMap<>(Probe.class);
        probes.forEach(p -> scores.put(p, new double[steps.length]));
        words.keySet().forEach(p -> byChance.put(p, new double[steps.length]));
        Lineage lineage = Lineage.EMPTY;
        for (int i = 0; i < sorted.size(); i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("probing cancelled after " + i + " of " + sorted.size()
                        + " checkpoints");
            }
            Point pt = sorted.get(i);
            try (MaskedLanguageModel model = pt.model().get()) {
                lineage = pt.runStep() == null ? model.lineage() : model.lineage().then(pt.runStep());
                if (tokenizer.vocabSize() > model.config().vocabSize()) {
                    throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " ids but the"
                            + " model of step " + pt.step() + " only " + model.config().vocabSize() + " embeddings;"
                            + " give the tokenizer the run was trained with");
                }
                EvalResult mlm = null;
                for (Probe p : probes) {
                    if (p.isWordProbe()) {
                        double[] a = accuracy(model, tokenizer, words.get(p), config.seed());
                        scores.get(p)[i] = a[0];
                        byChance.get(p)[i] = a[1];
                    } else {
                        if (mlm == null) {
                            PretrainConfig pc = pt.config() == null ? PretrainConfig.builder().build() : pt.config();
                            mlm = Perplexity.evaluate(model, tokenizer, texts,
                                    pc.toBuilder().optSeed(config.seed()).build());
                        }
                        scores.get(p)[i] = p == Probe.MLM ? mlm.accuracy() : mlm.perplexity();
                    }
                }
            }
        }
        ProbeSeries series = new ProbeSeries(List.copyOf(probes), steps, scores, chance, data, testSize, byChance);
        series.record = series.record(sorted, config, datasets, lineage, start);
        return series;
    }

    /** The run record: kind {@value #KIND}, the checkpoints as artifacts, every score as a metric. */
    private RunRecord record(List<Point> points, ProbeConfig config, List<RunRecord.DataSet> datasets,
                             Lineage lineage, Instant start) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("probes", probes.stream().map(Probe::key).toList());
        cfg.put("words", config.words());
        cfg.put("test_fraction", config.testFraction());
        cfg.put("heldout_texts", config.texts() == null ? "wordnet-definitions-" + config.heldOutTexts() : "given");
        Map<String, String> artifacts = new LinkedHashMap<>();
        points.forEach(pt -> artifacts.put("checkpoint_step_" + pt.step(), pt.path().toAbsolutePath().toString()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Probe p : probes) {
            metrics.put(p.key() + "_chance", chance.get(p));
            for (int i = 0; i < steps.length; i++) {
                metrics.put(p.key() + "_step_" + steps[i], scores.get(p)[i]);
                if (byChance.containsKey(p)) {
                    metrics.put(p.key() + "_by_chance_step_" + steps[i], byChance.get(p)[i]);
                }
            }
        }
        return RunRecord.of(KIND, "completed", cfg, config.seed(), datasets, lineage, artifacts, metrics,
                RunRecord.Timings.between(start, Instant.now()));
    }

    /** The kind of a probe series' run record. */
    public static final String KIND = "probe";

    /**
     * Provenance of the series (write it with {@code record().write(dir)}): the probes and their
     * settings, the word sets and held-out text with checksums, the probed checkpoints, the lineage
     * of the last one, and every score as a metric ({@code supersense_step_100},
     * {@code supersense_chance}, {@code supersense_by_chance_step_100}, ...).
     */
    public RunRecord record() {
        return record;
    }

    /** {accuracy, sum over classes of predicted share times true share} of a probe fitted on the split. */
    private static double[] accuracy(MaskedLanguageModel model, Tokenizer tokenizer, LabeledSplit split, long seed) {
        LinearProbe probe = LinearProbe.fit(model, tokenizer, split.train(), seed);
        List<Prediction> predicted = probe.predict(split.test().texts());
        int n = predicted.size();
        int hits = 0;
        Map<String, Integer> predictedCounts = new java.util.HashMap<>();
        for (int j = 0; j < n; j++) {
            String label = predicted.get(j).label();
            hits += label.equals(split.test().label(j)) ? 1 : 0;
            predictedCounts.merge(label, 1, Integer::sum);
        }
        double agreement = 0;
        for (Map.Entry<String, Integer> e : split.test().labelCounts().entrySet()) {
            agreement += (double) predictedCounts.getOrDefault(e.getKey(), 0) / n * e.getValue() / n;
        }
        return new double[] {(double) hits / n, agreement};
    }

    private static double majorityRate(LabeledTexts test) {
        int max = test.labelCounts().values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return (double) max / test.size();
    }

    /** The probes, in the order given. */
    public List<Probe> probes() {
        return probes;
    }

    /** The checkpoints' steps, increasing. */
    public int[] steps() {
        return steps.clone();
    }

    /**
     * The scores of {@code probe}, one per checkpoint in {@link #steps()} order.
     *
     * @throws IllegalArgumentException if the series did not run that probe
     */
    public double[] scores(Probe probe) {
        return check(probe, scores.get(probe)).clone();
    }

    /** The chance level of {@code probe}: majority-class rate (word probes), 1/V (mlm) or V (ppl). */
    public double chance(Probe probe) {
        return check(probe, chance.get(probe));
    }

    /**
     * For a word probe, per checkpoint: the accuracy its predictions would reach by chance, had they
     * been independent of the true labels with the same frequencies (the sum over classes of predicted
     * share times true share, the expected agreement of Cohen's kappa). A probe that learnt nothing
     * scores about this; NaN for the masked-LM probes.
     */
    public double[] expectedByChance(Probe probe) {
        check(probe, scores.get(probe));
        double[] v = byChance.get(probe);
        if (v == null) {
            double[] nan = new double[steps.length];
            java.util.Arrays.fill(nan, Double.NaN);
            return nan;
        }
        return v.clone();
    }

    /** What {@code probe} is scored on: test words (word probes) or held-out texts (mlm, ppl). */
    public int testSize(Probe probe) {
        return check(probe, testSize.get(probe));
    }

    /** What {@code probe} was measured on (sizes, classes, what its chance level is). */
    public String data(Probe probe) {
        return check(probe, data.get(probe));
    }

    private <T> T check(Probe probe, T value) {
        if (value == null) {
            throw new IllegalArgumentException("the series did not run the probe " + probe.key() + "; it ran "
                    + String.join(", ", probes.stream().map(Probe::key).toList()));
        }
        return value;
    }

    /** One row per checkpoint: step, then one column per probe (named by its key). */
    public Table table() {
        Table t = Table.create("probe scores by pretraining step", IntColumn.create("step", steps));
        for (Probe p : probes) {
            t.addColumns(DoubleColumn.create(p.key(), scores.get(p)));
        }
        return t;
    }

    /** One row per probe: its chance level, first and last score, and what it was measured on. */
    public Table chanceTable() {
        Table t = Table.create("probes");
        t.addColumns(tech.tablesaw.api.StringColumn.create("probe", probes.stream().map(Probe::key).toList()),
                DoubleColumn.create("chance", probes.stream().mapToDouble(chance::get).toArray()),
                DoubleColumn.create("first", probes.stream().mapToDouble(p -> scores.get(p)[0]).toArray()),
                DoubleColumn.create("last", probes.stream().mapToDouble(p -> scores.get(p)[steps.length - 1])
                        .toArray()),
                tech.tablesaw.api.StringColumn.create("data", probes.stream().map(data::get).toList()));
        return t;
    }

    /**
     * Score against step, one line per probe with its chance level dashed; accuracies on the left
     * axis, perplexity on the right.
     */
    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(720).height(400).title("Probes over pretraining")
                .xAxisTitle("step").yAxisTitle("accuracy").build();
        double[] x = java.util.Arrays.stream(steps).asDoubleStream().toArray();
        double[] ends = {x[0], x[x.length - 1]};
        for (Probe p : probes) {
            int group = p == Probe.PERPLEXITY ? 1 : 0;
            XYSeries s = chart.addSeries(p.key(), x, scores.get(p));
            s.setYAxisGroup(group);
            double c = chance.get(p);
            XYSeries cs = chart.addSeries(p.key() + " chance", ends, new double[] {c, c});
            cs.setYAxisGroup(group);
            cs.setMarker(SeriesMarkers.NONE);
            cs.setLineStyle(SeriesLines.DASH_DASH);
            cs.setShowInLegend(false);
        }
        if (probes.contains(Probe.PERPLEXITY)) {
            chart.setYAxisGroupTitle(1, "perplexity");
        }
        return chart;
    }

    @Override
    public String toHtml() {
        return "<div><b>" + Html.escape("Probes at " + steps.length + " checkpoints") + "</b>"
                + Html.table(chanceTable()) + Html.table(table()) + Html.image(chart()) + "</div>";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProbeSeries[" + steps.length + " checkpoints, steps " + steps[0] + ".."
                + steps[steps.length - 1]);
        for (Probe p : probes) {
            double[] s = scores.get(p);
            sb.append(String.format(Locale.ROOT, "; %s %.4g -> %.4g (chance %.4g)", p.key(), s[0], s[s.length - 1],
                    chance.get(p)));
        }
        return sb.append(']').toString();
    }
}
