package org.plm4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Masked-LM loss, perplexity and masked-token accuracy of a model on texts, with masking fixed by the seed so that
 * two evaluations (before and after training, or two models) see exactly the same masks.
 *
 * <p>Perplexity is {@code exp} of the mean cross-entropy over all masked tokens (not the mean
 * of per-batch perplexities). Dropout is off.
 */
public final class Perplexity {

    /** Salt mixed into the seed so evaluation masks differ from training masks of the same seed. */
    static final long EVAL_SALT = 0x9E3779B97F4A7C15L;

    private Perplexity() {}

    /**
     * Packs {@code texts} (in order) into sequences of {@code config.sequenceLength()}, masks
     * them with {@code config}'s probabilities and seed, and evaluates all of them in batches
     * of {@code config.batchSize()}.
     *
     * @throws IllegalArgumentException if the texts hold no tokens
     */
    public static EvalResult evaluate(MaskedLanguageModel model, Tokenizer tokenizer, List<String> texts,
                                      PretrainConfig config) {
        List<int[]> encoded = java.util.Arrays.asList(tokenizer.encodeBatch(texts));
        List<int[]> seqs = Packing.pack(encoded, config.sequenceLength(), tokenizer, true);
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException("the " + texts.size() + " texts contain no tokens to evaluate");
        }
        return evaluate(model, new Masking(tokenizer, config), seqs, config.batchSize(), config.seed(), 0);
    }

    /**
     * Masked-LM loss per <em>word</em>, a measure that tokenizers with different vocabularies share:
     * every text is packed as in {@link #evaluate}, whole words are masked (each word with
     * {@code config.maskProbability()}, all its pieces at once, whatever {@code config}'s own
     * masking), and the cross-entropy of all masked pieces is summed and divided by the number of
     * masked words. A tokenizer that splits a word into more pieces must predict all of them, so the
     * per-word figure charges it for that, while the per-token perplexity would not. (A word cut
     * by a sequence boundary counts as two words.)
     *
     * @throws IllegalArgumentException if the texts hold no tokens
     */
    public static WordPerplexity perWord(MaskedLanguageModel model, Tokenizer tokenizer, List<String> texts,
                                         PretrainConfig config) {
        List<int[]> encoded = java.util.Arrays.asList(tokenizer.encodeBatch(texts));
        List<int[]> seqs = Packing.pack(encoded, config.sequenceLength(), tokenizer, true);
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException("the " + texts.size() + " texts contain no tokens to evaluate");
        }
        boolean[] continuation = new boolean[tokenizer.vocabSize()];
        for (int i = 0; i < continuation.length; i++) {
            String t = tokenizer.token(i);
            continuation[i] = !tokenizer.isSpecial(i) && t != null && t.startsWith("##");
        }
        Masking masking = new Masking(tokenizer, config.maskProbability(), config.maskTokenFraction(),
                config.randomTokenFraction(), true);
        Totals t = totals(model, masking, seqs, config.batchSize(), config.seed(), continuation);
        return new WordPerplexity(t.words, t.count, t.count == 0 ? Double.NaN : t.sum / t.count,
                t.words == 0 ? Double.NaN : t.sum / t.words);
    }

    /** Evaluates prepared sequences with masks drawn from {@code seed} (same seed, same masks). */
    static EvalResult evaluate(MaskedLanguageModel model, Masking masking, List<int[]> sequences, int batchSize,
                               long seed, int step) {
        Totals t = totals(model, masking, sequences, batchSize, seed, null);
        double loss = t.count == 0 ? Double.NaN : t.sum / t.count;
        return new EvalResult(step, loss, Math.exp(loss), t.count, sequences.size(),
                t.count == 0 ? Double.NaN : (double) t.hits / t.count);
    }

    /** Summed cross-entropy, masked pieces, correct predictions and (with {@code continuation}) masked words. */
    private record Totals(double sum, long count, long hits, long words) {}

    private static Totals totals(MaskedLanguageModel model, Masking masking, List<int[]> sequences, int batchSize,
                                 long seed, boolean[] continuation) {
        EngineSetup.noGradOnThisThread();
        SplittableRandom rng = new SplittableRandom(seed ^ EVAL_SALT);
        double sum = 0;
        long count = 0;
        long hits = 0;
        long words = 0;
        for (int from = 0; from < sequences.size(); from += batchSize) {
            int to = Math.min(sequences.size(), from + batchSize);
            int[][] rows = sequences.subList(from, to).toArray(new int[0][]);
            MaskedBatch mb = masking.mask(rows, rng.split());
            if (mb.maskedCount() == 0) {
                continue;
            }
            if (continuation != null) {
                long[] pos = mb.maskedPositions();
                long[] lab = mb.labels();
                for (int i = 0; i < pos.length; i++) {
                    // a masked piece starts a word unless it continues the masked piece right before it
                    boolean continues = i > 0 && pos[i] == pos[i - 1] + 1 && continuation[(int) lab[i]];
                    words += continues ? 0 : 1;
                }
            }
            try (NDManager sm = model.manager().newSubManager()) {
                Shape shape = new Shape(mb.batchSize(), mb.length());
                NDArray ids = sm.create(mb.inputIds(), shape);
                NDArray mask = sm.create(mb.attentionMask(), shape);
                NDArray pos = sm.create(mb.maskedPositions());
                NDArray lab = sm.create(mb.labels());
                NDArray logits = model.maskedLmLogits(model.hiddenStates(ids, mask, false), pos);
                double mean = MaskedLanguageModel.crossEntropy(logits, lab).getFloat();
                sum += mean * mb.maskedCount();
                count += mb.maskedCount();
                hits += logits.argMax(-1).eq(lab).toType(ai.djl.ndarray.types.DataType.INT64, false).sum().getLong();
            }
        }
        return new Totals(sum, count, hits, words);
    }
}
