package org.plm4j.pretrain;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.plm4j.tokenizer.Tokenizer;

/**
 * BERT's dynamic masking: each call draws a fresh mask from the random generator it is given.
 *
 * <p>Of each sequence's non-special tokens ([PAD], [CLS], [SEP], ... are never chosen),
 * each is selected with probability {@code maskProbability}, and at least one is selected
 * when the sequence has any. A selected token becomes [MASK] with probability
 * {@code maskTokenFraction}, a uniformly drawn non-special token with probability
 * {@code randomTokenFraction}, and stays unchanged otherwise; the model must predict the
 * original at every selected position. Deterministic for a given generator state.
 */
final class Masking {

    private final double maskProbability;
    private final double maskTokenFraction;
    private final double randomTokenFraction;
    private final int maskId;
    private final int padId;
    private final boolean[] special;
    private final int[] ordinary;
    private final boolean wholeWord;
    private final boolean[] continuation;

    /** Masking with {@code config}'s probabilities over {@code tokenizer}'s vocabulary. */
    public Masking(Tokenizer tokenizer, PretrainConfig config) {
        this(tokenizer, config.maskProbability(), config.maskTokenFraction(), config.randomTokenFraction(),
                config.wholeWordMasking());
    }

    /** Token-level masking with explicit probabilities. */
    public Masking(Tokenizer tokenizer, double maskProbability, double maskTokenFraction, double randomTokenFraction) {
        this(tokenizer, maskProbability, maskTokenFraction, randomTokenFraction, false);
    }

    /**
     * Masking with explicit probabilities; with {@code wholeWord} the unit of selection is a word:
     * a token whose vocabulary entry starts with {@code ##} belongs to the word of the token before it,
     * and each word is selected with {@code maskProbability} and then masked in all its pieces.
     */
    public Masking(Tokenizer tokenizer, double maskProbability, double maskTokenFraction, double randomTokenFraction,
                   boolean wholeWord) {
        this.wholeWord = wholeWord;
        this.maskProbability = maskProbability;
        this.maskTokenFraction = maskTokenFraction;
        this.randomTokenFraction = randomTokenFraction;
        this.maskId = tokenizer.maskId();
        this.padId = tokenizer.padId();
        int v = tokenizer.vocabSize();
        this.special = new boolean[v];
        for (int i = 0; i < v; i++) {
            special[i] = tokenizer.isSpecial(i);
        }
        this.continuation = new boolean[v];
        for (int i = 0; i < v; i++) {
            String t = tokenizer.token(i);
            continuation[i] = !special[i] && t != null && t.startsWith("##");
        }
        this.ordinary = IntStream.range(0, v).filter(i -> !special[i]).toArray();
        if (ordinary.length == 0) {
            throw new IllegalArgumentException("the tokenizer's vocabulary has only special tokens; nothing can be masked");
        }
    }

    /**
     * Masks a batch of equally long sequences (padding with [PAD] is allowed).
     *
     * @param sequences rows of ids, each of the same length
     * @param rng the generator for this batch (split one per step for reproducibility)
     */
    public MaskedBatch mask(int[][] sequences, SplittableRandom rng) {
        int b = sequences.length;
        if (b == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int len = sequences[0].length;
        long[] ids = new long[b * len];
        float[] attention = new float[b * len];
        long[] positions = new long[b * len];
        long[] labels = new long[b * len];
        int m = 0;
        int real = 0;
        int[] candidates = new int[len];
        for (int r = 0; r < b; r++) {
            int[] seq = sequences[r];
            if (seq.length != len) {
                throw new IllegalArgumentException("row " + r + " has length " + seq.length + ", expected " + len);
            }
            int nCand = 0;
            for (int c = 0; c < len; c++) {
                int id = seq[c];
                ids[r * len + c] = id;
                if (id != padId) {
                    attention[r * len + c] = 1f;
                    real++;
                }
                if (!isSpecial(id)) {
                    candidates[nCand++] = c;
                }
            }
            int selected = 0;
            int start = m;
            if (wholeWord) {
                // words: runs of candidates where every piece after the first is a ## continuation
                int words = 0;
                int[] wordStart = new int[nCand + 1];
                for (int i = 0; i < nCand; i++) {
                    int c = candidates[i];
                    boolean continues = i > 0 && candidates[i - 1] == c - 1 && continuation[seq[c]];
                    if (!continues) {
                        wordStart[words++] = i;
                    }
                }
                wordStart[words] = nCand;
                int forced = -1;
                boolean any = false;
                boolean[] pick = new boolean[words];
                for (int w = 0; w < words; w++) {
                    pick[w] = rng.nextDouble() < maskProbability;
                    any |= pick[w];
                }
                if (!any && words > 0) {
                    forced = rng.nextInt(words);
                    pick[forced] = true;
                }
                for (int w = 0; w < words; w++) {
                    if (pick[w]) {
                        for (int i = wordStart[w]; i < wordStart[w + 1]; i++) {
                            positions[m++] = (long) r * len + candidates[i];
                        }
                    }
                }
            } else {
                for (int i = 0; i < nCand; i++) {
                    if (rng.nextDouble() < maskProbability) {
                        positions[m++] = (long) r * len + candidates[i];
                        selected++;
                    }
                }
                if (selected == 0 && nCand > 0) {
                    positions[m++] = (long) r * len + candidates[rng.nextInt(nCand)];
                }
            }
            for (int i = start; i < m; i++) {
                int flat = (int) positions[i];
                labels[i] = ids[flat];
                double u = rng.nextDouble();
                if (u < maskTokenFraction) {
                    ids[flat] = maskId;
                } else if (u < maskTokenFraction + randomTokenFraction) {
                    ids[flat] = ordinary[rng.nextInt(ordinary.length)];
                }
            }
        }
        return new MaskedBatch(b, len, ids, attention, java.util.Arrays.copyOf(positions, m),
                java.util.Arrays.copyOf(labels, m), real);
    }

    private boolean isSpecial(int id) {
        return id < 0 || id >= special.length || special[id];
    }
}
