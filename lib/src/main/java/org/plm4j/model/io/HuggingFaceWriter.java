package org.plm4j.model.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ai.djl.ndarray.NDArray;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;

/**
 * Writes a model as a Hugging Face {@code *ForMaskedLM} directory of its family
 * ({@link EncoderConfig#modelType()}): {@code config.json} with that family's keys (plus
 * {@code plm4j_lineage}) and {@code model.safetensors} with its exact tensor names, query/key/value
 * separate and the decoder weight tied to the word embeddings.
 */
public final class HuggingFaceWriter {

    private HuggingFaceWriter() {
    }

    /** Writes {@code model} into {@code dir} through a temporary sibling directory. */
    public static void write(MaskedLanguageModel model, Path dir) {
        Path abs = dir.toAbsolutePath();
        EncoderConfig c = model.config();
        HuggingFaceLayout layout = HuggingFaceLayout.of(c.modelType());
        int h = c.hiddenSize();
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            String name = e.getKey();
            float[] values = e.getValue().toFloatArray();
            long[] shape = e.getValue().getShape().getShape();
            if (name.contains(".attention.self.qkv.")) {
                String suffix = name.substring(name.indexOf("qkv.") + 4);
                String base = name.substring(0, name.indexOf("qkv."));
                String[] parts = {"query", "key", "value"};
                int part = values.length / 3;
                for (int i = 0; i < 3; i++) {
                    String hf = layout.basePrefix + layout.name(base + parts[i] + "." + suffix);
                    data.put(hf, Arrays.copyOfRange(values, i * part, (i + 1) * part));
                    shapes.put(hf, suffix.startsWith("weight") ? new long[] {h, h} : new long[] {h});
                }
            } else {
                String hf = HuggingFaceLayout.isHead(name) ? layout.name(name) : layout.basePrefix + layout.name(name);
                data.put(hf, values);
                shapes.put(hf, shape);
            }
        }
        String word = layout.basePrefix + layout.name("bert.embeddings.word_embeddings.weight");
        data.put(layout.decoder(), data.get(word));
        shapes.put(layout.decoder(), shapes.get(word));
        Map<String, Object> cfg = config(c, layout);
        cfg.put("plm4j_seed", model.seed());
        cfg.put("plm4j_lineage", model.lineage().toMaps());
        try {
            AtomicDirectory.write(abs, tmp -> {
                Files.writeString(tmp.resolve(MaskedLanguageModel.CONFIG_FILE), Checkpoints.GSON.toJson(cfg),
                        StandardCharsets.UTF_8);
                Safetensors.write(tmp.resolve(MaskedLanguageModel.WEIGHTS_FILE), data, shapes);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not export the model to " + abs + ": " + e.getMessage(), e);
        }
    }

    /** The family's {@code config.json} keys for {@code c}. */
    static Map<String, Object> config(EncoderConfig c, HuggingFaceLayout layout) {
        if (layout == HuggingFaceLayout.BERT) {
            Map<String, Object> m = c.toHuggingFaceMap();
            m.put("pad_token_id", 0);
            m.put("position_embedding_type", "absolute");
            return m;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of(layout.maskedLmArchitecture));
        m.put("model_type", layout.modelType);
        m.put("plm4j_preset", c.preset());
        m.put("vocab_size", c.vocabSize());
        m.put("initializer_range", c.initializerRange());
        if (layout == HuggingFaceLayout.DISTILBERT) {
            m.put("dim", c.hiddenSize());
            m.put("n_layers", c.layers());
            m.put("n_heads", c.heads());
            m.put("hidden_dim", c.intermediateSize());
            m.put("max_position_embeddings", c.maxPositions());
            m.put("dropout", c.dropout());
            m.put("attention_dropout", c.attentionDropout());
            m.put("activation", "gelu");
            m.put("sinusoidal_pos_embds", false);
            m.put("tie_weights_", true);
            m.put("pad_token_id", 0);
        } else {
            m.put("hidden_size", c.hiddenSize());
            m.put("num_hidden_layers", c.layers());
            m.put("num_attention_heads", c.heads());
            m.put("intermediate_size", c.intermediateSize());
            m.put("hidden_act", "gelu");
            m.put("max_position_embeddings", c.maxPositions() + c.positionOffset());
            m.put("type_vocab_size", c.typeVocabSize());
            m.put("hidden_dropout_prob", c.dropout());
            m.put("attention_probs_dropout_prob", c.attentionDropout());
            m.put("layer_norm_eps", c.layerNormEps());
            m.put("pad_token_id", c.positionOffset() - 1);
            m.put("bos_token_id", 0);
            m.put("eos_token_id", 2);
            m.put("position_embedding_type", "absolute");
        }
        return m;
    }
}
