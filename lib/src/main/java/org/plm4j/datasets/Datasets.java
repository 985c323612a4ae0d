package org.plm4j.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.record.Versions;

/**
 * The built-in datasets, built from installed Debian packages into a local cache, and the entry
 * point a notebook cell calls:
 *
 * <pre>{@code
 * LabeledDataset task = Datasets.task("foldoc-topics");   // train/validation/test, stratified
 * CorpusDataset foldoc = Datasets.corpus("foldoc");       // DAPT text, task validation+test excluded
 * foldoc.corpus();                                        // what DAPT trains on
 * task.manifest().toJson();
 * }</pre>
 *
 * <table>
 * <caption>built-in datasets</caption>
 * <tr><th>name</th><th>kind</th><th>source package</th></tr>
 * <tr><td>{@value #WORDNET_GLOSSES}</td><td>corpus: WordNet glosses with examples</td><td>wordnet-base</td></tr>
 * <tr><td>{@value #WORDNET_SUPERSENSES}</td><td>45-class definition → lexicographer file</td><td>wordnet-base</td></tr>
 * <tr><td>{@value #FOLDOC}</td><td>corpus: FOLDOC definitions</td><td>dict-foldoc</td></tr>
 * <tr><td>{@value #FOLDOC_TOPICS}</td><td>10-class definition (term removed) → category</td><td>dict-foldoc</td></tr>
 * </table>
 *
 * <p>The cache directory is {@link #defaultCacheDir()}; {@link #store(Path)} uses another one.
 * A missing source package raises {@link IllegalStateException} with its {@code apt-get install} line.
 */
public final class Datasets {

    /** General English corpus: WordNet 3.0 glosses with their example sentences. */
    public static final String WORDNET_GLOSSES = WordNet.CORPUS_NAME;
    /** 45-class task: a WordNet definition → its lexicographer file (supersense). Strongly imbalanced. */
    public static final String WORDNET_SUPERSENSES = "wordnet-supersenses";
    /** Computing-domain corpus: FOLDOC definitions. */
    public static final String FOLDOC = "foldoc";
    /** 10-class task: a FOLDOC definition with its term removed → its category. */
    public static final String FOLDOC_TOPICS = "foldoc-topics";

    /** All built-in dataset names, in the order {@code dataset list} prints them. */
    public static final List<String> NAMES = List.of(WORDNET_GLOSSES, WORDNET_SUPERSENSES, FOLDOC, FOLDOC_TOPICS);

    /** System property naming the plm4j cache directory (overrides {@code $PLM4J_CACHE}). */
    public static final String CACHE_PROPERTY = "plm4j.cache";

    /** Environment variable naming the plm4j cache directory. */
    public static final String CACHE_ENV = "PLM4J_CACHE";

    /**
     * FOLDOC categories kept by {@value #FOLDOC_TOPICS}: the ten most frequent <em>first</em>
     * category tags of dict-foldoc 20230119 (180 or more entries each; 174 to 918 texts after filtering). A definition's
     * label is its first tag, FOLDOC's primary classification; definitions whose first tag is not
     * in this list are left out (an "other" class would mix dozens of unrelated topics).
     */
    public static final List<String> FOLDOC_TOPIC_LABELS = List.of("language", "networking", "programming", "jargon",
            "operating system", "hardware", "communications", "company", "mathematics", "storage");

    /** Definitions shorter than this many words after removing the term are left out of {@value #FOLDOC_TOPICS}. */
    public static final int FOLDOC_TOPICS_MIN_WORDS = 5;

    /** Version of the recipes; a change makes cached copies stale. */
    public static final int RECIPE_VERSION = 1;

    private Datasets() {
    }

