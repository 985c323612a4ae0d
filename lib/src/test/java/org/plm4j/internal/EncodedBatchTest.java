package org.plm4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;

class EncodedBatchTest {

    private static Tokenizer tokenizer() {
        return WordPieceTokenizer.of(WordPieceConfig.builder().optVocabSize(12).build(),
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "f", "g"));
    }

    @Test
    void pairsAreClsASepBSepWithSegmentBOfTypeOne() {
        try (Tokenizer t = tokenizer()) {
            int[][] a = {{5, 6}, {7}};
            int[][] b = {{8}, {9, 10, 11}};
            EncodedBatch batch = EncodedBatch.ofPairs(t, a, b, new int[] {0, 1}, 16);
            assertEquals(7, batch.length());
            assertArrayEquals(new long[] {2, 5, 6, 3, 8, 3, 0, 2, 7, 3, 9, 10, 11, 3}, batch.ids());
            assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1}, batch.typeIds());
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1}, batch.mask());
            assertNull(EncodedBatch.of(t, a, 0, 2, 8).typeIds());
        }
    }

    @Test
    void longPairsAreCutLongestFirst() {
        try (Tokenizer t = tokenizer()) {
            EncodedBatch batch = EncodedBatch.ofPairs(t, new int[][] {{5, 6, 7, 8, 9}}, new int[][] {{10, 11}},
                    new int[] {0}, 7);
            assertArrayEquals(new long[] {2, 5, 6, 3, 10, 11, 3}, batch.ids());
        }
    }

    @Test
    void tokenTypesReachTheEmbeddings() {
        EngineSetup.noGradOnThisThread();
        try (Tokenizer t = tokenizer();
             MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(12), 3);
             NDManager sm = m.manager().newSubManager()) {
            EncodedBatch batch = EncodedBatch.ofPairs(t, new int[][] {{5, 6}}, new int[][] {{7, 8}}, new int[] {0}, 16);
            float[] pair = m.hiddenStates(batch.idsArray(sm), batch.typeIdsArray(sm), batch.maskArray(sm), false)
                    .toFloatArray();
            float[] single = m.hiddenStates(batch.idsArray(sm), batch.maskArray(sm), false).toFloatArray();
            float[] zeros = m.hiddenStates(batch.idsArray(sm), sm.zeros(batch.idsArray(sm).getShape(),
                    ai.djl.ndarray.types.DataType.INT64), batch.maskArray(sm), false).toFloatArray();
            assertArrayEquals(single, zeros, 1e-6f);
            assertFalse(java.util.Arrays.equals(single, pair), "segment B must change the hidden states");
        }
    }
}
