package org.plm4j.model.io;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small random checkpoints in the layouts transformers writes: tensor names, shapes and
 * config.json keys of BertModel, BertForMaskedLM, BertForSequenceClassification,
 * RobertaForMaskedLM, DistilBertModel and DistilBertForMaskedLM (tied decoder weights left out,
 * as save_pretrained does). Written here from the transformers model definitions, independently
 * of plm4j's own name mapping.
 */
final class HuggingFaceCheckpoints {

    static final int VOCAB = 50;
    static final int HIDDEN = 16;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int FFN = 32;
    static final int POSITIONS = 20;

    /** A layout: model type, architecture, whether the encoder carries the base prefix, head kind. */
    enum Layout {
        BERT_MODEL("bert", "BertModel"),
        BERT_MASKED_LM("bert", "BertForMaskedLM"),
        BERT_SEQUENCE_CLASSIFICATION("bert", "BertForSequenceClassification"),
        ROBERTA_MASKED_LM("roberta", "RobertaForMaskedLM"),
        DISTILBERT_MODEL("distilbert", "DistilBertModel"),
        DISTILBERT_MASKED_LM("distilbert", "DistilBertForMaskedLM");

        final String modelType;
        final String architecture;

        Layout(String modelType, String architecture) {
            this.modelType = modelType;
            this.architecture = architecture;
        }

        boolean hasMlmHead() {
            return architecture.endsWith("ForMaskedLM");
        }

        int padId() {
            return modelType.equals("roberta") ? 1 : 0;
        }
    }

    private HuggingFaceCheckpoints() {
    }

