package org.plm4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.LabeledTexts;

/**
 * Acceptance tests of the four built-in datasets on the installed packages: built once from
 * scratch into a temporary cache (the time is printed), then rebuilt and reloaded.
 */
class DatasetsTest {

    @TempDir
    static Path cache;

    static DatasetStore store;
    static LabeledDataset supersenses;
    static LabeledDataset topics;
    static CorpusDataset glosses;
    static CorpusDataset foldoc;

    @BeforeAll
    static void buildAll() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base not installed");
        assumeTrue(Foldoc.isInstalled(), "dict-foldoc not installed");
        store = Datasets.store(cache);
        long t0 = System.nanoTime();
        for (String n : Datasets.NAMES) {
            store.build(n);
        }
        System.out.printf("built all four datasets from scratch in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        supersenses = store.task(Datasets.WORDNET_SUPERSENSES);
        topics = store.task(Datasets.FOLDOC_TOPICS);
        glosses = store.corpus(Datasets.WORDNET_GLOSSES);
        foldoc = store.corpus(Datasets.FOLDOC);
    }

    @Test
    void countsAndDistributionsEqualTheManifest() {
        for (LabeledDataset d : List.of(supersenses, topics)) {
            Manifest m = d.manifest();
            for (String s : List.of("train", "validation", "test")) {
                LabeledTexts p = d.split(s);
                assertEquals(m.count(s), p.size(), d.name() + " " + s);
                assertEquals(m.splits().get(s).labelCounts(), new TreeMap<>(p.labelCounts()), d.name() + " " + s);
            }
            Map<String, Integer> total = new TreeMap<>();
            for (String s : List.of("train", "validation", "test")) {
                d.split(s).labelCounts().forEach((k, v) -> total.merge(k, v, Integer::sum));
            }
            assertEquals(m.labelCounts(), total);
            assertEquals(m.dedupe().input() - m.dedupe().duplicatesRemoved() - m.dedupe().conflictingRemoved(), d.size());
        }
        assertEquals(45, supersenses.labels().size());
        assertEquals(Datasets.FOLDOC_TOPIC_LABELS.stream().sorted().toList(), topics.labels());
        for (CorpusDataset c : List.of(glosses, foldoc)) {
            assertEquals(c.manifest().count("train"), c.train().size());
            assertEquals(c.manifest().training().count(), c.corpus().size());
            assertEquals(c.manifest().training().sha256(), c.corpus().sha256());
        }
    }

    @Test
    void rebuildingGivesTheSameManifestAndTheCacheReloadsIt() {
        for (String n : Datasets.NAMES) {
            Manifest cached = store.cached(n).orElseThrow();
            Manifest rebuilt = store.build(n).manifest();
            assertEquals(cached, rebuilt, n);
            assertEquals(cached.toJson(), store.load(n).manifest().toJson(), n);
        }
        assertEquals(supersenses.manifest(), Datasets.store(cache).task(Datasets.WORDNET_SUPERSENSES).manifest());
    }

    @Test
    void splitsAreDisjointAndStratified() {
        for (LabeledDataset d : List.of(supersenses, topics)) {
            Set<String> train = new HashSet<>(d.train().texts());
            Set<String> val = new HashSet<>(d.validation().texts());
            for (String t : d.validation().texts()) {
                assertFalse(train.contains(t), d.name() + ": validation text in train: " + t);
            }
            for (String t : d.test().texts()) {
                assertFalse(train.contains(t) || val.contains(t), d.name() + ": test text in train/validation: " + t);
            }
            // every label appears in every split with about its share
            for (String l : d.labels()) {
                int n = d.manifest().labelCounts().get(l);
                int te = d.manifest().splits().get("test").labelCounts().getOrDefault(l, 0);
                assertTrue(Math.abs(te - 0.1 * n) <= 1, d.name() + " " + l + ": " + te + " of " + n + " in test");
            }
        }
        for (CorpusDataset c : List.of(glosses, foldoc)) {
            Set<String> train = new HashSet<>(c.train().texts());
            for (String t : c.test().texts()) {
                assertFalse(train.contains(t), c.name() + ": test text in train");
            }
            for (String t : c.validation().texts()) {
                assertFalse(train.contains(t), c.name() + ": validation text in train");
            }
        }
    }

    @Test
    void noTestOrValidationTextOfFoldocTopicsIsInTheDefaultDaptCorpus() {
        Set<String> evaluation = new HashSet<>();
        for (String t : topics.test().texts()) {
            evaluation.add(Splitter.normalize(t));
        }
        for (String t : topics.validation().texts()) {
            evaluation.add(Splitter.normalize(t));
        }
        Set<String> entryKeys = new HashSet<>();
        for (Foldoc.Entry e : Foldoc.load().entries()) {
            if (evaluation.contains(Splitter.normalize(e.textWithoutTerms()))) {
                entryKeys.add(Splitter.normalize(e.text()));
            }
        }
        assertTrue(entryKeys.size() >= topics.test().size(), "every evaluation text maps back to its FOLDOC entry");
        int matches = 0;
        for (String doc : foldoc.corpus().texts()) {
            String n = Splitter.normalize(doc);
            if (entryKeys.contains(n) || evaluation.contains(n)) {
                matches++;
            }
        }
        assertEquals(0, matches, "foldoc's default training text contains foldoc-topics evaluation texts");
        // the exclusion is recorded in the manifest (a run record carries it) ...
        List<Manifest.Exclusion> ex = foldoc.manifest().training().excluded();
        assertEquals(List.of("foldoc-topics-validation", "foldoc-topics-test"), ex.stream().map(Manifest.Exclusion::source).toList());
        assertEquals(topics.test().size(), ex.get(1).texts());
        // ... and the evaluation texts' entries sit in foldoc's own held-out parts instead of being lost
        int heldOut = 0;
        for (String doc : foldoc.test().texts()) {
            if (entryKeys.contains(Splitter.normalize(doc))) {
                heldOut++;
            }
        }
        assertTrue(heldOut >= topics.test().size() / 2, heldOut + " entries of foldoc-topics-test in foldoc-test");
    }

    @Test
    void noWordnetSupersenseEvaluationDefinitionIsInTheDefaultGlossCorpus() {
        Set<String> evaluation = new HashSet<>();
        supersenses.test().texts().forEach(t -> evaluation.add(Splitter.normalize(t)));
        for (Synset s : WordNet.load().synsets()) {
            if (evaluation.contains(Splitter.normalize(s.definition()))) {
                assertFalse(glosses.corpus().texts().contains(s.gloss()), s.gloss());
            }
        }
    }

    @Test
    void foldocTopicTextsDoNotContainTheirTerm() {
        Foldoc.Entry e = new Foldoc.Entry(List.of("*LISP", "StarLISP", "*lisp"), List.of("language"),
                "(StarLISP) A data-parallel extension of Common LISP. StarLisp operated on PVARS; *LISP programs ran on the CM.");
        String t = e.textWithoutTerms();
        assertFalse(t.toLowerCase().contains("starlisp"), t);
        assertFalse(t.contains("*LISP"), t);
        assertTrue(t.contains("Common LISP"), t);
    }

    @Test
    void theSummaryDisplaysAChartAndTheCounts() {
        String html = topics.toHtml();
        assertTrue(html.contains("data:image/png;base64,"));
        assertTrue(html.contains("foldoc-topics"));
        assertEquals(topics.size(), topics.table().rowCount());
        assertTrue(foldoc.toHtml().contains("excluded foldoc-topics-test"));
    }
}
