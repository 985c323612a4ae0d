package org.plm4j.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;

class SegmentationTest {

    static final WordPieceConfig CONFIG = WordPieceConfig.builder().optVocabSize(5 + 4 + 4 + 2).optMinFrequency(1).build();

    @Test
    void countsWordsPiecesAndWordsWithAnUnknownCharacter() {
        // alphabet a, b, c, and their ## forms; merges add "ab" and "##b" forms as space allows
        try (WordPieceTokenizer t = WordPieceTokenizer.of(CONFIG,
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "##a", "##b", "ab", "."))) {
            // words: ab (1 piece), a (1), "," ([UNK]), aba (ab ##a), "." (1), zz ([UNK])
            Segmentation s = Segmentation.of(t, List.of("ab a, aba.", "zz"));
            assertEquals(2, s.texts());
            assertEquals(6, s.words());
            assertEquals(7, s.pieces());
            assertEquals(2, s.unknownPieces());
            assertEquals(2, s.unknownWords());
            assertEquals(7.0 / 6, s.piecesPerWord(), 1e-12);
            assertEquals(2.0 / 6, s.unknownRate(), 1e-12);
        }
    }

    @Test
    void aLargerVocabularySplitsHeldOutWordsIntoFewerPieces() {
        Corpus c = Corpus.of("c", List.of("the cat sat on the mat", "the cats sat on the mats", "a hat on a cat"));
        WordPieceConfig config = WordPieceConfig.builder().optVocabSize(200).optMinFrequency(1).build();
        try (WordPieceTokenizer large = WordPieceTrainer.train(c, config);
             // the same alphabet without any merged piece
             WordPieceTokenizer small = WordPieceTokenizer.of(config, large.vocabulary().stream()
                     .filter(p -> p.startsWith("[") || p.replace("##", "").length() == 1).toList())) {
            assertTrue(small.vocabSize() < large.vocabSize());
            List<String> heldOut = List.of("the cat sat on a hat");
            assertTrue(Segmentation.of(large, heldOut).piecesPerWord() < Segmentation.of(small, heldOut).piecesPerWord());
            assertEquals(0.0, Segmentation.of(large, heldOut).unknownRate());
        }
    }

    @Test
    void textsWithoutWordsAreRefusedWithTheirCount() {
        try (WordPieceTokenizer t = WordPieceTokenizer.of(CONFIG,
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "##a", "##b", "ab", "."))) {
            var e = assertThrows(IllegalArgumentException.class, () -> Segmentation.of(t, List.of(" ", "")));
            assertEquals("the 2 texts hold no word to segment", e.getMessage());
        }
    }
}
