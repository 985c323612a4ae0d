package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;

/** Whole-word masking, line-by-line batches, gradient accumulation and early stopping. */
class TrainerOptionsTest {

    @BeforeAll
    static void oneThread() {
        EngineSetup.setThreads(1);
    }

    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "un", "##believ", "##able", "cat", "##s", "run", "##ning", "dog", "the", "a", "##ly");

    @Test
    void wholeWordMaskingMasksAllPiecesOfAWordTogetherAtAboutFifteenPercentOfWords() {
        Tokenizer tok = WordPieceTokenizer.of(WordPieceConfig.builder().build(), VOCAB);
        int[] starts = {5, 8, 10, 12, 13, 14};
        int[] conts = {6, 7, 9, 11, 15};
        SplittableRandom gen = new SplittableRandom(1);
        int len = 64;
        int[][] rows = new int[400][len];
        List<int[]> wordSpans = new ArrayList<>(); // row, from, to (exclusive)
        for (int r = 0; r < rows.length; r++) {
            rows[r][0] = tok.clsId();
            int c = 1;
            while (c < len - 4) {
                int from = c;
                rows[r][c++] = starts[gen.nextInt(starts.length)];
                int pieces = gen.nextInt(3);
                for (int p = 0; p < pieces; p++) {
                    rows[r][c++] = conts[gen.nextInt(conts.length)];
                }
                wordSpans.add(new int[] {r, from, c});
            }
            rows[r][c] = tok.sepId();
        }
        Masking masking = new Masking(tok, 0.15, 0.8, 0.1, true);
        MaskedBatch b = masking.mask(rows, new SplittableRandom(7));
        boolean[] masked = new boolean[rows.length * len];
        for (long p : b.maskedPositions()) {
            masked[(int) p] = true;
            assertFalse(tok.isSpecial(rows[(int) (p / len)][(int) (p % len)]), "special tokens are never masked");
        }
        int wordsMasked = 0;
        for (int[] w : wordSpans) {
            int n = 0;
            for (int c = w[1]; c < w[2]; c++) {
                n += masked[w[0] * len + c] ? 1 : 0;
            }
            assertTrue(n == 0 || n == w[2] - w[1], "a word is masked in all its pieces or in none");
            wordsMasked += n > 0 ? 1 : 0;
        }
        double share = (double) wordsMasked / wordSpans.size();
        assertEquals(0.15, share, 0.02, "share of words selected");
        // token-level masking on the same rows splits words
        MaskedBatch t = new Masking(tok, 0.15, 0.8, 0.1, false).mask(rows, new SplittableRandom(7));
        assertNotEquals(b.maskedCount(), t.maskedCount());
    }

    @Test
    void lineByLineGivesOneTextPerSequenceTruncatedAndPadded() {
        Tokenizer tok = MaskingTest.TOK;
        List<int[]> texts = List.of(new int[] {7, 8}, new int[] {}, new int[] {9, 10, 11, 12, 13, 14, 15, 16});
        List<int[]> seqs = Packing.lineByLine(texts, 6, tok);
        assertEquals(2, seqs.size());
        assertArrayEquals(new int[] {tok.clsId(), 7, 8, tok.sepId(), tok.padId(), tok.padId()}, seqs.get(0));
        assertArrayEquals(new int[] {tok.clsId(), 9, 10, 11, 12, tok.sepId()}, seqs.get(1));
    }

    static EncoderConfig tiny(Tokenizer tok) {
        return EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(2).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
    }

    @Test
    void gradientAccumulationAndLineByLineTrainAndCountAllMicroBatches() {
        Tokenizer tok = TestTokenizers.whitespace(PretrainerTest.CORPUS.texts());
        PretrainConfig c = PretrainConfig.builder().optSteps(120).optBatchSize(8).optGradientAccumulation(2)
                .optPacking(false).optSequenceLength(32).optLearningRate(2e-3f).optEvalEvery(60).optEvalBatches(2)
                .optHeldOutFraction(0.1).optSeed(3).build();
        assertEquals(16, c.effectiveBatchSize());
        try (MaskedLanguageModel m = MaskedLanguageModel.create(tiny(tok), 1)) {
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(tok).setData(PretrainerTest.CORPUS)
                    .optConfig(c).run();
            assertTrue(r.completed());
            assertTrue(r.perplexityAfter() < r.perplexityBefore() / 2, r.toString());
            assertEquals(Boolean.TRUE, r.record().config().get("pretrain") instanceof java.util.Map<?, ?> mm
                    && Integer.valueOf(2).equals(mm.get("gradientAccumulation")));
        }
    }

    @Test
    void earlyStoppingEndsTheRunWhenTheHeldOutLossStopsImproving() {
        Tokenizer tok = TestTokenizers.whitespace(PretrainerTest.CORPUS.texts());
        // a learning rate too small to change float32 weights: the held-out loss stays exactly the same
        PretrainConfig c = PretrainConfig.builder().optSteps(50).optBatchSize(4).optSequenceLength(32)
                .optLearningRate(1e-20f).optEvalEvery(2).optEvalBatches(1).optPatience(3)
                .optHeldOutFraction(0.1).optSeed(3).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(tiny(tok), 1)) {
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(tok).setData(PretrainerTest.CORPUS)
                    .optConfig(c).run();
            assertEquals(6, r.stepsDone(), "three evaluations (steps 2, 4, 6) without improvement");
            assertEquals(1.0, r.record().metric("stopped_early"));
        }
    }
}
