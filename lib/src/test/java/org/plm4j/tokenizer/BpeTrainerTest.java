package org.plm4j.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.testing.TestCorpora;

class BpeTrainerTest {

    static Corpus corpus() {
        Corpus c = TestCorpora.repetitive(300, 3);
        List<String> texts = new java.util.ArrayList<>(c.texts());
        texts.add("Unbelievable! The café's naïve über-coder re-runs 42 builds, doesn't it?");
        return Corpus.of("bpe-test", texts);
    }

    @Test
    void nativeHuggingFaceIdsEqualPlm4jsOwnBpeView() {
        try (BpeTokenizer t = BpeTrainer.train(corpus(), WordPieceConfig.builder().optVocabSize(150).build())) {
            assertEquals(150, t.vocabSize());
            List<String> probe = new java.util.ArrayList<>(corpus().texts());
            probe.add("a text with unseen symbols: 漢字 ∑ and Müller's café");
            for (String s : probe) {
                assertArrayEquals(t.encodeJava(s), t.encode(s), s);
            }
            // inner pieces carry the ## prefix, like WordPiece
            assertTrue(t.vocabulary().stream().anyMatch(v -> v.startsWith("##") && v.length() > 3));
            assertTrue(t.toJson().contains("\"type\": \"BPE\""));
        }
    }

    @Test
    void trainingIsDeterministicAndTooSmallVocabularyNamesTheAlphabet() {
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(120).build();
        try (BpeTokenizer a = BpeTrainer.train(corpus(), cfg); BpeTokenizer b = BpeTrainer.train(corpus(), cfg)) {
            assertEquals(a.vocabulary(), b.vocabulary());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.train(corpus(), WordPieceConfig.builder().optVocabSize(10).build()));
        assertTrue(e.getMessage().contains("alphabet") && e.getMessage().contains("vocabSize 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.train(Corpus.of("none", List.of()), WordPieceConfig.defaults()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