    /** Writes {@code layout} with weights drawn from {@code seed}, stored as {@code dtype} (F32, F16 or BF16). */
    static Path write(Path dir, Layout layout, long seed, String dtype) throws IOException {
        Files.createDirectories(dir);
        Map<String, long[]> shapes = tensors(layout);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> data = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[(int) n];
            boolean gain = e.getKey().contains("LayerNorm.weight") || e.getKey().contains("layer_norm.weight");
            for (int i = 0; i < v.length; i++) {
                double z = rng.nextGaussian();
                v[i] = (float) (gain ? 1 + 0.1 * z : e.getKey().endsWith("bias") ? 0.1 * z : 0.3 * z);
            }
            data.put(e.getKey(), v);
        }
        writeSafetensors(dir.resolve("model.safetensors"), data, shapes, dtype, layout);
        Files.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create()
                .toJson(config(layout, dtype)), StandardCharsets.UTF_8);
        return dir;
    }

    static Map<String, long[]> tensors(Layout layout) {
        Map<String, long[]> t = new LinkedHashMap<>();
        boolean prefixed = !layout.architecture.endsWith("Model");
        String p = prefixed ? layout.modelType + "." : "";
        int positions = layout.modelType.equals("roberta") ? POSITIONS + 2 : POSITIONS;
        t.put(p + "embeddings.word_embeddings.weight", new long[] {VOCAB, HIDDEN});
        t.put(p + "embeddings.position_embeddings.weight", new long[] {positions, HIDDEN});
        if (!layout.modelType.equals("distilbert")) {
            t.put(p + "embeddings.token_type_embeddings.weight",
                    new long[] {layout.modelType.equals("roberta") ? 1 : 2, HIDDEN});
        }
        t.put(p + "embeddings.LayerNorm.weight", new long[] {HIDDEN});
        t.put(p + "embeddings.LayerNorm.bias", new long[] {HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            if (layout.modelType.equals("distilbert")) {
                String l = p + "transformer.layer." + i + ".";
                for (String lin : List.of("attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin")) {
                    t.put(l + lin + ".weight", new long[] {HIDDEN, HIDDEN});
                    t.put(l + lin + ".bias", new long[] {HIDDEN});
                }
                t.put(l + "sa_layer_norm.weight", new long[] {HIDDEN});
                t.put(l + "sa_layer_norm.bias", new long[] {HIDDEN});
                t.put(l + "ffn.lin1.weight", new long[] {FFN, HIDDEN});
                t.put(l + "ffn.lin1.bias", new long[] {FFN});
                t.put(l + "ffn.lin2.weight", new long[] {HIDDEN, FFN});
                t.put(l + "ffn.lin2.bias", new long[] {HIDDEN});
                t.put(l + "output_layer_norm.weight", new long[] {HIDDEN});
                t.put(l + "output_layer_norm.bias", new long[] {HIDDEN});
            } else {
                String l = p + "encoder.layer." + i + ".";
                for (String lin : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                        "attention.output.dense")) {
                    t.put(l + lin + ".weight", new long[] {HIDDEN, HIDDEN});
                    t.put(l + lin + ".bias", new long[] {HIDDEN});
                }
                t.put(l + "attention.output.LayerNorm.weight", new long[] {HIDDEN});
                t.put(l + "attention.output.LayerNorm.bias", new long[] {HIDDEN});
                t.put(l + "intermediate.dense.weight", new long[] {FFN, HIDDEN});
                t.put(l + "intermediate.dense.bias", new long[] {FFN});
                t.put(l + "output.dense.weight", new long[] {HIDDEN, FFN});
                t.put(l + "output.dense.bias", new long[] {HIDDEN});
                t.put(l + "output.LayerNorm.weight", new long[] {HIDDEN});
                t.put(l + "output.LayerNorm.bias", new long[] {HIDDEN});
            }
        }
        switch (layout) {
            case BERT_MODEL -> {
                t.put("pooler.dense.weight", new long[] {HIDDEN, HIDDEN});
                t.put("pooler.dense.bias", new long[] {HIDDEN});
            }
            case BERT_SEQUENCE_CLASSIFICATION -> {
                t.put("bert.pooler.dense.weight", new long[] {HIDDEN, HIDDEN});
                t.put("bert.pooler.dense.bias", new long[] {HIDDEN});
                t.put("classifier.weight", new long[] {3, HIDDEN});
                t.put("classifier.bias", new long[] {3});
            }
            case BERT_MASKED_LM -> {
                t.put("cls.predictions.bias", new long[] {VOCAB});
                t.put("cls.predictions.transform.dense.weight", new long[] {HIDDEN, HIDDEN});
                t.put("cls.predictions.transform.dense.bias", new long[] {HIDDEN});
                t.put("cls.predictions.transform.LayerNorm.weight", new long[] {HIDDEN});
                t.put("cls.predictions.transform.LayerNorm.bias", new long[] {HIDDEN});
            }
            case ROBERTA_MASKED_LM -> {
                t.put("lm_head.bias", new long[] {VOCAB});
                t.put("lm_head.dense.weight", new long[] {HIDDEN, HIDDEN});
                t.put("lm_head.dense.bias", new long[] {HIDDEN});
                t.put("lm_head.layer_norm.weight", new long[] {HIDDEN});
                t.put("lm_head.layer_norm.bias", new long[] {HIDDEN});
            }
            case DISTILBERT_MASKED_LM -> {
                t.put("vocab_transform.weight", new long[] {HIDDEN, HIDDEN});
                t.put("vocab_transform.bias", new long[] {HIDDEN});
                t.put("vocab_layer_norm.weight", new long[] {HIDDEN});
                t.put("vocab_layer_norm.bias", new long[] {HIDDEN});
                t.put("vocab_projector.bias", new long[] {VOCAB});
            }
            default -> { }
        }
        return t;
    }

    static Map<String, Object> config(Layout layout, String dtype) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of(layout.architecture));
        String torchDtype = switch (dtype) {
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            default -> "float32";
        };
        if (layout.modelType.equals("distilbert")) {
            c.put("activation", "gelu");
            c.put("attention_dropout", 0.1);
            c.put("dim", HIDDEN);
            c.put("dropout", 0.1);
            c.put("hidden_dim", FFN);
            c.put("initializer_range", 0.02);
            c.put("max_position_embeddings", POSITIONS);
            c.put("model_type", "distilbert");
            c.put("n_heads", HEADS);
            c.put("n_layers", LAYERS);
            c.put("pad_token_id", 0);
            c.put("qa_dropout", 0.1);
            c.put("seq_classif_dropout", 0.2);
            c.put("sinusoidal_pos_embds", false);
            c.put("tie_weights_", true);
            c.put("torch_dtype", torchDtype);
            c.put("transformers_version", "4.40.0");
            c.put("vocab_size", VOCAB);
            return c;
        }
        boolean roberta = layout.modelType.equals("roberta");
        c.put("attention_probs_dropout_prob", 0.1);
        if (roberta) {
            c.put("bos_token_id", 0);
            c.put("eos_token_id", 2);
        }
        c.put("classifier_dropout", null);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", 0.1);
        c.put("hidden_size", HIDDEN);
        if (layout == Layout.BERT_SEQUENCE_CLASSIFICATION) {
            c.put("id2label", Map.of("0", "LABEL_0", "1", "LABEL_1", "2", "LABEL_2"));
            c.put("label2id", Map.of("LABEL_0", 0, "LABEL_1", 1, "LABEL_2", 2));
        }
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", FFN);
        c.put("layer_norm_eps", roberta ? 1e-5 : 1e-12);
        c.put("max_position_embeddings", roberta ? POSITIONS + 2 : POSITIONS);
        c.put("model_type", layout.modelType);
        c.put("num_attention_heads", HEADS);
        c.put("num_hidden_layers", LAYERS);
        c.put("pad_token_id", roberta ? 1 : 0);
        c.put("position_embedding_type", "absolute");
        c.put("torch_dtype", torchDtype);
        c.put("transformers_version", "4.40.0");
        c.put("type_vocab_size", roberta ? 1 : 2);
        c.put("use_cache", true);
        c.put("vocab_size", VOCAB);
        return c;
    }

    /** safetensors in the given dtype; BertModel also gets the old {@code position_ids} buffer (I64). */
    private static void writeSafetensors(Path file, Map<String, float[]> data, Map<String, long[]> shapes,
                                         String dtype, Layout layout) throws IOException {
        int width = dtype.equals("F32") ? 4 : 2;
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long off = 0;
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            long bytes = (long) e.getValue().length * width;
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":")
                    .append(java.util.Arrays.toString(shapes.get(e.getKey())).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(off).append(',').append(off + bytes).append("]}");
            off += bytes;
        }
        boolean positionIds = layout == Layout.BERT_MODEL;
        if (positionIds) {
            header.append(",\"embeddings.position_ids\":{\"dtype\":\"I64\",\"shape\":[1,").append(POSITIONS)
                    .append("],\"data_offsets\":[").append(off).append(',').append(off + 8L * POSITIONS).append("]}");
            off += 8L * POSITIONS;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + h.length + off)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        for (float[] v : data.values()) {
            for (float f : v) {
                switch (dtype) {
                    case "F32" -> buf.putFloat(f);
                    case "BF16" -> buf.putShort((short) (Float.floatToIntBits(f) >>> 16));
                    default -> buf.putShort(toHalf(f));
                }
            }
        }
        if (positionIds) {
            for (long i = 0; i < POSITIONS; i++) {
                buf.putLong(i);
            }
        }
        Files.write(file, buf.array());
    }

    /** Float to IEEE half by truncation (tiny values flush to zero): enough for test weights. */
    static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = (bits >>> 13) & 0x3FF;
        if (exp <= 0) {
            return (short) sign;
        }
        if (exp >= 31) {
            return (short) (sign | 0x7C00);
        }
        return (short) (sign | (exp << 10) | mant);
    }
}
