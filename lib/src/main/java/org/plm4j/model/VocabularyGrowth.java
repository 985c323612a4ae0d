package org.plm4j.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.plm4j.tokenizer.Tokenizer;

/** Grows a model's vocabulary (see {@link MaskedLanguageModel#withGrownVocabulary}). */
final class VocabularyGrowth {

    private VocabularyGrowth() {
    }

    static MaskedLanguageModel grow(MaskedLanguageModel model, Tokenizer oldTokenizer, Tokenizer newTokenizer,
                                    MaskedLanguageModel.NewRows rows, long seed) {
        int oldV = model.config().vocabSize();
        int newV = newTokenizer.vocabSize();
        if (newV < oldV) {
            throw new IllegalArgumentException("the new tokenizer has " + newV + " ids, fewer than the model's "
                    + oldV + "; a vocabulary can only grow");
        }
        for (int i = 0; i < Math.min(oldTokenizer.vocabSize(), oldV); i++) {
            if (!oldTokenizer.token(i).equals(newTokenizer.token(i))) {
                throw new IllegalArgumentException("id " + i + " is '" + oldTokenizer.token(i) + "' in the old and '"
                        + newTokenizer.token(i) + "' in the new tokenizer; extend the vocabulary by appending");
            }
        }
        EncoderConfig config = model.config();
        int h = config.hiddenSize();
        Map<String, float[]> data = new LinkedHashMap<>();
        model.parameters().forEach((k, v) -> data.put(k, v.toFloatArray()));
        float[] emb = Arrays.copyOf(data.get("bert.embeddings.word_embeddings.weight"), newV * h);
        float[] bias = Arrays.copyOf(data.get("cls.predictions.bias"), newV);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int id = oldV; id < newV; id++) {
            String surface = newTokenizer.token(id);
            if (surface.startsWith("##")) {
                surface = surface.substring(2);
            }
            int[] pieces = rows == MaskedLanguageModel.NewRows.MEAN_OF_PIECES
                    ? Arrays.stream(oldTokenizer.encode(surface))
                            .filter(p -> p < oldV && !oldTokenizer.isSpecial(p) && p != oldTokenizer.unkId()).toArray()
                    : new int[0];
            if (pieces.length > 0) {
                for (int p : pieces) {
                    for (int j = 0; j < h; j++) {
                        emb[id * h + j] += emb[p * h + j] / pieces.length;
                    }
                    bias[id] += bias[p] / pieces.length;
                }
            } else {
                for (int j = 0; j < h; j++) {
                    double z;
                    do {
                        z = rng.nextGaussian();
                    } while (Math.abs(z) > 2.0);
                    emb[id * h + j] = (float) (z * model.config().initializerRange());
                }
            }
        }
        data.put("bert.embeddings.word_embeddings.weight", emb);
        data.put("cls.predictions.bias", bias);
        EncoderConfig grown = model.config().toBuilder().setVocabSize(newV).build();
        MaskedLanguageModel m = MaskedLanguageModel.of(grown, data, model.seed(), model.lineage(), null);
        m.recordLineage(new Lineage.Step("vocabulary-extension", "", "", -1,
                Map.of("added", Integer.toString(newV - oldV), "rows", rows.name())));
        return m;
    }
}
