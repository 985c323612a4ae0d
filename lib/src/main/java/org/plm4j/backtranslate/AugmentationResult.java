package org.plm4j.backtranslate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What {@link Augmenter} produced: the original texts, the kept {@link Paraphrase}s, and the
 * counts of each step. {@link #labeledTexts()} and {@link #corpus()} give originals followed by
 * paraphrases, named {@code NAME-bt}. Renders itself as HTML (counts and a few example pairs).
 */
public final class AugmentationResult implements Displayable {

    /** Examples shown by {@link #toHtml()}. */
    public static final int EXAMPLES_SHOWN = 5;

    /**
     * Counts of one augmentation run.
     *
     * @param originals texts given
     * @param requested paraphrases asked for (texts &times; copies)
     * @param translated non-empty paraphrases the engine returned
     * @param droppedIdentical paraphrases equal to their source or to an earlier paraphrase of it
     * @param droppedByRatio distinct paraphrases left out by the seeded sample that enforces the ratio
     * @param kept paraphrases in the result
     */
    public record Counts(int originals, int requested, int translated, int droppedIdentical, int droppedByRatio, int kept) {
    }

    private final String name;
    private final List<String> texts;
    private final List<String> labels;
    private final List<Paraphrase> paraphrases;
    private final Counts counts;
    private final AugmentationConfig config;
    private final String engine;
    private final List<String> engineIdentities;

    AugmentationResult(String name, List<String> texts, List<String> labels, List<Paraphrase> paraphrases, Counts counts,
            AugmentationConfig config, String engine, List<String> engineIdentities) {
        this.name = name;
        this.texts = List.copyOf(texts);
        this.labels = labels == null ? null : List.copyOf(labels);
        this.paraphrases = List.copyOf(paraphrases);
        this.counts = counts;
        this.config = config;
        this.engine = engine;
        this.engineIdentities = List.copyOf(engineIdentities);
    }

    /**
     * What a run record should carry about this augmentation (string values, ready for
     * {@code RunRecord.lineage()}): {@code augmentation.source} and {@code .source.sha256} (the
     * input texts), {@code .engine} (identity of every pair used, {@code "; "}-separated),
     * {@code .pivots}, {@code .copies}, {@code .ratio}, {@code .seed}, {@code .kept}, and
     * {@code .sha256} of {@link #corpus()}.
     */
    public java.util.Map<String, String> provenance() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("augmentation.source", name);
        m.put("augmentation.source.sha256", Corpus.of(name, texts).sha256());
        m.put("augmentation.engine", String.join("; ", engineIdentities));
        m.put("augmentation.pivots", String.join(",", config.usedPivots().stream().map(Pivot::name).toList()));
        m.put("augmentation.copies", String.valueOf(config.copies()));
        m.put("augmentation.ratio", String.valueOf(config.ratio()));
        m.put("augmentation.seed", String.valueOf(config.seed()));
        m.put("augmentation.kept", String.valueOf(paraphrases.size()));
        m.put("augmentation.sha256", corpus().sha256());
        return java.util.Collections.unmodifiableMap(m);
    }

    public Counts counts() {
        return counts;
    }

    public AugmentationConfig config() {
        return config;
    }

    /** The kept paraphrases, in source order. */
    public List<Paraphrase> paraphrases() {
        return paraphrases;
    }

    /** Whether the input had labels. */
    public boolean labelled() {
        return labels != null;
    }

    /** Kept paraphrases per original text. */
    public double ratio() {
        return texts.isEmpty() ? 0.0 : (double) paraphrases.size() / texts.size();
    }

    /**
     * Originals followed by paraphrases, each paraphrase with its source's label, named {@code NAME-bt}.
     *
     * @throws IllegalStateException if the input was a corpus without labels (use {@link #corpus()})
     */
    public LabeledTexts labeledTexts() {
        if (labels == null) {
            throw new IllegalStateException("'" + name + "' was augmented as a corpus without labels; use corpus()");
        }
        List<String> t = new ArrayList<>(texts);
        List<String> l = new ArrayList<>(labels);
        for (Paraphrase p : paraphrases) {
            t.add(p.text());
            l.add(p.label());
        }
        return LabeledTexts.of(name + "-bt", t, l);
    }

    /** Originals followed by paraphrases as a corpus named {@code NAME-bt} (e.g. for TAPT). */
    public Corpus corpus() {
        List<String> t = new ArrayList<>(texts);
        for (Paraphrase p : paraphrases) {
            t.add(p.text());
        }
        return Corpus.of(name + "-bt", t);
    }

    /** Only the paraphrases, as a corpus named {@code NAME-paraphrases}. */
    public Corpus paraphraseCorpus() {
        return Corpus.of(name + "-paraphrases", paraphrases.stream().map(Paraphrase::text).toList());
    }

    /** One row per kept paraphrase: {@code source}, {@code pivot}, {@code paraphrase} and, if labelled, {@code label}. */
    public Table table() {
        StringColumn src = StringColumn.create("source");
        StringColumn piv = StringColumn.create("pivot");
        StringColumn par = StringColumn.create("paraphrase");
        StringColumn lab = StringColumn.create("label");
        for (Paraphrase p : paraphrases) {
            src.append(texts.get(p.sourceIndex()));
            piv.append(p.pivot());
            par.append(p.text());
            lab.append(p.label() == null ? "" : p.label());
        }
        Table t = Table.create(name + " paraphrases", src, piv, par);
        return labels == null ? t : t.addColumns(lab);
    }

    /** The counts as a two-column table ({@code step}, {@code texts}). */
    public Table countsTable() {
        StringColumn step = StringColumn.create("step");
        IntColumn n = IntColumn.create("texts");
        String[] names = {"originals", "requested", "translated", "dropped identical", "dropped by ratio", "kept"};
        int[] values = {counts.originals(), counts.requested(), counts.translated(), counts.droppedIdentical(),
                counts.droppedByRatio(), counts.kept()};
        for (int i = 0; i < names.length; i++) {
            step.append(names[i]);
            n.append(values[i]);
        }
        return Table.create("back-translation of " + name + " (" + engine + ", pivots "
                + config.usedPivots().stream().map(Pivot::name).toList() + ")", step, n);
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder(1024);
        b.append("<div class=\"plm4j-backtranslation\">").append(Html.table(countsTable()));
        b.append("<table class=\"plm4j-table\"><caption>examples</caption><thead><tr><th>source</th><th>pivot</th>"
                + "<th>paraphrase</th></tr></thead><tbody>");
        for (int i = 0; i < Math.min(EXAMPLES_SHOWN, paraphrases.size()); i++) {
            Paraphrase p = paraphrases.get(i);
            b.append("<tr><td>").append(Html.escape(texts.get(p.sourceIndex()))).append("</td><td>")
                    .append(Html.escape(p.pivot())).append("</td><td>").append(Html.escape(p.text())).append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "AugmentationResult[%s, %d originals, %d requested, %d translated, %d dropped identical, %d dropped by ratio, %d kept]",
                name, counts.originals(), counts.requested(), counts.translated(), counts.droppedIdentical(),
                counts.droppedByRatio(), counts.kept());
    }
}
