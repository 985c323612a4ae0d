package org.plm4j.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.plm4j.internal.EncodedBatch;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Sentence embeddings from an encoder, by the sentence-transformers convention: the mean of the
 * last hidden states over each text's tokens under the attention mask ([CLS] and [SEP] included,
 * padding excluded), dropout off, then optionally L2-normalised ({@link EmbedOptions#normalize()}).
 *
 * <p>Each text becomes {@code [CLS] tokens [SEP]}, truncated to {@code maxLength} (default:
 * the model's {@code maxPositions}); texts are processed in batches padded to the longest
 * member, texts of similar length together. The result does not depend on the batch size or the
 * order of the texts (up to float rounding).
 */
public final class Embedder {

    /** Texts per forward pass unless set otherwise. */
    public static final int DEFAULT_BATCH_SIZE = EmbedOptions.DEFAULT_BATCH_SIZE;

    private Embedder() {}

    /** Embeds {@code texts} without labels. */
    public static Embeddings embed(MaskedLanguageModel model, Tokenizer tokenizer, List<String> texts) {
        return embed(model, tokenizer, texts, null, DEFAULT_BATCH_SIZE, model.config().maxPositions());
    }

    /** Embeds {@code texts}, keeping one label per text (null for none). */
    public static Embeddings embed(MaskedLanguageModel model, Tokenizer tokenizer, List<String> texts,
                                   List<String> labels) {
        return embed(model, tokenizer, texts, labels, DEFAULT_BATCH_SIZE, model.config().maxPositions());
    }

    /**
     * Embeds {@code texts}.
     *
     * @param labels one label per text, or null
     * @param batchSize texts per forward pass
     * @param maxLength longest input in tokens including [CLS] and [SEP] (at most maxPositions)
     */
    public static Embeddings embed(MaskedLanguageModel model, Tokenizer tokenizer, List<String> texts,
                                   List<String> labels, int batchSize, int maxLength) {
        return embed(model, tokenizer, texts, labels,
                EmbedOptions.builder().optBatchSize(batchSize).optMaxLength(maxLength).build());
    }

    /** Embeds {@code texts} with a pretrained model and its own tokenizer. */
    public static Embeddings embed(org.plm4j.pretrained.PretrainedModel pretrained, List<String> texts,
                                   List<String> labels, EmbedOptions options) {
        return embed(pretrained.model(), pretrained.tokenizer(), texts, labels, options);
    }

    /**
     * Embeds {@code texts}.
     *
     * @param labels one label per text, or null
     * @throws IllegalArgumentException if maxLength exceeds the model's maxPositions or labels do not match
     */
    public static Embeddings embed(MaskedLanguageModel model, Tokenizer tokenizer, List<String> texts,
                                   List<String> labels, EmbedOptions options) {
        int batchSize = options.batchSize();
        int maxLength = options.maxLength() == 0 ? model.config().maxPositions() : options.maxLength();
        if (maxLength < 2 || maxLength > model.config().maxPositions()) {
            throw new IllegalArgumentException("maxLength must be in [2, maxPositions=" + model.config().maxPositions()
                    + "], got " + maxLength);
        }
        if (labels != null && labels.size() != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.size() + " labels");
        }
        EngineSetup.noGradOnThisThread();
        int h = model.config().hiddenSize();
        float[][] out = new float[texts.size()][];
        int[][] encoded = tokenizer.encodeBatch(texts);
        // batches of similar lengths pad little (as sentence-transformers does); results go back in input order
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(encoded[y].length, encoded[x].length));
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = order[from + i];
            }
            EncodedBatch batch = EncodedBatch.of(tokenizer, encoded, rows, maxLength);
            int b = batch.batchSize();
            try (NDManager sm = model.manager().newSubManager()) {
                NDArray ids = batch.idsArray(sm);
                NDArray m = batch.maskArray(sm);
                NDArray hidden = model.hiddenStates(ids, m, false);
                NDArray m3 = m.expandDims(2);
                NDArray mean = hidden.mul(m3).sum(new int[] {1}).div(m.sum(new int[] {1}, true));
                if (options.normalize()) {
                    // sentence-transformers' Normalize: x / max(||x||, 1e-12)
                    mean = mean.div(mean.norm(new int[] {1}, true).maximum(1e-12f));
                }
                float[] values = mean.toFloatArray();
                for (int r = 0; r < b; r++) {
                    out[rows[r]] = Arrays.copyOfRange(values, r * h, (r + 1) * h);
                }
            }
        }
        return new Embeddings(texts, labels, out);
    }
}
