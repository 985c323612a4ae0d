package org.plm4j.pretrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Packs tokenised texts into fixed-length sequences, as Hugging Face's {@code group_texts}:
 * the texts are concatenated with [SEP] after each, the stream is cut into chunks of
 * {@code length - 2} tokens, and each chunk becomes {@code [CLS] chunk [SEP]}.
 */
final class Packing {

    private Packing() {}

    /**
     * Packs {@code texts} in the given order.
     *
     * @param keepRemainder whether the last, shorter chunk becomes a padded sequence (otherwise
     *     it is dropped, unless it would be the only sequence)
     * @return sequences of exactly {@code length} ids (padded with [PAD] only in the last one)
     */
    public static List<int[]> pack(List<int[]> texts, int length, Tokenizer tokenizer, boolean keepRemainder) {
        int chunk = length - 2;
        if (chunk < 1) {
            throw new IllegalArgumentException("length must be >= 3, got " + length);
        }
        int cls = tokenizer.clsId();
        int sep = tokenizer.sepId();
        int pad = tokenizer.padId();
        List<int[]> out = new ArrayList<>();
        int[] buf = new int[chunk];
        int n = 0;
        for (int[] text : texts) {
            if (text.length == 0) {
                continue;
            }
            for (int i = 0; i <= text.length; i++) {
                buf[n++] = i < text.length ? text[i] : sep;
                if (n == chunk) {
                    out.add(wrap(buf, n, length, cls, sep, pad));
                    n = 0;
                }
            }
        }
        if (n > 0 && (keepRemainder || out.isEmpty())) {
            // the stream's final [SEP] is already in buf: do not double it
            int used = buf[n - 1] == sep ? n - 1 : n;
            if (used > 0) {
                out.add(wrap(buf, used, length, cls, sep, pad));
            }
        }
        return out;
    }

    private static int[] wrap(int[] buf, int n, int length, int cls, int sep, int pad) {
        int[] seq = new int[length];
        Arrays.fill(seq, pad);
        seq[0] = cls;
        System.arraycopy(buf, 0, seq, 1, n);
        seq[n + 1] = sep;
        return seq;
    }

    /**
     * Line by line: each non-empty text becomes one sequence {@code [CLS] text [SEP]}, truncated
     * to {@code length} and padded with [PAD].
     */
    public static List<int[]> lineByLine(List<int[]> texts, int length, Tokenizer tokenizer) {
        if (length < 3) {
            throw new IllegalArgumentException("length must be >= 3, got " + length);
        }
        List<int[]> out = new ArrayList<>();
        for (int[] text : texts) {
            if (text.length == 0) {
                continue;
            }
            int n = Math.min(text.length, length - 2);
            out.add(wrap(text, n, length, tokenizer.clsId(), tokenizer.sepId(), tokenizer.padId()));
        }
        return out;
    }
}
