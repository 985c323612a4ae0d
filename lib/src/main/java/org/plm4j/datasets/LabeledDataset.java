package org.plm4j.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.display.Html;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A text classification dataset split into train, validation and test parts, stratified by label,
 * with no exact-duplicate text in two parts (duplicates are removed before splitting, see
 * {@link Manifest.Dedupe}).
 *
 * <pre>{@code
 * LabeledDataset task = Datasets.task("foldoc-topics");
 * task.train(); task.validation(); task.test();   // LabeledTexts
 * task.countsTable();                             // label, train, validation, test, total
 * CorpusDataset dapt = Datasets.corpus("foldoc"); // already excludes task.validation() and task.test()
 * }</pre>
 */
public final class LabeledDataset implements Dataset<LabeledTexts> {

    private final String name;
    private final LabeledTexts train;
    private final LabeledTexts validation;
    private final LabeledTexts test;
    private final Manifest manifest;

    LabeledDataset(String name, LabeledTexts train, LabeledTexts validation, LabeledTexts test, Manifest manifest) {
        this.name = name;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.manifest = manifest;
    }

    /**
     * Deduplicates and splits user data (for example from {@link TextFiles}) with {@code spec}.
     *
     * @throws IllegalArgumentException if the data is empty or a label has a single example
     */
    public static LabeledDataset of(LabeledTexts data, SplitSpec spec) {
        return of(data.name(), "user data", data.texts(), data.labelOfEach(), spec,
                new Manifest.Source(null, Splitter.sha256(data.texts(), data.labelOfEach()), List.of()), 0, List.of(), List.of());
    }

    /** {@link #of(LabeledTexts, SplitSpec)} with {@link SplitSpec#DEFAULT}. */
    public static LabeledDataset of(LabeledTexts data) {
        return of(data, SplitSpec.DEFAULT);
    }

