package org.plm4j.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Architecture of a BERT-style encoder with a masked-language-model head.
 *
 * <p>Immutable; build one with {@link #builder(int)} or start from a preset ({@link #tiny(int)},
 * {@link #mini(int)}, {@link #small(int)}) and adjust it with {@link #toBuilder()}. Every
 * default lives in {@link Builder}'s field initialisers and nowhere else. The field names
 * follow the Hugging Face {@code BertConfig} keys (see {@link #toHuggingFaceMap()}).
 *
 * @param preset name of the preset this configuration came from, or {@code "custom"}
 * @param vocabSize number of rows of the word-embedding matrix (must cover the tokenizer's ids)
 * @param hiddenSize width of every hidden state
 * @param layers number of transformer layers
 * @param heads attention heads per layer ({@code hiddenSize} must be divisible by it)
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositions longest sequence the position embeddings cover
 * @param typeVocabSize number of token-type (segment) ids
 * @param dropout dropout rate on embeddings, attention output and feed-forward output
 * @param attentionDropout dropout rate on the attention probabilities
 * @param layerNormEps epsilon of every LayerNorm
 * @param initializerRange standard deviation of the (truncated) normal weight initialisation
 * @param modelType the Hugging Face {@code model_type} the weights follow: {@code bert} (plm4j's
 *     own models), {@code roberta} or {@code distilbert} (loaded checkpoints; exported back in
 *     that family's layout)
 * @param positionOffset index of the first position embedding row: 0 for BERT, {@code padding_idx + 1}
 *     for RoBERTa (the embedding matrix then has {@code maxPositions + positionOffset} rows)
 */
public record EncoderConfig(
        String preset,
        int vocabSize,
        int hiddenSize,
        int layers,
        int heads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        float dropout,
        float attentionDropout,
        float layerNormEps,
        float initializerRange,
        String modelType,
        int positionOffset) {

    /** The Hugging Face model types plm4j reads and writes. */
    public static final java.util.List<String> MODEL_TYPES = java.util.List.of("bert", "roberta", "distilbert");

    /** Validates like {@link Builder#build()}; prefer the builder. */
    public EncoderConfig {
        positive("vocabSize", vocabSize);
        positive("hiddenSize", hiddenSize);
        positive("layers", layers);
        positive("heads", heads);
        positive("intermediateSize", intermediateSize);
        positive("maxPositions", maxPositions);
        if (typeVocabSize < 0) {
            throw new IllegalArgumentException("typeVocabSize must be >= 0 (0: no token-type embeddings), got "
                    + typeVocabSize);
        }
        if (positionOffset < 0) {
            throw new IllegalArgumentException("positionOffset must be >= 0, got " + positionOffset);
        }
        if (modelType == null || modelType.isBlank()) {
            modelType = "bert";
        }
        if (!MODEL_TYPES.contains(modelType)) {
            throw new IllegalArgumentException("modelType '" + modelType + "' is not supported; plm4j supports "
                    + MODEL_TYPES);
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + " is not divisible by heads "
                    + heads + "; choose heads among the divisors of hiddenSize (e.g. " + hiddenSize / 64 + " for 64-wide heads)");
        }
        rate("dropout", dropout);
        rate("attentionDropout", attentionDropout);
        if (!(layerNormEps > 0) || Float.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps + " (BERT uses 1e-12)");
        }
        if (!(initializerRange > 0) || Float.isInfinite(initializerRange)) {
            throw new IllegalArgumentException("initializerRange must be > 0, got " + initializerRange + " (BERT uses 0.02)");
        }
        if (preset == null || preset.isBlank()) {
            preset = "custom";
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    private static void rate(String field, float value) {
        if (!(value >= 0f && value < 1f)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }

    /** A builder with every default set; {@code vocabSize} must match the tokenizer. */
    public static Builder builder(int vocabSize) {
        return new Builder().setVocabSize(vocabSize);
    }

    /** Tiny preset for notebooks on a laptop: hidden 128, 2 layers, 2 heads, FFN 512, 128 positions. */
    public static EncoderConfig tiny(int vocabSize) {
        return builder(vocabSize).optHiddenSize(128).optLayers(2).optHeads(2)
                .optIntermediateSize(512).optMaxPositions(128).optPreset("tiny").build();
    }

    /** Mini preset: hidden 256, 4 layers, 4 heads, FFN 1024, 128 positions (the benchmark configuration). */
    public static EncoderConfig mini(int vocabSize) {
        return builder(vocabSize).optHiddenSize(256).optLayers(4).optHeads(4)
                .optIntermediateSize(1024).optMaxPositions(128).optPreset("mini").build();
    }

    /**
     * Small preset: hidden 512, 4 layers, 8 heads, FFN 2048, 512 positions (BERT-small of Turc et
     * al. 2019). The ladder tiny &lt; mini &lt; small has, for an 8,000-word vocabulary, about 1.5 M,
     * 5.3 M and 17 M parameters ({@link #parameterCount()}).
     */
    public static EncoderConfig small(int vocabSize) {
        return builder(vocabSize).optHiddenSize(512).optLayers(4).optHeads(8)
                .optIntermediateSize(2048).optMaxPositions(512).optPreset("small").build();
    }

    /** The presets in increasing size, by name. */
    public static java.util.List<EncoderConfig> presets(int vocabSize) {
        return java.util.List.of(tiny(vocabSize), mini(vocabSize), small(vocabSize));
    }

    /**
     * The preset named {@code name} ({@code tiny}, {@code mini} or {@code small}) for this vocabulary.
     *
     * @throws IllegalArgumentException naming the presets when there is no such one
     */
    public static EncoderConfig preset(String name, int vocabSize) {
        return presets(vocabSize).stream().filter(c -> c.preset().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no encoder preset '" + name + "'; use one of "
                        + presets(vocabSize).stream().map(EncoderConfig::preset).toList()));
    }

    /**
     * Number of trainable scalars of a model with this configuration (tied decoder counted once):
     * embeddings, per layer QKV/output/FFN/LayerNorms, and the MLM head.
     */
    public long parameterCount() {
        long h = hiddenSize;
        long perLayer = 3 * h * h + 3 * h + h * h + h + 2 * h + 2 * h * intermediateSize + intermediateSize + h + 2 * h;
        return (long) vocabSize * h + (long) (maxPositions + positionOffset) * h + (long) typeVocabSize * h + 2 * h
                + layers * perLayer + h * h + h + 2 * h + vocabSize;
    }

    /** A builder holding this configuration's values (its preset becomes "custom" once a size changes). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.preset = preset;
        b.vocabSize = vocabSize;
        b.hiddenSize = hiddenSize;
        b.layers = layers;
        b.heads = heads;
        b.intermediateSize = intermediateSize;
        b.maxPositions = maxPositions;
        b.typeVocabSize = typeVocabSize;
        b.dropout = dropout;
        b.attentionDropout = attentionDropout;
        b.layerNormEps = layerNormEps;
        b.initializerRange = initializerRange;
        b.modelType = modelType;
        b.positionOffset = positionOffset;
        return b;
    }

    /** Width of one attention head. */
    public int headSize() {
        return hiddenSize / heads;
    }

    /** The configuration as Hugging Face {@code BertConfig} keys (for {@code config.json}). */
    public Map<String, Object> toHuggingFaceMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!"bert".equals(modelType)) {
            m.put("plm4j_model_type", modelType);
            m.put("plm4j_position_offset", positionOffset);
        }
        m.put("architectures", java.util.List.of("BertForMaskedLM"));
        m.put("model_type", "bert");
        m.put("plm4j_preset", preset);
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("num_hidden_layers", layers);
        m.put("num_attention_heads", heads);
        m.put("intermediate_size", intermediateSize);
        m.put("hidden_act", "gelu");
        m.put("max_position_embeddings", maxPositions);
        m.put("type_vocab_size", typeVocabSize);
        m.put("hidden_dropout_prob", dropout);
        m.put("attention_probs_dropout_prob", attentionDropout);
        m.put("layer_norm_eps", layerNormEps);
        m.put("initializer_range", initializerRange);
        return m;
    }

    /** Reads the keys written by {@link #toHuggingFaceMap()} (numbers may be any {@link Number}). */
    public static EncoderConfig fromHuggingFaceMap(Map<String, ?> m) {
        Builder b = new Builder();
        b.vocabSize = intKey(m, "vocab_size");
        b.hiddenSize = intKey(m, "hidden_size");
        b.layers = intKey(m, "num_hidden_layers");
        b.heads = intKey(m, "num_attention_heads");
        b.intermediateSize = intKey(m, "intermediate_size");
        b.maxPositions = intKey(m, "max_position_embeddings");
        b.typeVocabSize = intKey(m, "type_vocab_size");
        b.dropout = floatKey(m, "hidden_dropout_prob");
        b.attentionDropout = floatKey(m, "attention_probs_dropout_prob");
        b.layerNormEps = floatKey(m, "layer_norm_eps");
        b.initializerRange = floatKey(m, "initializer_range");
        Object preset = m.get("plm4j_preset");
        b.preset = preset == null ? "custom" : preset.toString();
        if (m.get("plm4j_model_type") instanceof String t) {
            b.modelType = t;
            b.positionOffset = m.get("plm4j_position_offset") instanceof Number n ? n.intValue() : 0;
        }
        Object act = m.get("hidden_act");
        if (act != null && !"gelu".equals(act)) {
            throw new IllegalArgumentException("hidden_act '" + act + "' is not supported; plm4j encoders use 'gelu'");
        }
        return b.build();
    }

    private static int intKey(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config key '" + key + "' is missing or not a number: " + v);
        }
        return n.intValue();
    }

    private static float floatKey(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config key '" + key + "' is missing or not a number: " + v);
        }
        return n.floatValue();
    }

    @Override
    public String toString() {
        return "EncoderConfig[" + preset + (modelType.equals("bert") ? "" : " " + modelType) + ": vocab " + vocabSize + ", hidden " + hiddenSize + ", layers " + layers
                + ", heads " + heads + ", ffn " + intermediateSize + ", positions " + maxPositions + "]";
    }

    /**
     * Builds an {@link EncoderConfig}; the field initialisers are the single place of every default
     * (BERT's: dropout 0.1, LayerNorm eps 1e-12, initializer range 0.02, 2 token types).
     */
    public static final class Builder {
        private String preset = "custom";
        private int vocabSize;
        private int hiddenSize = 128;
        private int layers = 2;
        private int heads = 2;
        private int intermediateSize = 512;
        private int maxPositions = 128;
        private int typeVocabSize = 2;
        private float dropout = 0.1f;
        private float attentionDropout = 0.1f;
        private float layerNormEps = 1e-12f;
        private float initializerRange = 0.02f;
        private String modelType = "bert";
        private int positionOffset = 0;

        private Builder() {}

        public Builder setVocabSize(int v) { vocabSize = v; return this; }
        public Builder optPreset(String v) { preset = v; return this; }
        public Builder optHiddenSize(int v) { hiddenSize = v; preset = "custom"; return this; }
        public Builder optLayers(int v) { layers = v; preset = "custom"; return this; }
        public Builder optHeads(int v) { heads = v; preset = "custom"; return this; }
        public Builder optIntermediateSize(int v) { intermediateSize = v; preset = "custom"; return this; }
        public Builder optMaxPositions(int v) { maxPositions = v; preset = "custom"; return this; }
        public Builder optTypeVocabSize(int v) { typeVocabSize = v; return this; }
        public Builder optDropout(float v) { dropout = v; return this; }
        public Builder optAttentionDropout(float v) { attentionDropout = v; return this; }
        public Builder optLayerNormEps(float v) { layerNormEps = v; return this; }
        public Builder optInitializerRange(float v) { initializerRange = v; return this; }
        /** The Hugging Face model type the weights follow ({@link EncoderConfig#MODEL_TYPES}). */
        public Builder optModelType(String v) { modelType = v; return this; }
        /** Index of the first position embedding row (RoBERTa: {@code padding_idx + 1}). */
        public Builder optPositionOffset(int v) { positionOffset = v; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the offending field and value
         */
        public EncoderConfig build() {
            return new EncoderConfig(preset, vocabSize, hiddenSize, layers, heads, intermediateSize,
                    maxPositions, typeVocabSize, dropout, attentionDropout, layerNormEps, initializerRange, modelType,
                    positionOffset);
        }
    }
}
