package org.plm4j.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class CorpusTest {

    @TempDir
    Path tmp;

    private static Corpus numbers(int n) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add("text " + i);
        }
        return Corpus.of("nums", t);
    }

    @Test
    void linesSkipsBlankLinesAndStrips() throws Exception {
        Path f = tmp.resolve("docs.txt");
        Files.writeString(f, "first doc\n\n  second doc  \n\t\nthird\n");
        Corpus c = Corpora.lines(f);
        assertEquals(List.of("first doc", "second doc", "third"), c.texts());
        assertEquals("docs", c.name());
    }

    @Test
    void paragraphsJoinLinesSeparatedByBlankLines() throws Exception {
        Path f = tmp.resolve("p.txt");
        Files.writeString(f, "a b\nc\n\n\nd e\n  \nf\n");
        assertEquals(List.of("a b c", "d e", "f"), Corpora.paragraphs(f).texts());
    }

    @Test
    void missingFileNamesThePath() {
        Path f = tmp.resolve("nope.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpora.lines(f));
        assertTrue(e.getMessage().contains(f.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void emptyCorpusSaysItIsEmpty() throws Exception {
        Path f = tmp.resolve("blank.txt");
        Files.writeString(f, "\n \n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpora.lines(f));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Corpora.texts("x", List.of(" ", "")));
    }

    @Test
    void splitIsDeterministicDisjointAndComplete() {
        Corpus c = numbers(1000);
        CorpusSplit a = c.split(0.1, 42);
        CorpusSplit b = c.split(0.1, 42);
        assertEquals(a.train().texts(), b.train().texts());
        assertEquals(a.heldOut().texts(), b.heldOut().texts());
        assertEquals(100, a.heldOut().size());
        assertEquals(900, a.train().size());
        HashSet<String> all = new HashSet<>(a.train().texts());
        all.addAll(a.heldOut().texts());
        assertEquals(1000, all.size());
        assertNotEquals(a.heldOut().texts(), c.split(0.1, 43).heldOut().texts());
        assertEquals("nums-train", a.train().name());
    }

    @Test
    void splitRejectsBadFractions() {
        assertThrows(IllegalArgumentException.class, () -> numbers(10).split(1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> numbers(10).split(-0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> numbers(1).split(0.5, 1));
        assertEquals(0, numbers(10).split(0.0, 1).heldOut().size());
    }

    @Test
    void sampleIsSeededAndWithoutReplacement() {
        Corpus c = numbers(500);
        Corpus s = c.sample(50, 7);
        assertEquals(50, s.size());
        assertEquals(50, new HashSet<>(s.texts()).size());
        assertEquals(s.texts(), c.sample(50, 7).texts());
        assertEquals(c, c.sample(600, 7));
    }

    @Test
    void labeledTextsCountsAndSortedLabels() {
        LabeledTexts lt = LabeledTexts.of("t", List.of("a", "b", "c", "d"), List.of("y", "x", "y", "z"));
        assertEquals(List.of("x", "y", "z"), lt.labels());
        assertEquals(2, lt.labelCounts().get("y"));
        Table t = lt.countsTable();
        assertEquals("y", t.stringColumn("label").get(0));
        assertEquals(2, t.intColumn("count").get(0));
        assertEquals(1, lt.labelIds()[0]);
        assertThrows(IllegalArgumentException.class, () -> LabeledTexts.of("t", List.of("a"), List.of()));
    }

    @Test
    void labeledSplitIsStratifiedAndDeterministic() {
        List<String> t = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            t.add("t" + i);
            l.add(i % 10 == 0 ? "rare" : "common");
        }
        t.add("single");
        l.add("once");
        LabeledTexts lt = LabeledTexts.of("x", t, l);
        LabeledSplit s = lt.split(0.2, 3);
        assertEquals(20, s.test().labelCounts().get("rare"));
        assertEquals(180, s.test().labelCounts().get("common"));
        assertEquals(1, s.train().labelCounts().get("once"));
        assertEquals(lt.size(), s.train().size() + s.test().size());
        assertEquals(s.test().texts(), lt.split(0.2, 3).test().texts());
        HashSet<String> all = new HashSet<>(s.train().texts());
        all.addAll(s.test().texts());
        assertEquals(lt.size(), all.size());
    }
}