    /**
     * {@code -Dplm4j.cache}, else {@code $PLM4J_CACHE}, else {@code ~/.cache/plm4j}; datasets live in
     * its {@code datasets/} subdirectory.
     */
    public static Path defaultCacheDir() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(CACHE_ENV);
        }
        Path root = p == null || p.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "plm4j") : Path.of(p);
        return root.resolve("datasets");
    }

    /** The store in {@link #defaultCacheDir()}. */
    public static DatasetStore store() {
        return new DatasetStore(defaultCacheDir());
    }

    /** A store in {@code dir} (the datasets are its subdirectories). */
    public static DatasetStore store(Path dir) {
        return new DatasetStore(dir);
    }

    /** {@code store().load(name)}: the cached copy if it is current, otherwise built from its source. */
    public static Dataset<?> load(String name) {
        return store().load(name);
    }

    /** A built-in classification dataset ({@value #WORDNET_SUPERSENSES}, {@value #FOLDOC_TOPICS}). */
    public static LabeledDataset task(String name) {
        return store().task(name);
    }

    /** A built-in corpus ({@value #WORDNET_GLOSSES}, {@value #FOLDOC}) with its paired task's evaluation texts excluded. */
    public static CorpusDataset corpus(String name) {
        return store().corpus(name);
    }

    /** One line per built-in dataset. */
    public record Info(String name, String kind, String sourcePackage, String description) {
    }

    /** Descriptions of the built-in datasets. */
    public static List<Info> list() {
        return List.of(
                new Info(WORDNET_GLOSSES, "corpus", "wordnet-base",
                        "general English: WordNet 3.0 glosses with example sentences; excludes wordnet-supersenses validation+test"),
                new Info(WORDNET_SUPERSENSES, "classification", "wordnet-base",
                        "WordNet definition -> lexicographer file (45 classes, strongly imbalanced)"),
                new Info(FOLDOC, "corpus", Foldoc.PACKAGE,
                        "computing domain: FOLDOC definitions; excludes foldoc-topics validation+test"),
                new Info(FOLDOC_TOPICS, "classification", Foldoc.PACKAGE,
                        "FOLDOC definition with its term removed -> category (10 most frequent first tags)"));
    }

    static Info info(String name) {
        for (Info i : list()) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; built-in datasets: " + String.join(", ", NAMES)
                + ". For your own files use TextFiles.csv/tsv/jsonl or Corpora.lines/paragraphs/directory");
    }

    // ---- recipes ---------------------------------------------------------------------------

    static Manifest.Source wordnetSource() {
        if (!WordNet.isInstalled()) {
            throw new IllegalStateException("dataset source missing: WordNet is not installed in " + WordNet.DEFAULT_DIR
                    + "; install it with: sudo apt-get install wordnet-base");
        }
        return new Manifest.Source("wordnet-base", Versions.debianPackage("wordnet-base"),
                List.of("data.noun", "data.verb", "data.adj", "data.adv").stream().map(f -> WordNet.DEFAULT_DIR + "/" + f).toList());
    }

    static Manifest.Source foldocSource() {
        if (!Foldoc.isInstalled()) {
            throw new IllegalStateException("dataset source missing: FOLDOC is not installed in " + Foldoc.DEFAULT_DIR
                    + "; install it with: sudo apt-get install " + Foldoc.PACKAGE);
        }
        return new Manifest.Source(Foldoc.PACKAGE, Versions.debianPackage(Foldoc.PACKAGE),
                List.of(Foldoc.DEFAULT_DIR + "/foldoc.index", Foldoc.DEFAULT_DIR + "/foldoc.dict.dz"));
    }

    static LabeledDataset buildWordnetSupersenses(Manifest.Source source) {
        LabeledTexts g = WordNet.load().glosses();
        return LabeledDataset.of(WORDNET_SUPERSENSES, info(WORDNET_SUPERSENSES).description(), g.texts(), g.labelOfEach(),
                SplitSpec.DEFAULT, source, RECIPE_VERSION,
                List.of("text: the definition part of each gloss (examples left out, they often repeat the lemma)",
                        "label: the synset's lexicographer file (lexnames(5))"), List.of());
    }

    static CorpusDataset buildWordnetGlosses(Manifest.Source source, LabeledDataset task) {
        List<String> texts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Synset s : WordNet.load().synsets()) {
            String g = s.gloss();
            if (!g.isBlank()) {
                texts.add(g);
                keys.add(Splitter.normalize(s.definition()));
            }
        }
        CorpusDataset c = CorpusDataset.of(WORDNET_GLOSSES, info(WORDNET_GLOSSES).description(), texts, keys,
                SplitSpec.DEFAULT, source, RECIPE_VERSION,
                List.of("text: one gloss per synset, definition plus quoted examples",
                        "split: a gloss whose definition is a " + WORDNET_SUPERSENSES
                                + " text goes to the same split as that text; the other glosses are split at random",
                        "training text: the train split; a gloss is also excluded from it when its definition equals a validation/test text of "
                                + WORDNET_SUPERSENSES + " after normalisation (" + NORMALIZATION + ")"), task);
        return c.excluding(task);
    }

    static LabeledDataset buildFoldocTopics(Manifest.Source source) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int noCategory = 0;
        int otherCategory = 0;
        int tooShort = 0;
        for (Foldoc.Entry e : Foldoc.load().entries()) {
            if (e.categories().isEmpty()) {
                noCategory++;
                continue;
            }
            String label = e.categories().get(0);
            if (!FOLDOC_TOPIC_LABELS.contains(label)) {
                otherCategory++;
                continue;
            }
            String t = e.textWithoutTerms();
            if (t.split(" ").length < FOLDOC_TOPICS_MIN_WORDS) {
                tooShort++;
                continue;
            }
            texts.add(t);
            labels.add(label);
        }
        return LabeledDataset.of(FOLDOC_TOPICS, info(FOLDOC_TOPICS).description(), texts, labels, SplitSpec.DEFAULT, source,
                RECIPE_VERSION, List.of(
                        "labels: the 10 most frequent first category tags: " + String.join(", ", FOLDOC_TOPIC_LABELS),
                        "label rule: a definition's first tag (FOLDOC's primary category); later tags are ignored",
                        "text: the cleaned definition with the defined term, its index headwords, hyphen/space spellings, plurals and a leading parenthesised expansion removed",
                        "left out: " + noCategory + " entries without a category tag, " + otherCategory
                                + " whose first tag is another category, " + tooShort + " with fewer than "
                                + FOLDOC_TOPICS_MIN_WORDS + " words left"), List.of());
    }

    static CorpusDataset buildFoldoc(Manifest.Source source, LabeledDataset task) {
        List<String> texts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Foldoc.Entry e : Foldoc.load().entries()) {
            texts.add(e.text());
            keys.add(Splitter.normalize(e.textWithoutTerms()));
        }
        CorpusDataset c = CorpusDataset.of(FOLDOC, info(FOLDOC).description(), texts, keys, SplitSpec.DEFAULT, source,
                RECIPE_VERSION, List.of("text: every FOLDOC definition (category tags, citations, dates and link markup removed)",
                        "split: a definition that is a " + FOLDOC_TOPICS
                                + " text (with its term removed) goes to the same split as that text; the others are split at random",
                        "training text: the train split; a definition is also excluded from it when, with its term removed, it equals a validation/test text of "
                                + FOLDOC_TOPICS + " after normalisation (" + NORMALIZATION + ")"), task);
        return c.excluding(task);
    }

    /** How texts are compared for leakage. */
    static final String NORMALIZATION = "lower case, every run of characters other than letters and digits as one space";
}
