package org.plm4j.pretrain;

/**
 * One masked-LM batch as flat Java arrays, ready to become one NDArray each.
 *
 * @param batchSize rows
 * @param length tokens per row
 * @param inputIds {@code batchSize * length} ids after masking (row-major)
 * @param attentionMask {@code batchSize * length}: 1 for real tokens, 0 for padding
 * @param maskedPositions flat indices ({@code row * length + column}) of the positions to predict
 * @param labels the original ids at {@code maskedPositions}
 * @param realTokens number of non-padding tokens
 */
record MaskedBatch(int batchSize, int length, long[] inputIds, float[] attentionMask,
                          long[] maskedPositions, long[] labels, int realTokens) {

    /** Number of positions to predict. */
    public int maskedCount() {
        return maskedPositions.length;
    }
}
