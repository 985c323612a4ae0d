package org.plm4j.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.plm4j.tokenizer.Tokenizer;

/**
 * A padded batch of encoder inputs: {@code [CLS] pieces [SEP]} (or for sentence pairs
 * {@code [CLS] a [SEP] b [SEP]} with token type 1 on segment B), truncated to a maximum length and
 * padded to the longest row, with the attention mask. The one place where plm4j turns token ids into
 * encoder input for sentence-level work (embedding, classification).
 *
 * @param ids token ids, row-major {@code [batchSize, length]}
 * @param mask 1 for real tokens, 0 for padding, same layout
 * @param batchSize number of rows
 * @param length padded row length
 * @param typeIds token-type ids in the same layout (0: segment A, 1: segment B), or null when every
 *     row is a single segment
 */
public record EncodedBatch(long[] ids, float[] mask, int batchSize, int length, long[] typeIds) {

    /** A single-segment batch (token types all 0). */
    public EncodedBatch(long[] ids, float[] mask, int batchSize, int length) {
        this(ids, mask, batchSize, length, null);
    }

    /**
     * A batch of sentence pairs {@code [CLS] a [SEP] b [SEP]}, segment B (with its [SEP]) of token
     * type 1. Pairs longer than {@code maxLength} are cut longest-first (one token at a time from the
     * longer segment), as Hugging Face's {@code longest_first} truncation does.
     *
     * @param first token ids of each first text, no special tokens
     * @param second token ids of each second text, aligned with {@code first}
     * @param rows which pairs to put in the batch, in order
     * @param maxLength longest input in tokens including [CLS] and both [SEP]
     */
    public static EncodedBatch ofPairs(Tokenizer tokenizer, int[][] first, int[][] second, int[] rows, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must be >= 3 ([CLS] and two [SEP]), got " + maxLength);
        }
        if (first.length != second.length) {
            throw new IllegalArgumentException(first.length + " first texts but " + second.length + " second texts");
        }
        int b = rows.length;
        int[] na = new int[b];
        int[] nb = new int[b];
        int len = 3;
        for (int i = 0; i < b; i++) {
            int x = first[rows[i]].length;
            int y = second[rows[i]].length;
            while (x + y > maxLength - 3) {
                if (x > y) {
                    x--;
                } else {
                    y--;
                }
            }
            na[i] = x;
            nb[i] = y;
            len = Math.max(len, x + y + 3);
        }
        long[] flat = new long[b * len];
        float[] mask = new float[b * len];
        long[] types = new long[b * len];
        Arrays.fill(flat, tokenizer.padId());
        for (int i = 0; i < b; i++) {
            int o = i * len;
            int c = 0;
            flat[o + c++] = tokenizer.clsId();
            for (int k = 0; k < na[i]; k++) {
                flat[o + c++] = first[rows[i]][k];
            }
            flat[o + c++] = tokenizer.sepId();
            int segmentB = c;
            for (int k = 0; k < nb[i]; k++) {
                flat[o + c++] = second[rows[i]][k];
            }
            flat[o + c++] = tokenizer.sepId();
            Arrays.fill(mask, o, o + c, 1f);
            Arrays.fill(types, o + segmentB, o + c, 1L);
        }
        return new EncodedBatch(flat, mask, b, len, types);
    }

    /** The token-type ids as an INT64 array of {@code manager}, or null for a single-segment batch. */
    public NDArray typeIdsArray(NDManager manager) {
        return typeIds == null ? null : manager.create(typeIds, new Shape(batchSize, length));
    }

    /**
     * Builds the batch of the given rows of {@code encoded}.
     *
     * @param encoded token ids of each text without special tokens ({@link Tokenizer#encodeBatch})
     * @param rows which texts to put in the batch, in order
     * @param maxLength longest input in tokens including [CLS] and [SEP]
     */
    public static EncodedBatch of(Tokenizer tokenizer, int[][] encoded, int[] rows, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2 ([CLS] and [SEP]), got " + maxLength);
        }
        int b = rows.length;
        int len = 2;
        for (int r : rows) {
            len = Math.max(len, Math.min(encoded[r].length, maxLength - 2) + 2);
        }
        long[] flat = new long[b * len];
        float[] mask = new float[b * len];
        Arrays.fill(flat, tokenizer.padId());
        for (int i = 0; i < b; i++) {
            int[] piece = encoded[rows[i]];
            int n = Math.min(piece.length, maxLength - 2);
            int o = i * len;
            flat[o] = tokenizer.clsId();
            mask[o] = 1f;
            for (int c = 0; c < n; c++) {
                flat[o + 1 + c] = piece[c];
                mask[o + 1 + c] = 1f;
            }
            flat[o + n + 1] = tokenizer.sepId();
            mask[o + n + 1] = 1f;
        }
        return new EncodedBatch(flat, mask, b, len);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public static EncodedBatch of(Tokenizer tokenizer, int[][] encoded, int from, int to, int maxLength) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return of(tokenizer, encoded, rows, maxLength);
    }

    /** The ids as an INT64 array of {@code manager}. */
    public NDArray idsArray(NDManager manager) {
        return manager.create(ids, new Shape(batchSize, length));
    }

    /** The mask as a FLOAT32 array of {@code manager}. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(batchSize, length));
    }
}
