package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plm4j.testing.TestCorpora;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

class MaskingTest {

    static final Tokenizer TOK = TestTokenizers.whitespace(TestCorpora.repetitive(200, 1).texts());

    /** Rows of [CLS] random words [SEP] [PAD]...: variable real length. */
    static int[][] rows(int n, int len, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] out = new int[n][len];
        for (int r = 0; r < n; r++) {
            int real = 3 + rng.nextInt(len - 2);
            out[r][0] = TOK.clsId();
            for (int c = 1; c < real - 1; c++) {
                out[r][c] = 5 + rng.nextInt(TOK.vocabSize() - 5);
            }
            out[r][real - 1] = TOK.sepId();
        }
        return out;
    }

    @Test
    void masksAboutFifteenPercentWithEightyTenTenAndNeverSpecials() {
        Masking masking = new Masking(TOK, 0.15, 0.8, 0.1);
        SplittableRandom rng = new SplittableRandom(11);
        long candidates = 0;
        long selected = 0;
        long toMask = 0;
        long toRandom = 0;
        long unchanged = 0;
        for (int batch = 0; batch < 200; batch++) {
            int[][] rows = rows(32, 64, batch);
            MaskedBatch mb = masking.mask(rows, rng.split());
            for (int[] row : rows) {
                for (int id : row) {
                    if (!TOK.isSpecial(id)) {
                        candidates++;
                    }
                }
            }
            selected += mb.maskedCount();
            for (int i = 0; i < mb.maskedCount(); i++) {
                int pos = (int) mb.maskedPositions()[i];
                int original = rows[pos / 64][pos % 64];
                assertFalse(TOK.isSpecial(original), "a special token or padding was selected");
                assertEquals(original, mb.labels()[i]);
                long now = mb.inputIds()[pos];
                if (now == TOK.maskId()) {
                    toMask++;
                } else if (now == original) {
                    unchanged++;
                } else {
                    assertFalse(TOK.isSpecial((int) now), "random replacement must be an ordinary token");
                    toRandom++;
                }
            }
            // nothing outside the selected positions changed
            int changed = 0;
            for (int r = 0; r < 32; r++) {
                for (int c = 0; c < 64; c++) {
                    if (mb.inputIds()[r * 64 + c] != rows[r][c]) {
                        changed++;
                    }
                    assertEquals(rows[r][c] == TOK.padId() ? 0f : 1f, mb.attentionMask()[r * 64 + c]);
                }
            }
            assertTrue(changed <= mb.maskedCount());
        }
        double rate = (double) selected / candidates;
        assertEquals(0.15, rate, 0.01, "selection rate");
        assertEquals(0.8, (double) toMask / selected, 0.015);
        assertEquals(0.1, (double) toRandom / selected, 0.015);
        assertEquals(0.1, (double) unchanged / selected, 0.015);
    }

    @Test
    void everySequenceWithTokensGetsAtLeastOneMask() {
        Masking masking = new Masking(TOK, 0.01, 0.8, 0.1);
        int[][] rows = rows(500, 8, 3);
        MaskedBatch mb = masking.mask(rows, new SplittableRandom(1));
        boolean[] hit = new boolean[rows.length];
        for (long p : mb.maskedPositions()) {
            hit[(int) (p / 8)] = true;
        }
        for (int r = 0; r < rows.length; r++) {
            assertTrue(hit[r], "row " + r + " has no masked token");
        }
    }

    @Test
    void sameGeneratorStateGivesSameMasks() {
        Masking masking = new Masking(TOK, 0.15, 0.8, 0.1);
        int[][] rows = rows(16, 32, 5);
        MaskedBatch a = masking.mask(rows, new SplittableRandom(42));
        MaskedBatch b = masking.mask(rows, new SplittableRandom(42));
        MaskedBatch c = masking.mask(rows, new SplittableRandom(43));
        assertArrayEquals(a.inputIds(), b.inputIds());
        assertArrayEquals(a.maskedPositions(), b.maskedPositions());
        assertFalse(java.util.Arrays.equals(a.maskedPositions(), c.maskedPositions()));
    }

    @Test
    void packingFillsFullSequencesWithSepBetweenTexts() {
        List<int[]> texts = List.of(new int[] {10, 11, 12}, new int[] {13, 14}, new int[] {}, new int[] {15, 16, 17, 18});
        List<int[]> seqs = Packing.pack(texts, 6, TOK, false);
        // stream: 10 11 12 S 13 14 S 15 16 17 18 S -> chunks of 4
        assertEquals(3, seqs.size());
        assertArrayEquals(new int[] {2, 10, 11, 12, 3, 3}, seqs.get(0));
        assertArrayEquals(new int[] {2, 13, 14, 3, 15, 3}, seqs.get(1));
        assertArrayEquals(new int[] {2, 16, 17, 18, 3, 3}, seqs.get(2));
        List<int[]> withRest = Packing.pack(List.of(new int[] {10, 11, 12, 13, 14}), 6, TOK, true);
        assertEquals(2, withRest.size());
        assertArrayEquals(new int[] {2, 14, 3, 0, 0, 0}, withRest.get(1));
    }

    @Test
    void batchesOfOneEpochDoNotOverlapAndCoverTheData() {
        List<int[]> texts = new ArrayList<>();
        int next = 5;
        for (int i = 0; i < 50; i++) {
            int[] t = new int[1 + i % 7];
            for (int j = 0; j < t.length; j++) {
                t[j] = next++; // every token id unique
            }
            texts.add(t);
        }
        PretrainConfig cfg = PretrainConfig.builder().optBatchSize(4).optSequenceLength(10).build();
        Pretrainer.BatchStream stream = new Pretrainer.BatchStream(texts, cfg, TOK, new SplittableRandom(1));
        List<int[]> epoch = Packing.pack(texts, 10, TOK, false);
        int batchesPerEpoch = epoch.size() / 4;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int b = 0; b < batchesPerEpoch; b++) {
            for (int[] row : stream.next()) {
                for (int id : row) {
                    if (!TOK.isSpecial(id)) {
                        assertTrue(seen.add(id), "token " + id + " appears twice within one epoch");
                    }
                }
            }
        }
        assertEquals(1, stream.epochs());
        assertTrue(seen.size() >= (next - 5) - 4 * 8 - 8, "an epoch covers all but the dropped remainder");
        stream.next();
        assertEquals(2, stream.epochs());
    }
}
