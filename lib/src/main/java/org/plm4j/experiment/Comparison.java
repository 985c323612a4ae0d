package org.plm4j.experiment;

import org.plm4j.record.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.plm4j.record.RunRecord;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Methods of an {@link Experiment} side by side: one row per method with the number of runs and
 * the mean ± sample standard deviation of test accuracy, macro-F1, micro-F1, tail macro-F1 and
 * wall seconds, then accuracy and accuracy drop per extra test set. Immutable.
 *
 * <p>One verdict rule holds everywhere: a method is higher (or lower) than another only when the
 * means over seeds differ by more than the larger of the two standard deviations; otherwise there
 * is no clear difference. {@link #difference}, {@link #beatsBaseline}, the table's verdict column
 * and {@link #verdict()} all apply it.
 *
 * <p>With {@link #against(String)} a baseline is named: the table gains a column
 * {@code beats <baseline>?} ({@code yes} when the method's mean test macro-F1 is clearly higher
 * than the baseline's by that rule) and {@link #toHtml()} names every method that does not beat it.
 *
 * <p>All numbers come from the methods' run records, so {@link #fromRecords(Path)} on an
 * experiment's output directory gives the same table as {@link Experiment#comparison()}.
 */
public final class Comparison implements Displayable {

    /** Column of the baseline verdict, see {@link #against(String)}. */
    public static final String BEATS_COLUMN_FORMAT = "beats %s?";

    private final List<MethodResult> methods;
    private final String baseline;

    private Comparison(List<MethodResult> methods, String baseline) {
        this.methods = List.copyOf(methods);
        this.baseline = baseline;
    }

    /**
     * Methods in the given order.
     *
     * @throws IllegalArgumentException if two have the same name
     */
    public static Comparison of(List<MethodResult> methods) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodResult m : methods) {
            if (!names.add(m.method())) {
                throw new IllegalArgumentException("method '" + m.method() + "' appears twice in the comparison");
            }
        }
        return new Comparison(methods, null);
    }

    /**
     * Rebuilds a comparison from the {@code run.json} files under {@code dir} (any depth), whatever
     * their kind. Experiment records are grouped by their config {@code method}; the fine-tuning
     * records an experiment wrote beside its own are part of it and skipped; every other record
     * (pretrain, dapt, tapt, finetune, backtranslate, robustness, ...) is grouped under its kind,
     * or its config {@code method} when it has one. Records of the old format are migrated as they
     * are read. Groups are ordered by their first run's start time, runs by start time.
     *
     * @throws IllegalArgumentException if there is no record under {@code dir}
     * @throws UncheckedIOException if {@code dir} cannot be read
     */
    public static Comparison fromRecords(Path dir) {
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().equals(RunRecord.FILE_NAME)).sorted().toList();
            Set<Path> partOfExperiment = new java.util.HashSet<>();
            List<RunRecord> all = new ArrayList<>();
            for (Path f : found) {
                RunRecord r = RunRecord.load(f);
                if (Experiment.KIND.equals(r.kind())) {
                    String nested = r.artifacts().get(Experiment.ARTIFACT_FINETUNE_RUN);
                    if (nested != null) {
                        partOfExperiment.add(f.getParent().resolve(nested).toAbsolutePath().normalize());
                    }
                }
                all.add(r);
            }
            for (int i = 0; i < found.size(); i++) {
                if (!partOfExperiment.contains(found.get(i).toAbsolutePath().normalize())) {
                    records.add(all.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the run records under " + dir + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no run records (" + RunRecord.FILE_NAME + ") under " + dir
                    + "; runs write them when given an output directory, e.g. optOutputDir(" + dir + ")");
        }
        // parsed, not compared as text: Instant.toString() drops a zero fraction ("...:48Z" vs "...:48.1Z")
        records.sort(Comparator.comparing((RunRecord r) -> r.timings() == null || r.timings().start() == null
                ? java.time.Instant.MIN : java.time.Instant.parse(r.timings().start())).thenComparingLong(RunRecord::seed));
        Map<String, List<RunRecord>> byMethod = new LinkedHashMap<>();
        for (RunRecord r : records) {
            Object method = r.config().get(Experiment.CONFIG_METHOD);
            String group = method != null ? method.toString() : r.kind();
            byMethod.computeIfAbsent(group, k -> new ArrayList<>()).add(r);
        }
        List<MethodResult> methods = new ArrayList<>();
        byMethod.forEach((m, runs) -> methods.add(new MethodResult(m, runs)));
        return of(methods);
    }

    /** The methods, in order. */
    public List<MethodResult> methods() {
        return methods;
    }

    /**
     * The method named {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public MethodResult method(String name) {
        return methods.stream().filter(m -> m.method().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method '" + name + "' in this comparison; methods: "
                        + methods.stream().map(MethodResult::method).toList()));
    }

    /**
     * This comparison judged against {@code baseline}: a column {@code beats <baseline>?} and a
     * sentence in {@link #toHtml()} naming the methods whose mean test macro-F1 is not clearly higher.
     *
     * @throws IllegalArgumentException if there is no method of that name
     */
    public Comparison against(String baseline) {
        method(baseline);
        return new Comparison(methods, baseline);
    }

    /** The baseline named by {@link #against(String)}, if any. */
    public Optional<String> baseline() {
        return Optional.ofNullable(baseline);
    }

    /**
     * Whether {@code method}'s mean test macro-F1 is higher than the baseline's by more than the
     * larger of the two standard deviations over seeds (the one verdict rule, see {@link #difference}).
     *
     * @throws IllegalStateException if no baseline was named
     */
    public boolean beatsBaseline(String method) {
        if (baseline == null) {
            throw new IllegalStateException("no baseline named; use comparison.against(\"TF-IDF + LR\") first");
        }
        return clearDifference(method(method).stats(Metrics.TEST_MACRO_F1),
                method(baseline).stats(Metrics.TEST_MACRO_F1)) > 0;
    }

    /**
     * The one verdict rule: {@code 1} when {@code a}'s mean is higher than {@code b}'s by more than
     * the larger standard deviation, {@code -1} when lower by more than that, {@code 0} otherwise
     * (also when a mean or standard deviation is NaN).
     */
    private static int clearDifference(MeanSd a, MeanSd b) {
        return a.clearDifference(b);
    }

    /** The methods other than the baseline that do not beat it (empty when no baseline was named). */
    public List<String> notBeatingBaseline() {
        if (baseline == null) {
            return List.of();
        }
        return methods.stream().map(MethodResult::method).filter(m -> !m.equals(baseline) && !beatsBaseline(m)).toList();
    }

    /** Names of the extra test sets of any method, in order of first appearance. */
    public List<String> extraTestSets() {
        Set<String> names = new LinkedHashSet<>();
        methods.forEach(m -> names.addAll(m.extraTestSets()));
        return new ArrayList<>(names);
    }

    /**
     * One row per method: {@code method}, {@code runs}, {@code accuracy}, {@code macro-F1},
     * {@code micro-F1}, {@code tail macro-F1}, {@code wall s} (each "mean ± sd"), then
     * {@code <set> accuracy} and {@code <set> drop} per extra test set, then the baseline verdict
     * when {@link #against(String)} named one. When no run has test metrics (records of
     * pretraining, say), one "mean ± sd" column per metric the runs hold instead.
     */
    public Table table() {
        StringColumn method = StringColumn.create("method");
        IntColumn runs = IntColumn.create("runs");
        Map<String, StringColumn> stats = new LinkedHashMap<>();
        stats.put(Metrics.TEST_ACCURACY, StringColumn.create("accuracy"));
        stats.put(Metrics.TEST_MACRO_F1, StringColumn.create("macro-F1"));
        stats.put(Metrics.TEST_MICRO_F1, StringColumn.create("micro-F1"));
        stats.put(Metrics.TEST_TAIL_MACRO_F1, StringColumn.create("tail macro-F1"));
        stats.put(Metrics.WALL_SECONDS, StringColumn.create("wall s"));
        for (String set : extraTestSets()) {
            stats.put(Metrics.accuracyOn(set), StringColumn.create(set + " accuracy"));
            stats.put(Metrics.dropOn(set), StringColumn.create(set + " drop"));
        }
        Set<String> present = new LinkedHashSet<>();
        methods.forEach(m -> m.runs().forEach(r -> present.addAll(r.metrics().keySet())));
        boolean testMetrics = present.contains(Metrics.TEST_ACCURACY) || present.contains(Metrics.TEST_MACRO_F1);
        if (!testMetrics) {
            // records of other kinds (pretraining, robustness, ...): one column per metric they hold
            stats.clear();
            present.forEach(k -> stats.put(k, StringColumn.create(k)));
        }
        StringColumn beats = baseline == null ? null : StringColumn.create(String.format(BEATS_COLUMN_FORMAT, baseline));
        for (MethodResult m : methods) {
            method.append(m.method());
            runs.append(m.runs().size());
            stats.forEach((metric, col) -> col.append(m.stats(metric).toString()));
            if (beats != null) {
                beats.append(m.method().equals(baseline) ? "(baseline)" : beatsBaseline(m.method()) ? "yes" : "no");
            }
        }
        Table t = Table.create(title(testMetrics), method, runs);
        stats.values().forEach(t::addColumns);
        if (beats != null) {
            t.addColumns(beats);
        }
        return t;
    }

    private String title(boolean testMetrics) {
        Set<String> datasets = new LinkedHashSet<>();
        Set<Long> seeds = new LinkedHashSet<>();
        for (MethodResult m : methods) {
            m.runs().forEach(r -> {
                Object d = r.config().get(Experiment.CONFIG_EXPERIMENT);
                if (d != null) {
                    datasets.add(d.toString());
                }
                seeds.add(r.seed());
            });
        }
        return (datasets.isEmpty() ? "experiment" : String.join(", ", datasets)) + (testMetrics ? ": test metrics" : ": metrics") + ", mean ± sd over seeds "
                + seeds;
    }

    /** Mean test macro-F1 per method as bars, with the standard deviation as error bars. */
    public CategoryChart chart() {
        int w = Math.max(480, Math.min(1400, 120 + 90 * methods.size()));
        CategoryChart chart = new CategoryChartBuilder().width(w).height(360).title("Test macro-F1 (mean ± sd over seeds)")
                .xAxisTitle("method").yAxisTitle("macro-F1").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        if (methods.size() > 4) {
            chart.getStyler().setXAxisLabelRotation(30);
        }
        List<String> names = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> sds = new ArrayList<>();
        for (MethodResult m : methods) {
            MeanSd s = m.stats(Metrics.TEST_MACRO_F1);
            names.add(m.method());
            means.add(Double.isNaN(s.mean()) ? 0.0 : s.mean());
            sds.add(Double.isNaN(s.sd()) ? 0.0 : s.sd());
        }
        chart.addSeries("macro-F1", names, means, sds);
        return chart;
    }

    /**
     * A sentence comparing method {@code a} with method {@code b} on {@code metric}, e.g.
     * {@code "BT-TAPT vs TAPT, test_macro_f1: 0.482 ± 0.046 vs 0.443 ± 0.064 -> no clear difference at this scale"}.
     * The verdict is {@code higher} or {@code lower} only when the means differ by more than the
     * larger of the two standard deviations over seeds; the notebooks state their effects this way.
     *
     * @throws IllegalArgumentException if either method is not in this comparison
     */
    public String difference(String a, String b, String metric) {
        MeanSd ma = method(a).stats(metric);
        MeanSd mb = method(b).stats(metric);
        int sign = clearDifference(ma, mb);
        String verdict = sign == 0 ? "no clear difference at this scale" : sign > 0 ? "higher" : "lower";
        return String.format(Locale.ROOT, "%s vs %s, %s: %s vs %s -> %s", a, b, metric, ma, mb, verdict);
    }

    /**
     * A sentence on the baseline: which methods do not beat it by the verdict rule, or that all do;
     * empty without a baseline.
     */
    public String verdict() {
        if (baseline == null) {
            return "";
        }
        double b = method(baseline).mean(Metrics.TEST_MACRO_F1);
        List<String> losers = notBeatingBaseline();
        if (losers.isEmpty()) {
            return String.format(Locale.ROOT, "Every method beats %s (mean test macro-F1 %.3f).", baseline, b);
        }
        return String.format(Locale.ROOT, "Not clearly better than %s (mean test macro-F1 %.3f): %s.", baseline, b,
                losers.stream().map(m -> String.format(Locale.ROOT, "%s (%.3f)", m, method(m).mean(Metrics.TEST_MACRO_F1)))
                        .collect(Collectors.joining(", ")));
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div>");
        sb.append(Html.table(table()));
        if (baseline != null) {
            String style = notBeatingBaseline().isEmpty() ? "" : " style=\"color:#b00020;font-weight:bold\"";
            sb.append("<p").append(style).append('>').append(Html.escape(verdict())).append("</p>");
        }
        sb.append(Html.image(chart())).append("</div>");
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Comparison[");
        for (int i = 0; i < Math.min(10, methods.size()); i++) {
            MethodResult m = methods.get(i);
            sb.append(i == 0 ? "" : "; ").append(m.method()).append(": macro-F1 ").append(m.stats(Metrics.TEST_MACRO_F1))
                    .append(" (").append(m.runs().size()).append(" runs)");
        }
        if (methods.size() > 10) {
            sb.append("; … ").append(methods.size() - 10).append(" more");
        }
        if (baseline != null) {
            sb.append("; ").append(verdict());
        }
        return sb.append(']').toString();
    }
}