    static LabeledDataset of(String name, String description, List<String> texts, List<String> labels, SplitSpec spec,
            Manifest.Source source, int recipeVersion, List<String> notes, List<RowProblem> skipped) {
        Objects.requireNonNull(spec, "spec");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no texts; check the source and the filters applied to it");
        }
        Splitter.Deduped d = Splitter.dedupe(texts, labels, null);
        int[] part = Splitter.assign(d.texts().size(), d.labels(), spec, name);
        List<List<String>> t = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<String>> l = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < part.length; i++) {
            t.get(part[i]).add(d.texts().get(i));
            l.get(part[i]).add(d.labels().get(i));
        }
        LabeledTexts[] parts = new LabeledTexts[3];
        for (int s = 0; s < 3; s++) {
            parts[s] = LabeledTexts.of(name + "-" + Splitter.SPLITS.get(s), t.get(s), l.get(s));
        }
        Map<String, Manifest.SplitInfo> infos = splitInfos(parts);
        Map<String, Integer> counts = Splitter.counts(d.labels());
        Manifest m = new Manifest(name, "classification", description, recipeVersion, source, spec, d.stats(), infos,
                List.copyOf(counts.keySet()), counts, checksum(infos), null, List.copyOf(notes),
                List.copyOf(skipped));
        return new LabeledDataset(name, parts[0], parts[1], parts[2], m);
    }

    /**
     * A smaller copy for experiments that must run in minutes: {@code trainSize} training texts
     * sampled uniformly (so the class imbalance is kept), and up to {@code evalSize} validation and
     * test texts each, sampled among the labels the sampled training split still has (a label lost
     * by sampling cannot be predicted, so it leaves the evaluation too). The manifest records the
     * sizes, the seed and the new checksums.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public LabeledDataset subsample(int trainSize, int evalSize, long seed) {
        if (trainSize < 1 || evalSize < 1) {
            throw new IllegalArgumentException("subsample sizes must be >= 1, got train " + trainSize + ", eval " + evalSize);
        }
        LabeledTexts tr = train.sample(trainSize, seed);
        java.util.Set<String> kept = new java.util.HashSet<>(tr.labelOfEach());
        LabeledTexts va = validation.filterLabels(kept::contains).sample(evalSize, seed);
        LabeledTexts te = test.filterLabels(kept::contains).sample(evalSize, seed);
        String n = name + "-subsample";
        LabeledTexts[] parts = {LabeledTexts.of(n + "-train", tr.texts(), tr.labelOfEach()),
                LabeledTexts.of(n + "-validation", va.texts(), va.labelOfEach()),
                LabeledTexts.of(n + "-test", te.texts(), te.labelOfEach())};
        Map<String, Manifest.SplitInfo> infos = splitInfos(parts);
        List<String> notes = new ArrayList<>(manifest.notes());
        notes.add(String.format(java.util.Locale.ROOT, "subsample of %s: %d training texts sampled uniformly, up to %d"
                + " validation/test texts among the %d labels left in training, seed %d", name, trainSize, evalSize,
                kept.size(), seed));
        Map<String, Integer> counts = Splitter.counts(tr.labelOfEach());
        Manifest m = new Manifest(n, manifest.kind(), manifest.description(), manifest.recipeVersion(), manifest.source(),
                manifest.split(), manifest.dedupe(), infos, List.copyOf(counts.keySet()), counts,
                checksum(infos), manifest.training(), List.copyOf(notes), manifest.skippedRows());
        return new LabeledDataset(n, parts[0], parts[1], parts[2], m);
    }

    /** Count, checksum and label counts of the train, validation and test parts, in that order. */
    private static Map<String, Manifest.SplitInfo> splitInfos(LabeledTexts[] parts) {
        Map<String, Manifest.SplitInfo> infos = new LinkedHashMap<>();
        for (int s = 0; s < 3; s++) {
            infos.put(Splitter.SPLITS.get(s), new Manifest.SplitInfo(parts[s].size(),
                    Splitter.sha256(parts[s].texts(), parts[s].labelOfEach()), Splitter.counts(parts[s].labelOfEach())));
        }
        return infos;
    }

    /** The dataset's checksum: over the split checksums, in split order. */
    private static String checksum(Map<String, Manifest.SplitInfo> infos) {
        StringBuilder all = new StringBuilder();
        infos.values().forEach(i -> all.append(i.sha256()));
        return Splitter.sha256(all.toString());
    }

    @Override
    public String name() {
        return name;
    }

    public LabeledTexts train() {
        return train;
    }

    public LabeledTexts validation() {
        return validation;
    }

    public LabeledTexts test() {
        return test;
    }

    /** Distinct labels, sorted. */
    public List<String> labels() {
        return manifest.labels();
    }

    /** Total number of texts over the three splits. */
    public int size() {
        return train.size() + validation.size() + test.size();
    }

    /**
     * The task's own unlabelled training text, for TAPT: the train split only, so TAPT never sees
     * validation or test texts. Named {@code name + "-tapt"}.
     */
    public Corpus taptCorpus() {
        return Corpus.of(name + "-tapt", train.texts());
    }

    @Override
    public Manifest manifest() {
        return manifest;
    }

    @Override
    public Table table() {
        StringColumn split = StringColumn.create("split");
        StringColumn text = StringColumn.create("text");
        StringColumn label = StringColumn.create("label");
        for (String s : Splitter.SPLITS) {
            LabeledTexts p = split(s);
            for (int i = 0; i < p.size(); i++) {
                split.append(s);
                text.append(p.text(i));
                label.append(p.label(i));
            }
        }
        return Table.create(name, split, text, label);
    }

    /** Columns {@code label}, {@code train}, {@code validation}, {@code test}, {@code count} (total), by descending count. */
    public Table countsTable() {
        StringColumn label = StringColumn.create("label");
        IntColumn tr = IntColumn.create("train");
        IntColumn va = IntColumn.create("validation");
        IntColumn te = IntColumn.create("test");
        IntColumn total = IntColumn.create("count");
        for (String l : manifest.labels()) {
            label.append(l);
            tr.append(manifest.splits().get("train").labelCounts().getOrDefault(l, 0));
            va.append(manifest.splits().get("validation").labelCounts().getOrDefault(l, 0));
            te.append(manifest.splits().get("test").labelCounts().getOrDefault(l, 0));
            total.append(manifest.labelCounts().get(l));
        }
        return Table.create(name + " label counts", label, tr, va, te, total).sortDescendingOn("count");
    }

    /** A bar chart of texts per label (all splits), most frequent first. */
    public CategoryChart distributionChart() {
        Table c = countsTable();
        int w = Math.max(600, Math.min(1400, 40 + 22 * c.rowCount()));
        CategoryChart chart = new CategoryChartBuilder().width(w).height(420).title(name + ": texts per label")
                .xAxisTitle("label").yAxisTitle("texts").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        List<String> labels = c.stringColumn("label").asList();
        List<Integer> counts = new ArrayList<>();
        c.intColumn("count").forEach(counts::add);
        chart.addSeries("texts", labels, counts);
        return chart;
    }

    @Override
    public String toHtml() {
        return DatasetHtml.summary(manifest) + Html.image(distributionChart()) + Html.table(countsTable(), 60);
    }

    @Override
    public String toString() {
        return "LabeledDataset[" + name + ", train " + train.size() + ", validation " + validation.size() + ", test "
                + test.size() + ", " + manifest.labels().size() + " labels, sha256=" + manifest.sha256().substring(0, 12) + "]";
    }
}
