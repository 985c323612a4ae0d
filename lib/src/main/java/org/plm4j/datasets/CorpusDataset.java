package org.plm4j.datasets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.display.Html;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A pretraining corpus split into train, validation and test parts (the held-out parts measure
 * perplexity), with a default training text {@link #corpus()} that excludes the evaluation texts of
 * the paired task.
 *
 * <p><b>No leakage.</b> A DAPT/TAPT corpus must not contain the texts a task is evaluated on.
 * {@link #excluding(LabeledTexts...)} removes every training document that equals an excluded
 * text after normalisation (lower case, punctuation and spacing ignored), also comparing the
 * document's task form (for FOLDOC the definition with its term removed, for WordNet the
 * definition without examples). The built-in corpora already exclude their paired task's
 * validation and test parts ({@code foldoc} ← {@code foldoc-topics}, {@code wordnet-glosses} ←
 * {@code wordnet-supersenses}); {@link Manifest#training()} records what was excluded.
 */
public final class CorpusDataset implements Dataset<Corpus> {

    private final String name;
    private final Corpus train;
    private final Corpus validation;
    private final Corpus test;
    private final List<String> trainKeys;
    private final Corpus training;
    private final Manifest manifest;

    private CorpusDataset(String name, Corpus train, Corpus validation, Corpus test, List<String> trainKeys,
            Corpus training, Manifest manifest) {
        this.name = name;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.trainKeys = trainKeys;
        this.training = training;
        this.manifest = manifest;
    }

    /** Deduplicates and splits a user corpus (for example from {@code Corpora.lines}) with {@code spec}. */
    public static CorpusDataset of(Corpus corpus, SplitSpec spec) {
        return of(corpus.name(), "user corpus", corpus.texts(), null, spec,
                new Manifest.Source(null, corpus.sha256(), List.of()), 0, List.of());
    }

    /** {@link #of(Corpus, SplitSpec)} with {@link SplitSpec#DEFAULT}. */
    public static CorpusDataset of(Corpus corpus) {
        return of(corpus, SplitSpec.DEFAULT);
    }

    static CorpusDataset of(String name, String description, List<String> texts, List<String> keys, SplitSpec spec,
            Manifest.Source source, int recipeVersion, List<String> notes) {
        return of(name, description, texts, keys, spec, source, recipeVersion, notes, null);
    }

    /**
     * Like the above; when {@code pairedTask} is given, a document whose key is a validation or
     * test text of the task (normalised) goes to the same part of the corpus, one whose key is a
     * task training text to train, and only the others are split at random: the corpus's held-out
     * parts then absorb the task's evaluation texts instead of the training text losing them.
     */
    static CorpusDataset of(String name, String description, List<String> texts, List<String> keys, SplitSpec spec,
            Manifest.Source source, int recipeVersion, List<String> notes, LabeledDataset pairedTask) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("corpus '" + name + "' has no texts; check the source");
        }
        Splitter.Deduped d = Splitter.dedupe(texts, null, keys);
        int n = d.texts().size();
        int[] part = new int[n];
        java.util.Arrays.fill(part, -1);
        if (pairedTask != null && d.keys() != null) {
            Map<String, Integer> taskPart = new java.util.HashMap<>();
            for (int s = 0; s < 3; s++) {
                for (String t : pairedTask.split(Splitter.SPLITS.get(s)).texts()) {
                    taskPart.put(Splitter.normalize(t), s);
                }
            }
            for (int i = 0; i < n; i++) {
                Integer s = taskPart.get(d.keys().get(i));
                if (s != null) {
                    part[i] = s;
                }
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (part[i] < 0) {
                free.add(i);
            }
        }
        int[] freePart = Splitter.assign(free.size(), null, spec, name);
        for (int i = 0; i < free.size(); i++) {
            part[free.get(i)] = freePart[i];
        }
        List<List<String>> t = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<String> trainKeys = new ArrayList<>();
        for (int i = 0; i < part.length; i++) {
            t.get(part[i]).add(d.texts().get(i));
            if (part[i] == Splitter.TRAIN) {
                trainKeys.add(d.keys() == null ? "" : d.keys().get(i));
            }
        }
        Map<String, Manifest.SplitInfo> infos = new LinkedHashMap<>();
        StringBuilder all = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            String sha = Splitter.sha256(t.get(s), null);
            infos.put(Splitter.SPLITS.get(s), new Manifest.SplitInfo(t.get(s).size(), sha, Map.of()));
            all.append(sha);
        }
        Corpus train = Corpus.of(name + "-train", t.get(0));
        Corpus training = train.withName(name);
        Manifest m = new Manifest(name, "corpus", description, recipeVersion, source, spec, d.stats(), infos, List.of(),
                Map.of(), Splitter.sha256(all.toString()),
                new Manifest.Training(training.size(), training.sha256(), List.of()), List.copyOf(notes), List.of());
        return new CorpusDataset(name, train, Corpus.of(name + "-validation", t.get(1)), Corpus.of(name + "-test", t.get(2)),
                List.copyOf(trainKeys), training, m);
    }

    /** Rebuilds a dataset read back from the cache. */
    static CorpusDataset restore(Manifest m, List<String> train, List<String> trainKeys, List<String> validation,
            List<String> test, List<String> training) {
        return new CorpusDataset(m.name(), Corpus.of(m.name() + "-train", train), Corpus.of(m.name() + "-validation", validation),
                Corpus.of(m.name() + "-test", test), List.copyOf(trainKeys), Corpus.of(m.name(), training), m);
    }

    /**
     * This corpus with its default training text further reduced: every training document equal
     * (after normalisation, or through its task form) to a text of one of {@code parts} is removed.
     * Each part is recorded in {@link Manifest#training()} under its name, e.g.
     * {@code corpus.excluding(task.validation(), task.test())}.
     */
    public CorpusDataset excluding(LabeledTexts... parts) {
        List<String> names = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        for (LabeledTexts p : parts) {
            names.add(p.name());
            texts.add(p.texts());
        }
        return excluding(names, texts);
    }

    /** {@code excluding(task.validation(), task.test())}: the safe default before DAPT and evaluation on {@code task}. */
    public CorpusDataset excluding(LabeledDataset task) {
        return excluding(task.validation(), task.test());
    }

    /** Like {@link #excluding(LabeledTexts...)} for unlabelled texts (for example a corpus's test part). */
    public CorpusDataset excluding(Corpus... parts) {
        List<String> names = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        for (Corpus p : parts) {
            names.add(p.name());
            texts.add(p.texts());
        }
        return excluding(names, texts);
    }

    private CorpusDataset excluding(List<String> names, List<List<String>> texts) {
        List<String> kept = new ArrayList<>(training.texts());
        List<String> keptKeys = new ArrayList<>(keysOf(kept));
        List<Manifest.Exclusion> ex = new ArrayList<>(manifest.training().excluded());
        for (int p = 0; p < names.size(); p++) {
            Set<String> bad = new HashSet<>();
            for (String s : texts.get(p)) {
                bad.add(Splitter.normalize(s));
            }
            List<String> k2 = new ArrayList<>(kept.size());
            List<String> kk2 = new ArrayList<>(kept.size());
            int removed = 0;
            for (int i = 0; i < kept.size(); i++) {
                String key = keptKeys.get(i);
                if (bad.contains(Splitter.normalize(kept.get(i))) || (!key.isEmpty() && bad.contains(key))) {
                    removed++;
                } else {
                    k2.add(kept.get(i));
                    kk2.add(key);
                }
            }
            kept = k2;
            keptKeys = kk2;
            ex.add(new Manifest.Exclusion(names.get(p), texts.get(p).size(), removed, Splitter.sha256(texts.get(p), null)));
        }
        Corpus newTraining = Corpus.of(name, kept);
        Manifest m = new Manifest(manifest.name(), manifest.kind(), manifest.description(), manifest.recipeVersion(),
                manifest.source(), manifest.split(), manifest.dedupe(), manifest.splits(), manifest.labels(),
                manifest.labelCounts(), manifest.sha256(),
                new Manifest.Training(newTraining.size(), newTraining.sha256(), List.copyOf(ex)), manifest.notes(),
                manifest.skippedRows());
        return new CorpusDataset(name, train, validation, test, trainKeys, newTraining, m);
    }

    private List<String> keysOf(List<String> trainingTexts) {
        Map<String, String> byText = new LinkedHashMap<>();
        for (int i = 0; i < train.size(); i++) {
            byText.put(train.texts().get(i), trainKeys.get(i));
        }
        List<String> out = new ArrayList<>(trainingTexts.size());
        for (String t : trainingTexts) {
            out.add(byText.getOrDefault(t, ""));
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * What DAPT/TAPT trains on by default (and what {@code ./plm4j dataset export NAME} writes): the
     * train split minus every exclusion, named after the dataset. Its {@link Corpus#sha256()} is
     * {@link Manifest.Training#sha256()}.
     */
    public Corpus corpus() {
        return training;
    }

    /**
     * What a run record should carry about this training text (string values, ready for
     * {@code RunRecord.lineage()}): {@code dataset}, {@code dataset.sha256} (the manifest),
     * {@code training.sha256} (= {@code corpus().sha256()}), {@code training.texts} and
     * {@code excluded}: each excluded part as {@code name (N texts, sha256 PREFIX, M removed)},
     * separated by {@code "; "}, or {@code none}.
     */
    public Map<String, String> provenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataset", name);
        m.put("dataset.sha256", manifest.sha256());
        m.put("training.sha256", training.sha256());
        m.put("training.texts", String.valueOf(training.size()));
        List<String> ex = new ArrayList<>();
        for (Manifest.Exclusion e : manifest.training().excluded()) {
            ex.add(e.source() + " (" + e.texts() + " texts, sha256 " + e.sha256().substring(0, 12) + ", " + e.removed() + " removed)");
        }
        m.put("excluded", ex.isEmpty() ? "none" : String.join("; ", ex));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The whole train split, before exclusions. */
    public Corpus train() {
        return train;
    }

    /** Held out for perplexity. */
    public Corpus validation() {
        return validation;
    }

    /** Held out for perplexity. */
    public Corpus test() {
        return test;
    }

    List<String> trainKeys() {
        return trainKeys;
    }

    @Override
    public Manifest manifest() {
        return manifest;
    }

    @Override
    public Table table() {
        StringColumn split = StringColumn.create("split");
        StringColumn text = StringColumn.create("text");
        for (String s : Splitter.SPLITS) {
            for (String t : split(s).texts()) {
                split.append(s);
                text.append(t);
            }
        }
        return Table.create(name, split, text);
    }

    @Override
    public String toHtml() {
        return DatasetHtml.summary(manifest);
    }

    @Override
    public String toString() {
        return "CorpusDataset[" + name + ", train " + train.size() + ", validation " + validation.size() + ", test "
                + test.size() + ", training text " + training.size() + " after " + manifest.training().excluded().size()
                + " exclusion(s), sha256=" + manifest.sha256().substring(0, 12) + "]";
    }
}
