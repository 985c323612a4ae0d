package org.plm4j.backtranslate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;

class AugmenterTest {

    /**
     * Round trips of a fake engine: through spa "the" becomes "a"; through cat "the" becomes "a" too
     * (a duplicate of the spa paraphrase) unless the text has "dog"; texts without "the" come back
     * unchanged apart from case and spacing.
     */
    static final class FakeRoundTrip implements BackTranslator {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String identity(String pair) {
            return "fake";
        }

        @Override
        public List<String> translate(List<String> texts, String pair) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> backTranslate(List<String> texts, Pivot pivot, TranslationProgress progress) {
            return texts.stream().map(t -> {
                if (!t.contains("the")) {
                    return "  " + t.toUpperCase() + " ";
                }
                return pivot == Pivot.CAT && t.contains("dog") ? t.replace("the", "one") : t.replace("the", "a");
            }).toList();
        }
    }

    private static LabeledTexts data(int n) {
        List<String> t = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add((i % 2 == 0 ? "the cat " : "the dog ") + i);
            l.add(i % 2 == 0 ? "cat" : "dog");
        }
        return LabeledTexts.of("pets", t, l);
    }

    @Test
    void paraphrasesIdenticalToTheSourceOrEachOtherAreDroppedAndLabelsCarried() {
        LabeledTexts in = LabeledTexts.of("x", List.of("the cat", "no article here", "the dog"), List.of("c", "n", "d"));
        AugmentationConfig config = AugmentationConfig.builder().addPivot(Pivot.SPA).addPivot(Pivot.CAT).optCopies(2).optRatio(2).build();
        AugmentationResult r = Augmenter.of(new FakeRoundTrip(), config).augment(in);
        // cat: spa "a cat", cat "a cat" (dup); no article: both identical to source; dog: "a dog", "one dog"
        assertEquals(new AugmentationResult.Counts(3, 6, 6, 3, 0, 3), r.counts());
        LabeledTexts out = r.labeledTexts();
        assertEquals(List.of("the cat", "no article here", "the dog", "a cat", "a dog", "one dog"), out.texts());
        assertEquals(List.of("c", "n", "d", "c", "d", "d"), out.labelOfEach());
        assertEquals("x-bt", out.name());
        assertTrue(r.toHtml().contains("dropped identical") && r.toHtml().contains("one dog"));
    }

    @Test
    void theRatioIsEnforcedByASeededSample() {
        LabeledTexts in = data(100);
        AugmentationConfig half = AugmentationConfig.builder().optRatio(0.5).optSeed(7).build();
        AugmentationResult a = Augmenter.of(new FakeRoundTrip(), half).augment(in);
        AugmentationResult b = Augmenter.of(new FakeRoundTrip(), half).augment(in);
        assertEquals(50, a.counts().kept());
        assertEquals(50, a.counts().droppedByRatio());
        assertEquals(a.paraphrases(), b.paraphrases());
        AugmentationResult c = Augmenter.of(new FakeRoundTrip(), AugmentationConfig.builder().optRatio(0.5).optSeed(8).build()).augment(in);
        assertNotEquals(a.paraphrases(), c.paraphrases());
        assertEquals(150, a.labeledTexts().size());
        assertEquals("fake; fake", a.provenance().get("augmentation.engine").replace("eng-spa ", "").replace("spa-eng ", ""));
        assertEquals(a.corpus().sha256(), a.provenance().get("augmentation.sha256"));
        assertEquals("7", a.provenance().get("augmentation.seed"));
        for (Paraphrase p : a.paraphrases()) {
            assertEquals(in.label(p.sourceIndex()), p.label());
        }
    }

    @Test
    void aCorpusBecomesOriginalsFollowedByParaphrases() {
        Corpus c = Corpus.of("c", List.of("the sun", "the moon"));
        AugmentationResult r = Augmenter.of(new FakeRoundTrip(), AugmentationConfig.defaults()).augment(c);
        assertEquals(List.of("the sun", "the moon", "a sun", "a moon"), r.corpus().texts());
        assertEquals("c-bt", r.corpus().name());
        assertThrows(IllegalStateException.class, r::labeledTexts);
    }

    @Test
    void progressCountsTextLegsOverAllPivots() {
        List<long[]> seen = new ArrayList<>();
        AugmentationConfig two = AugmentationConfig.builder().addPivot(Pivot.SPA).addPivot(Pivot.CAT).optCopies(2).build();
        Augmenter.of(new CachedTranslatorTest.CountingEngine("1"), two).augment(Corpus.of("c", List.of("a", "b", "c")),
                (d, t) -> seen.add(new long[] {d, t}));
        assertEquals(List.of(3L, 6L, 9L, 12L), seen.stream().map(x -> x[0]).toList());
        assertTrue(seen.stream().allMatch(x -> x[1] == 12));
    }

    @Test
    void moreCopiesThanPivotsIsRefusedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AugmentationConfig.builder().optCopies(2).build());
        assertTrue(e.getMessage().contains("needs at least 2 pivots") && e.getMessage().contains("addPivot"), e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> AugmentationConfig.builder().optRatio(1.5).build());
        assertTrue(r.getMessage().contains("ratio must be in (0, copies=1], got 1.5"), r.getMessage());
    }

    @Test
    void realApertiumParaphrasesCarryLabels() {
        LabeledTexts in = LabeledTexts.of("t", List.of("The old man walked slowly to the station.", "A program that runs on a computer."),
                List.of("travel", "computing"));
        AugmentationResult r = Augmenter.of(ApertiumTranslator.create(), AugmentationConfig.defaults()).augment(in);
        assertEquals(2, r.counts().requested());
        assertEquals(r.counts().kept() + 2, r.labeledTexts().size());
        assertTrue(r.counts().kept() >= 1, r.toString());
    }
}
