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

    /** Evaluates prepared sequences with masks drawn from {@code seed} (same seed, same masks). */
    static EvalResult evaluate(MaskedLanguageModel model, Masking masking, List<int[]> sequences, int batchSize,
                               long seed, int step) {
        EngineSetup.noGradOnThisThread();
        SplittableRandom rng = new SplittableRandom(seed ^ EVAL_SALT);
        double sum = 0;
        long count = 0;
        long hits = 0;
        for (int from = 0; from < sequences.size(); from += batchSize) {
            int to = Math.min(sequences.size(), from + batchSize);
            int[][] rows = sequences.subList(from, to).toArray(new int[0][]);
            MaskedBatch mb = masking.mask(rows, rng.split());
            if (mb.maskedCount() == 0) {
                continue;
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
        double loss = count == 0 ? Double.NaN : sum / count;
        return new EvalResult(step, loss, Math.exp(loss), count, sequences.size(),
                count == 0 ? Double.NaN : (double) hits / count);
    }
}
