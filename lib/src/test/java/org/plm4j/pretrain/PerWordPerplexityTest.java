package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestCorpora;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;

class PerWordPerplexityTest {

    static final PretrainConfig EVAL = PretrainConfig.builder().optSequenceLength(32).optBatchSize(8).optSeed(7).build();

    static MaskedLanguageModel model(int vocab) {
        return MaskedLanguageModel.create(EncoderConfig.builder(vocab).optHiddenSize(32).optLayers(1).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build(), 3);
    }

    @Test
    void withOnePiecePerWordTheWordLossIsThePieceLossOfTheUsualEvaluation() {
        List<String> texts = TestCorpora.repetitive(60, 2).texts();
        Tokenizer tok = TestTokenizers.whitespace(texts);
        try (MaskedLanguageModel m = model(tok.vocabSize())) {
            WordPerplexity w = Perplexity.perWord(m, tok, texts, EVAL);
            EvalResult usual = Perplexity.evaluate(m, tok, texts, EVAL);
            assertEquals(usual.maskedTokens(), w.maskedTokens());
            assertEquals(w.maskedTokens(), w.maskedWords());
            assertEquals(usual.loss(), w.tokenLoss(), 1e-6);
            assertEquals(usual.loss(), w.wordLoss(), 1e-6);
            assertEquals(usual.perplexity(), w.perplexity(), 1e-3 * usual.perplexity());
        }
    }

    @Test
    void wordsOfTwoPiecesAreMaskedWholeAndChargedForBothPieces() {
        // every word is a letter and a ## letter: exactly two pieces
        WordPieceTokenizer tok = WordPieceTokenizer.of(WordPieceConfig.builder().optVocabSize(11).build(),
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "##a", "##b", "##c"));
        SplittableRandom rng = new SplittableRandom(1);
        String letters = "abc";
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 5; w++) {
                sb.append(letters.charAt(rng.nextInt(3))).append(letters.charAt(rng.nextInt(3))).append(' ');
            }
            texts.add(sb.toString().trim());
        }
        // 5 words and [SEP] are 11 tokens: chunks of 22 never cut a word
        PretrainConfig eval = EVAL.toBuilder().optSequenceLength(24).build();
        try (tok; MaskedLanguageModel m = model(tok.vocabSize())) {
            WordPerplexity w = Perplexity.perWord(m, tok, texts, eval);
            assertTrue(w.maskedWords() > 20, w.toString());
            assertEquals(2 * w.maskedWords(), w.maskedTokens(), w.toString());
            assertEquals(2 * w.tokenLoss(), w.wordLoss(), 1e-9);
            assertEquals(2.0, w.piecesPerMaskedWord());
            // same seed, same masks: the evaluation repeats exactly
            assertEquals(w, Perplexity.perWord(m, tok, texts, eval));
        }
    }
}
