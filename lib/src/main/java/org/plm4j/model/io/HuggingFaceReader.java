package org.plm4j.model.io;

import org.plm4j.model.Lineage;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;

/**
 * Reads a Hugging Face model directory ({@code config.json} + {@code model.safetensors}) of
 * {@code model_type} bert, roberta or distilbert, in any of the layouts transformers writes: the
 * bare encoder ({@code BertModel}: no prefix), {@code *ForMaskedLM} (base prefix plus the MLM
 * head) and {@code *ForSequenceClassification} (base prefix, pooler/classifier ignored).
 * Query/key/value are fused into plm4j's layout; F16/BF16 weights are upcast to F32. A checkpoint
 * without an MLM head gets a freshly initialised one, seeded, and a lineage entry of kind
 * {@value MaskedLanguageModel#MLM_HEAD_INITIALISED}.
 */
public final class HuggingFaceReader {

    /** Seed of the MLM head initialised for a checkpoint that has none, unless one is given. */
    public static final long DEFAULT_HEAD_SEED = 42L;

    private HuggingFaceReader() {
    }

    /** {@link #read(Path, long)} with {@link #DEFAULT_HEAD_SEED}. */
    public static MaskedLanguageModel read(Path dir) {
        return read(dir, DEFAULT_HEAD_SEED);
    }

