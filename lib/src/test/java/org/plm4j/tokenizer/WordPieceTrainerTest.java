package org.plm4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.Corpus;
import org.plm4j.datasets.WordNet;

class WordPieceTrainerTest {

    @TempDir
    Path tmp;

    static Corpus smallCorpus() {
        List<String> t = new ArrayList<>();
        String[] words = {"the", "cat", "sat", "on", "mat", "dog", "running", "runner", "runs", "played", "playing",
            "Café", "naïve", "über", "things", "thinking", "thought", "unbelievable", "believe", "hello,", "world!"};
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 3 + r.nextInt(8);
            for (int j = 0; j < n; j++) {
                sb.append(words[r.nextInt(words.length)]).append(' ');
            }
            t.add(sb.toString().strip() + ".");
        }
        return Corpus.of("small", t);
    }

    static List<String> probeStrings() {
        List<String> s = new ArrayList<>(List.of("The cat sat on the mat.", "Unbelievable THINGS!!", "café naïve über",
                "zebra xylophone qqq", "hello,world", "  multiple   spaces\tand\nnewlines ", "", "   ",
                "a [MASK] token and [CLS] [SEP]", "日本語 text", "emoji 😀 here", "runningrunnerruns",
                "x".repeat(150) + " short", "Ünïcödé ÀÉÎ", "don't stop-pretraining (2020)"));
        SplittableRandom r = new SplittableRandom(5);
        String alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFG.,!?'-éüñ";
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(60);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            s.add(sb.toString());
        }
        return s;
    }

    @Test
    void specialsHaveIdsZeroToFourAndVocabIsDeterministic() {
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(70).optMinFrequency(1).build();
        try (WordPieceTokenizer a = WordPieceTrainer.train(smallCorpus(), cfg);
                WordPieceTokenizer b = WordPieceTrainer.train(smallCorpus(), cfg)) {
            assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), a.vocabulary().subList(0, 5));
            assertEquals(0, a.padId());
            assertEquals(1, a.unkId());
            assertEquals(2, a.clsId());
            assertEquals(3, a.sepId());
            assertEquals(4, a.maskId());
            assertEquals(70, a.vocabSize());
            WordPieceConfig big = cfg.toBuilder().optVocabSize(5000).build();
            try (WordPieceTokenizer c = WordPieceTrainer.train(smallCorpus(), big)) {
                assertTrue(c.vocabSize() < 5000, "stops when every word is a single piece");
                assertEquals(List.of("the"), c.tokenize("the"));
            }
            assertEquals(a.vocabulary(), b.vocabulary());

        }
    }

    @Test
    void nativeEncodingEqualsJavaReferenceAfterRoundTrip() {
        for (boolean lower : new boolean[] {true, false}) {
            WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(150).optMinFrequency(1).optLowercase(lower)
                    .optStripAccents(lower).build();
            try (WordPieceTokenizer trained = WordPieceTrainer.train(smallCorpus(), cfg)) {
                Path dir = tmp.resolve("tok-" + lower);
                trained.save(dir);
                try (WordPieceTokenizer loaded = WordPieceTokenizer.load(dir)) {
                    assertTrue(loaded.isNative());
                    assertEquals(trained.vocabulary(), loaded.vocabulary());
                    assertEquals(cfg.lowercase(), loaded.config().lowercase());
                    assertEquals(cfg, loaded.config().toBuilder().optVocabSize(cfg.vocabSize()).build());
                    TokenizerProvenance prov = loaded.provenance().orElseThrow();
                    assertEquals(smallCorpus().sha256(), prov.corpusSha256());
                    assertEquals("small", prov.corpusName());
                    assertEquals(trained.provenance().orElseThrow(), prov);
                    for (String s : probeStrings()) {
                        assertArrayEquals(loaded.view().encode(s), loaded.encode(s), "ids differ for '" + s + "'");
                        assertEquals(loaded.view().tokenize(s), loaded.tokenize(s), "tokens differ for '" + s + "'");
                    }
                    List<String> probes = probeStrings();
                    int[][] batch = loaded.encodeBatch(probes);
                    for (int i = 0; i < probes.size(); i++) {
                        assertArrayEquals(loaded.encode(probes.get(i)), batch[i]);
                    }
                }
            }
        }
    }

    @Test
    void unknownCharactersBecomeUnkAndNoSpecialsAreAdded() {
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(100).optMinFrequency(1).build();
        try (WordPieceTokenizer t = WordPieceTrainer.train(smallCorpus(), cfg)) {
            assertArrayEquals(new int[] {t.unkId()}, t.encode("qqq"));
            assertArrayEquals(new int[] {t.unkId()}, t.encode("catq"));
            assertEquals(0, t.encode("").length);
            assertEquals(0, t.encode("   ").length);
            int[] ids = t.encode("the cat");
            for (int id : ids) {
                assertTrue(!t.isSpecial(id));
            }
            assertArrayEquals(new int[] {t.maskId()}, t.encode("[MASK]"));
            assertEquals(List.of("[UNK]"), t.tokenize("x".repeat(101)));
        }
    }

    @Test
    void noTruncationOfLongTexts() {
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(100).optMinFrequency(1).build();
        try (WordPieceTokenizer t = WordPieceTrainer.train(smallCorpus(), cfg)) {
            String longText = "the cat sat on the mat . ".repeat(400);
            assertEquals(t.view().encode(longText).length, t.encode(longText).length);
            assertTrue(t.encode(longText).length > 2000);
        }
    }

    @Test
    void accentAndCaseOptionsBehave() {
        Corpus c = Corpus.of("acc", List.of("Café café CAFÉ cafe"));
        WordPieceConfig keep = WordPieceConfig.builder().optVocabSize(40).optMinFrequency(1).optLowercase(false)
                .optStripAccents(false).build();
        WordPieceConfig fold = WordPieceConfig.builder().optVocabSize(40).optMinFrequency(1).build();
        try (WordPieceTokenizer k = WordPieceTrainer.train(c, keep); WordPieceTokenizer f = WordPieceTrainer.train(c, fold)) {
            assertTrue(k.id("##é") >= 0 || k.id("é") >= 0, k.vocabulary().toString());
            assertTrue(k.id("C") >= 0);
            assertEquals(-1, f.id("C"));
            assertEquals(-1, f.id("##é"));
            assertArrayEquals(f.encode("cafe"), f.encode("CAFÉ"));
            assertTrue(!java.util.Arrays.equals(k.encode("cafe"), k.encode("CAFÉ")));
        }
    }

    @Test
    void loadsBertStyleVocabularyWithSpecialsAnywhere() {
        List<String> vocab = List.of("[unused0]", "[PAD]", "the", "[UNK]", "cat", "[CLS]", "[SEP]", "[MASK]", "c",
                "##a", "##t", "##s", "t", "##h", "##e", ".");
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(vocab.size()).build();
        try (WordPieceTokenizer t = WordPieceTokenizer.of(cfg, vocab)) {
            Path dir = tmp.resolve("bertlike");
            t.save(dir);
            try (WordPieceTokenizer l = WordPieceTokenizer.load(dir)) {
                assertEquals(1, l.padId());
                assertEquals(3, l.unkId());
                assertEquals(5, l.clsId());
                assertEquals(6, l.sepId());
                assertEquals(7, l.maskId());
                assertTrue(l.isSpecial(7) && !l.isSpecial(0) && !l.isSpecial(2));
                for (String s : List.of("The cats.", "the dog", "[MASK] cat", "tea")) {
                    assertArrayEquals(l.view().encode(s), l.encode(s), s);
                }
                assertArrayEquals(new int[] {2, 4, 11, 15}, l.encode("The cats."));
                assertArrayEquals(new int[] {12, 9, 11}, l.encode("tas"));
                assertArrayEquals(new int[] {2, 3}, l.encode("the dog"));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.of(cfg, List.of("[PAD]", "a")));
    }

    @Test
    void tooSmallVocabularyNamesBothNumbers() {
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(10).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTrainer.train(smallCorpus(), cfg));
        assertTrue(e.getMessage().contains("vocabSize 10") && e.getMessage().contains("5 special tokens"), e.getMessage());
    }

    @Test
    void configErrorsNameFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordPieceConfig.builder().optMinFrequency(0).build());
        assertTrue(e.getMessage().contains("minFrequency") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordPieceConfig.builder().optVocabSize(-3).build());
        assertTrue(e.getMessage().contains("vocabSize") && e.getMessage().contains("-3"), e.getMessage());
        assertEquals(8000, WordPieceConfig.defaults().vocabSize());
    }

    /** Pieces per (pre-tokenized) word of {@code texts} under {@code t}. */
    private static double piecesPerWord(WordPieceTokenizer t, List<String> texts) {
        BertPreTokenizer pre = new BertPreTokenizer(true, true);
        long pieces = 0;
        long words = 0;
        for (String s : texts) {
            pieces += t.encode(s).length;
            words += pre.words(s).size();
        }
        return (double) pieces / words;
    }

    /**
     * What {@link PairScore} documents: at the same vocabulary size, the frequency-weighted
     * WordPiece score (the default) splits held-out WordNet glosses into far fewer pieces per word
     * than the plain WordPiece score (about 1.6 against 3.5 here).
     */
    @Test
    void weightedWordPieceScoreGivesFewerPiecesPerHeldOutWordThanPlainWordPiece() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed");
        assertEquals(PairScore.WEIGHTED_WORDPIECE, WordPieceConfig.DEFAULT_PAIR_SCORE);
        var split = WordNet.load().corpus().sample(25_000, 3).split(0.2, 4);
        java.util.Map<PairScore, Double> ppw = new java.util.EnumMap<>(PairScore.class);
        for (PairScore ps : PairScore.values()) {
            try (WordPieceTokenizer t = WordPieceTrainer.train(split.train(),
                    WordPieceConfig.builder().optVocabSize(4000).optPairScore(ps).build())) {
                assertEquals(4000, t.vocabSize(), ps.toString());
                ppw.put(ps, piecesPerWord(t, split.heldOut().texts()));
            }
        }
        System.out.println("pieces per held-out word: " + ppw);
        double weighted = ppw.get(PairScore.WEIGHTED_WORDPIECE);
        assertTrue(weighted < 0.75 * ppw.get(PairScore.WORDPIECE), "weighted vs plain WordPiece: " + ppw);
    }

    @Test
    void trainsEightThousandPiecesOnWordNetGlossesQuickly() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed");
        Corpus corpus = WordNet.load().corpus();
        long t0 = System.nanoTime();
        try (WordPieceTokenizer t = WordPieceTrainer.train(corpus, WordPieceConfig.defaults())) {
            double secs = (System.nanoTime() - t0) / 1e9;
            assertEquals(8000, t.vocabSize());
            assertTrue(secs < 20, "training took " + secs + " s");
            List<String> texts = corpus.texts();
            long t1 = System.nanoTime();
            int[][] ids = t.encodeBatch(texts);
            double encSecs = (System.nanoTime() - t1) / 1e9;
            long tokens = 0;
            long unk = 0;
            for (int[] a : ids) {
                tokens += a.length;
                for (int i : a) {
                    if (i == t.unkId()) {
                        unk++;
                    }
                }
            }
            System.out.printf("WordPiece 8k on %d WordNet glosses: train %.2f s; batch encode %.2f s = %.0f texts/s,"
                    + " %d tokens, %.4f%% [UNK]%n", texts.size(), secs, encSecs, texts.size() / encSecs, tokens,
                    100.0 * unk / tokens);
            System.out.println("sample: " + t.tokenize(texts.get(12345)));
            long t2 = System.nanoTime();
            int[][] javaIds = t.view().encodeBatch(texts);
            double javaSecs = (System.nanoTime() - t2) / 1e9;
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(ids[i], javaIds[i], texts.get(i));
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                t.encode(texts.get(i));
            }
            double singleSecs = (System.nanoTime() - t3) / 1e9;
            System.out.printf("pure-Java view (parallel), identical ids on all texts: %.0f texts/s; native one-by-one: %.0f texts/s%n",
                    texts.size() / javaSecs, 20_000 / singleSecs);
        }
    }
}
