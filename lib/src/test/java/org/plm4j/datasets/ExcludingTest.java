package org.plm4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpora;
import org.plm4j.corpus.LabeledTexts;

class ExcludingTest {

    @Test
    void excludingRemovesTextsEqualAfterNormalisationAndRecordsIt() {
        CorpusDataset c = CorpusDataset.of(Corpora.texts("c", List.of(
                "A compiler translates source code.", "The kernel schedules processes!", "A byte has eight bits.",
                "Routers forward packets.", "Caches hide memory latency.", "Disks store data.", "Threads share memory.",
                "Sockets connect hosts.", "Parsers build trees.", "Linkers resolve symbols.")), new SplitSpec(0.1, 0.1, 1));
        LabeledTexts test = LabeledTexts.of("task-test", List.of("the KERNEL schedules   processes", "unrelated text"),
                List.of("os", "x"));
        CorpusDataset safe = c.excluding(test);
        assertFalse(safe.corpus().texts().contains("The kernel schedules processes!"));
        Manifest.Exclusion e = safe.manifest().training().excluded().get(0);
        assertEquals("task-test", e.source());
        assertEquals(2, e.texts());
        int expected = c.corpus().texts().contains("The kernel schedules processes!") ? 1 : 0;
        assertEquals(expected, e.removed());
        assertEquals(c.corpus().size() - expected, safe.corpus().size());
        assertEquals(safe.corpus().sha256(), safe.manifest().training().sha256());
        assertEquals("none", c.provenance().get("excluded"));
        assertEquals("task-test (2 texts, sha256 " + e.sha256().substring(0, 12) + ", " + expected + " removed)",
                safe.provenance().get("excluded"));
        assertEquals(safe.corpus().sha256(), safe.provenance().get("training.sha256"));
    }

    @Test
    void duplicatesAreRemovedBeforeSplittingAndConflictingLabelsDropped() {
        LabeledTexts t = LabeledTexts.of("d", List.of("a b", "a b", " a b ", "c d", "c d", "e f", "g h", "i j", "k l", "m n"),
                List.of("x", "x", "x", "x", "y", "y", "x", "y", "x", "y"));
        LabeledDataset d = LabeledDataset.of(t, new SplitSpec(0.2, 0.2, 3));
        assertEquals(10, d.manifest().dedupe().input());
        assertEquals(2, d.manifest().dedupe().duplicatesRemoved());
        assertEquals(2, d.manifest().dedupe().conflictingRemoved());
        assertEquals(6, d.size());
    }
}
