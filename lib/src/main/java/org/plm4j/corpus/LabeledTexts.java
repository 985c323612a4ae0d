package org.plm4j.corpus;

import org.plm4j.train.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * An immutable list of texts, each with a string label (for example WordNet glosses with their
 * lexicographer file, or documents with a topic), for classification tasks and for colouring
 * embedding plots.
 *
 * <p>Texts and labels are aligned by index; neither may be null. {@link #labels()} lists the
 * distinct labels in sorted order, which is also the order of {@link #labelIndex(String)}.
 */
public final class LabeledTexts {

    private final String name;
    private final List<String> texts;
    private final List<String> labels;
    private final List<String> distinct;

    private LabeledTexts(String name, List<String> texts, List<String> labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.texts = List.copyOf(texts);
        this.labels = List.copyOf(labels);
        if (this.texts.size() != this.labels.size()) {
            throw new IllegalArgumentException("texts and labels must have the same size, got "
                    + this.texts.size() + " texts and " + this.labels.size() + " labels");
        }
        this.distinct = List.copyOf(new java.util.TreeSet<>(this.labels));
    }

    /**
     * Texts with their labels (both copied).
     *
     * @throws IllegalArgumentException if the sizes differ
     * @throws NullPointerException if a text or a label is null
     */
    public static LabeledTexts of(String name, List<String> texts, List<String> labels) {
        return new LabeledTexts(name, texts, labels);
    }

    public String name() {
        return name;
    }

    public int size() {
        return texts.size();
    }

    public List<String> texts() {
        return texts;
    }

    /** The label of every text, aligned with {@link #texts()}. */
    public List<String> labelOfEach() {
        return labels;
    }

    public String text(int i) {
        return texts.get(i);
    }

    public String label(int i) {
        return labels.get(i);
    }

    /** Distinct labels, sorted. */
    public List<String> labels() {
        return distinct;
    }

    /** Index of {@code label} in {@link #labels()}, or -1. */
    public int labelIndex(String label) {
        int i = java.util.Collections.binarySearch(distinct, label);
        return i >= 0 ? i : -1;
    }

    /** Label indices (into {@link #labels()}) of every text. */
    public int[] labelIds() {
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labelIndex(labels.get(i));
        }
        return out;
    }

    /** Number of texts per label, in label order. */
    public Map<String, Integer> labelCounts() {
        Map<String, Integer> m = new TreeMap<>();
        for (String l : labels) {
            m.merge(l, 1, Integer::sum);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A table with columns {@code label}, {@code count}, sorted by descending count. */
    public Table countsTable() {
        StringColumn l = StringColumn.create("label");
        IntColumn c = IntColumn.create("count");
        labelCounts().forEach((k, v) -> {
            l.append(k);
            c.append(v);
        });
        return Table.create(name + " label counts", l, c).sortDescendingOn("count");
    }

    /** The texts alone as a corpus with the same name. */
    public Corpus corpus() {
        return Corpus.of(name, texts);
    }

    /** Only the texts whose label satisfies {@code keep}. */
    public LabeledTexts filterLabels(java.util.function.Predicate<String> keep) {
        List<String> t = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (keep.test(labels.get(i))) {
                t.add(texts.get(i));
                l.add(labels.get(i));
            }
        }
        return new LabeledTexts(name, t, l);
    }

    /** A seeded random sample of {@code n} texts with their labels, in original order. */
    public LabeledTexts sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size n must be >= 0, got " + n);
        }
        if (n >= texts.size()) {
            return this;
        }
        boolean[] keep = Seeds.choose(texts.size(), n, seed);
        List<String> t = new ArrayList<>(n);
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                t.add(texts.get(i));
                l.add(labels.get(i));
            }
        }
        return new LabeledTexts(name + "-sample" + n, t, l);
    }

    /**
     * Stratified, seeded split: within each label the texts are shuffled (one
     * {@link java.util.SplittableRandom} seeded by {@code seed}, labels visited in sorted order)
     * and {@code round(count * testFraction)} of them go to the test part, so every label keeps
     * its share; a label with a single text stays in training. Both parts keep the original order
     * and are named {@code name + "-train"} and {@code name + "-test"}.
     *
     * @throws IllegalArgumentException if {@code testFraction} is not in {@code [0, 1)}
     */
    public LabeledSplit split(double testFraction, long seed) {
        if (!(testFraction >= 0.0 && testFraction < 1.0)) {
            throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
        }
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byLabel.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        boolean[] isTest = new boolean[texts.size()];
        for (List<Integer> idx : byLabel.values()) {
            int n = idx.size();
            int t = n < 2 ? 0 : (int) Math.min(n - 1, Math.round(n * testFraction));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                Integer tmp = idx.get(i);
                idx.set(i, idx.get(j));
                idx.set(j, tmp);
            }
            for (int i = 0; i < t; i++) {
                isTest[idx.get(i)] = true;
            }
        }
        List<String> trT = new ArrayList<>();
        List<String> trL = new ArrayList<>();
        List<String> teT = new ArrayList<>();
        List<String> teL = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            (isTest[i] ? teT : trT).add(texts.get(i));
            (isTest[i] ? teL : trL).add(labels.get(i));
        }
        return new LabeledSplit(new LabeledTexts(name + "-train", trT, trL), new LabeledTexts(name + "-test", teT, teL));
    }

    @Override
    public String toString() {
        return "LabeledTexts[" + name + ", " + texts.size() + " texts, " + distinct.size() + " labels]";
    }
}
