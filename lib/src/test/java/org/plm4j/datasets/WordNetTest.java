package org.plm4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;

class WordNetTest {

    static final String FIXTURE = String.join("\n",
            "  1 This software and database is being provided to you, the LICENSEE, by  ",
            "00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 021 * 00005041 v 0000 * 00004227 v 0000"
                    + " 02 + 02 00 + 08 00 | draw air into, and expel out of, the lungs; \"I can breathe better when"
                    + " the air is clean\"; \"The patient is respiring\"  ",
            "00015388 05 n 01 animal 0 001 @ 00004475 n 0000 | a living organism characterized by voluntary"
                    + " movement  ",
            "00001740 00 a 01 able(a) 0 001 ! 00002098 a 0101 | (usually followed by `to') having the necessary"
                    + " means; \"able to swim\"; \"she was able to program\" - Shakespeare  ",
            "00099999 38 v 01 go 0 000 01 + 01 00 | \"go away!\"  ",
            "");

    private static List<Synset> parseFixture() throws Exception {
        List<Synset> out = new ArrayList<>();
        WordNet.parse(new StringReader(FIXTURE), "fixture", WordNet.LEXNAMES, out);
        return out;
    }

    @Test
    void parsesDefinitionExamplesWordsAndLexFile() throws Exception {
        List<Synset> s = parseFixture();
        assertEquals(4, s.size());
        Synset breathe = s.get(0);
        assertEquals("verb.body", breathe.lexFile());
        assertEquals('v', breathe.pos());
        assertEquals(List.of("breathe", "take a breath", "respire", "suspire"), breathe.words());
        assertEquals("draw air into, and expel out of, the lungs", breathe.definition());
        assertEquals(List.of("I can breathe better when the air is clean", "The patient is respiring"),
                breathe.examples());
        assertEquals("noun.animal", s.get(1).lexFile());
        assertTrue(s.get(1).examples().isEmpty());
        assertEquals(List.of("able"), s.get(2).words());
        assertEquals("adj.all", s.get(2).lexFile());
        assertEquals("(usually followed by `to') having the necessary means", s.get(2).definition());
        assertEquals("she was able to program - Shakespeare", s.get(2).examples().get(1));
        assertEquals("", s.get(3).definition());
        assertEquals(List.of("go away!"), s.get(3).examples());
        assertEquals("verb.motion", s.get(3).lexFile());
    }

    @Test
    void loadFromDirectoryGivesCorpusAndLabels(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data.noun"), FIXTURE);
        for (String f : new String[] {"data.verb", "data.adj", "data.adv"}) {
            Files.writeString(dir.resolve(f), "");
        }
        WordNet wn = WordNet.load(dir);
        Corpus c = wn.corpus();
        assertEquals("wordnet-glosses", c.name());
        assertEquals(4, c.size());
        assertEquals("\"go away!\"", c.texts().get(3));
        LabeledTexts g = wn.glosses();
        assertEquals(3, g.size(), "the synset without a definition is skipped");
        assertEquals(List.of("adj.all", "noun.animal", "verb.body"), g.labels());
    }

    @Test
    void malformedLineNamesFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordNet.parse(new StringReader("  header\nxyz 99 n | bad\n"), "data.test", WordNet.LEXNAMES,
                        new ArrayList<>()));
        assertTrue(e.getMessage().contains("line 2 of data.test"), e.getMessage());
    }

    @Test
    void missingDirectoryNamesAptGetInstall() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WordNet.load(Path.of("/nonexistent/wordnet")));
        assertTrue(e.getMessage().contains("sudo apt-get install wordnet-base"), e.getMessage());
    }

    @Test
    void installedWordNetHas45LexFilesAndAbout117kSynsets() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed");
        long t0 = System.nanoTime();
        WordNet wn = WordNet.load();
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(117_659, wn.size());
        LabeledTexts g = wn.glosses();
        assertEquals(45, g.labels().size());
        assertTrue(g.size() > 117_000, "definitions: " + g.size());
        assertTrue(secs < 5, "load took " + secs + " s");
        assertEquals(wn.size(), wn.corpus().size());
        System.out.printf("WordNet: %d synsets, %d definitions, loaded in %.2f s%n", wn.size(), g.size(), secs);
    }
}