    /**
     * Reads the model in {@code dir}.
     *
     * @param headSeed seed of a freshly initialised MLM head (used only when the checkpoint has none)
     * @throws CheckpointException if a file is missing or corrupt, the architecture is not
     *     supported (the message names its model_type), or a tensor is missing or misshapen
     */
    public static MaskedLanguageModel read(Path dir, long headSeed) {
        Path abs = dir.toAbsolutePath();
        Path cfgFile = abs.resolve(MaskedLanguageModel.CONFIG_FILE);
        Path weights = abs.resolve(MaskedLanguageModel.WEIGHTS_FILE);
        if (!Files.isRegularFile(cfgFile)) {
            throw new CheckpointException("no Hugging Face model in " + abs + ": " + MaskedLanguageModel.CONFIG_FILE
                    + " is missing (expected config.json and model.safetensors)");
        }
        Map<String, Object> m = Checkpoints.readJson(cfgFile);
        EncoderConfig config = config(m, cfgFile);
        if (!Files.isRegularFile(weights)) {
            boolean bin = Files.isRegularFile(abs.resolve("pytorch_model.bin"));
            throw new CheckpointException("no " + MaskedLanguageModel.WEIGHTS_FILE + " in " + abs
                    + (bin ? ": only pytorch_model.bin is there; plm4j reads safetensors, save the model with "
                            + "save_pretrained(dir, safe_serialization=True)" : ""));
        }
        HuggingFaceLayout layout = HuggingFaceLayout.of(config.modelType());
        Map<String, Shape> expected = MaskedLanguageModel.tensorShapes(config);
        Map<String, float[]> data = new LinkedHashMap<>();
        List<Map<String, String>> lineage = new ArrayList<>(Checkpoints.lineage(m));
        boolean headInitialised;
        try (Safetensors.Reader r = new Safetensors.Reader(weights, "the file is corrupt, write it again")) {
            Set<String> unused = new LinkedHashSet<>(r.entries().keySet());
            String prefix = prefix(r, layout, weights);
            int h = config.hiddenSize();
            List<String> headNames = MaskedLanguageModel.mlmHeadTensors();
            long headPresent = headNames.stream()
                    .filter(n -> r.entries().containsKey(layout.name(n))
                            || (n.equals("cls.predictions.bias") && r.entries().containsKey(layout.decoderBias())))
                    .count();
            if (headPresent != 0 && headPresent != headNames.size()) {
                throw new CheckpointException(weights + " holds only " + headPresent + " of the "
                        + headNames.size() + " MLM head tensors " + headNames.stream().map(layout::name).toList()
                        + "; the file is incomplete, write it again");
            }
            headInitialised = headPresent == 0;
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                String name = e.getKey();
                if (HuggingFaceLayout.isHead(name)) {
                    if (headInitialised) {
                        continue;
                    }
                    String hf = layout.name(name);
                    if (!r.entries().containsKey(hf) && name.equals("cls.predictions.bias")) {
                        hf = layout.decoderBias();
                    }
                    data.put(name, tensor(r, hf, e.getValue(), config, unused));
                } else if (name.contains(".attention.self.qkv.")) {
                    String suffix = name.substring(name.indexOf("qkv.") + 4);
                    String base = name.substring(0, name.indexOf("qkv."));
                    float[] all = new float[Math.toIntExact(e.getValue().size())];
                    int off = 0;
                    for (String part : new String[] {"query", "key", "value"}) {
                        Shape ps = suffix.startsWith("weight") ? new Shape(h, h) : new Shape(h);
                        float[] d = tensor(r, prefix + layout.name(base + part + "." + suffix), ps, config, unused);
                        System.arraycopy(d, 0, all, off, d.length);
                        off += d.length;
                    }
                    data.put(name, all);
                } else {
                    data.put(name, tensor(r, prefix + layout.name(name), e.getValue(), config, unused));
                }
            }
            unused.remove(layout.decoder());
            unused.remove(layout.decoderBias());
            if (lineage.isEmpty()) {
                Map<String, String> origin = new LinkedHashMap<>();
                origin.put("kind", "huggingface");
                origin.put("path", abs.toString());
                origin.put("model_type", config.modelType());
                origin.put("architectures", String.valueOf(m.get("architectures")));
                if (!unused.isEmpty()) {
                    origin.put("ignored", String.join(", ", unused));
                }
                lineage.add(origin);
            }
        }
        if (headInitialised) {
            data.putAll(MaskedLanguageModel.initialWeights(config, headSeed, MaskedLanguageModel.mlmHeadTensors()));
            Map<String, String> note = new LinkedHashMap<>();
            note.put("kind", MaskedLanguageModel.MLM_HEAD_INITIALISED);
            note.put("seed", Long.toString(headSeed));
            note.put("reason", "the checkpoint has no masked-LM head; warm it up before training the encoder");
            lineage.add(note);
        }
        long seed = m.get("plm4j_seed") instanceof Number n ? n.longValue() : -1L;
        return MaskedLanguageModel.of(config, data, seed, Lineage.fromMaps(lineage), abs);
    }

    /**
     * The architecture in {@code dir/config.json}, without reading the weights.
     *
     * @throws CheckpointException if the file is missing or unreadable, or its model_type is not supported
     */
    public static EncoderConfig readConfig(Path dir) {
        Path cfgFile = dir.toAbsolutePath().resolve(MaskedLanguageModel.CONFIG_FILE);
        if (!Files.isRegularFile(cfgFile)) {
            throw new CheckpointException("no Hugging Face model in " + dir.toAbsolutePath() + ": "
                    + MaskedLanguageModel.CONFIG_FILE + " is missing (expected config.json and model.safetensors)");
        }
        return config(Checkpoints.readJson(cfgFile), cfgFile);
    }

    /** The base prefix the encoder tensors carry in this file ({@code bert.} etc., or none). */
    private static String prefix(Safetensors.Reader r, HuggingFaceLayout layout, Path weights) {
        String probe = layout.name("bert.embeddings.word_embeddings.weight");
        for (String p : new String[] {layout.basePrefix, ""}) {
            if (r.entries().containsKey(p + probe)) {
                return p;
            }
        }
        List<String> sample = r.entries().keySet().stream().limit(5).toList();
        throw new CheckpointException(weights + " has no tensor '" + layout.basePrefix + probe + "' nor '" + probe
                + "' (its tensors start " + sample + "); it is not a " + layout.modelType + " checkpoint, or it was "
                + "written by plm4j's MaskedLanguageModel.save (read those with MaskedLanguageModel.load)");
    }

    private static float[] tensor(Safetensors.Reader r, String name, Shape shape, EncoderConfig config,
                                  Set<String> unused) {
        Safetensors.Entry e = r.entries().get(name);
        if (e == null) {
            throw new CheckpointException(r.file() + " has no tensor '" + name + "'; it was written for another "
                    + "architecture than " + config);
        }
        if (!new Shape(e.shape()).equals(shape)) {
            throw new CheckpointException("tensor '" + name + "' in " + r.file() + " has shape "
                    + Arrays.toString(e.shape()) + ", expected " + shape + " for " + config
                    + " (config.json and the weights disagree)");
        }
        unused.remove(name);
        return r.floats(name);
    }

    /** The architecture described by a Hugging Face {@code config.json}. */
    static EncoderConfig config(Map<String, Object> m, Path cfgFile) {
        Object type = m.get("model_type");
        HuggingFaceLayout layout = type instanceof String s ? HuggingFaceLayout.of(s) : null;
        if (layout == null) {
            throw new CheckpointException(cfgFile + " describes model_type '" + type + "' (architectures "
                    + m.get("architectures") + "); plm4j reads encoder checkpoints of model_type "
                    + String.join(", ", EncoderConfig.MODEL_TYPES) + " (BERT-family masked-language models)");
        }
        try {
            return switch (layout) {
                case BERT, ROBERTA -> bertLike(m, layout);
                case DISTILBERT -> distilBert(m);
            };
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("cannot read " + cfgFile + ": " + e.getMessage(), e);
        }
    }

    private static EncoderConfig bertLike(Map<String, Object> m, HuggingFaceLayout layout) {
        Object posType = m.get("position_embedding_type");
        if (posType != null && !"absolute".equals(posType)) {
            throw new IllegalArgumentException("position_embedding_type '" + posType
                    + "' is not supported; plm4j reads absolute position embeddings");
        }
        activation(m.get("hidden_act"));
        int offset = 0;
        if (layout == HuggingFaceLayout.ROBERTA) {
            offset = intKey(m, "pad_token_id", 1) + 1;
        }
        EncoderConfig.Builder b = EncoderConfig.builder(intKey(m, "vocab_size", -1))
                .optHiddenSize(intKey(m, "hidden_size", 768))
                .optLayers(intKey(m, "num_hidden_layers", 12))
                .optHeads(intKey(m, "num_attention_heads", 12))
                .optIntermediateSize(intKey(m, "intermediate_size", 3072))
                .optMaxPositions(intKey(m, "max_position_embeddings", 512) - offset)
                .optTypeVocabSize(intKey(m, "type_vocab_size", 2))
                .optDropout(floatKey(m, "hidden_dropout_prob", 0.1f))
                .optAttentionDropout(floatKey(m, "attention_probs_dropout_prob", 0.1f))
                .optLayerNormEps(floatKey(m, "layer_norm_eps", 1e-12f))
                .optInitializerRange(floatKey(m, "initializer_range", 0.02f))
                .optModelType(layout.modelType)
                .optPositionOffset(offset);
        if (m.get("plm4j_preset") instanceof String p) {
            b.optPreset(p);
        }
        return b.build();
    }

    private static EncoderConfig distilBert(Map<String, Object> m) {
        activation(m.get("activation"));
        return EncoderConfig.builder(intKey(m, "vocab_size", -1))
                .optHiddenSize(intKey(m, "dim", 768))
                .optLayers(intKey(m, "n_layers", 6))
                .optHeads(intKey(m, "n_heads", 12))
                .optIntermediateSize(intKey(m, "hidden_dim", 3072))
                .optMaxPositions(intKey(m, "max_position_embeddings", 512))
                .optTypeVocabSize(0)
                .optDropout(floatKey(m, "dropout", 0.1f))
                .optAttentionDropout(floatKey(m, "attention_dropout", 0.1f))
                .optLayerNormEps(1e-12f)
                .optInitializerRange(floatKey(m, "initializer_range", 0.02f))
                .optModelType("distilbert")
                .build();
    }

    private static void activation(Object act) {
        if (act != null && !"gelu".equals(act)) {
            throw new IllegalArgumentException("activation '" + act + "' is not supported; plm4j reads encoders "
                    + "with the exact (erf) 'gelu'");
        }
    }

    private static int intKey(Map<String, Object> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null && dflt >= 0) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config key '" + key + "' is missing or not a number: " + v);
        }
        return n.intValue();
    }

    private static float floatKey(Map<String, Object> m, String key, float dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config key '" + key + "' is not a number: " + v);
        }
        return n.floatValue();
    }
}
