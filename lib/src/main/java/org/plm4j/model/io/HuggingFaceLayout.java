package org.plm4j.model.io;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tensor names of one Hugging Face model family, mapped from plm4j's names (the BERT names,
 * {@code bert.} prefix, unfused query/key/value here). Encoder tensors sit under the family's base
 * prefix ({@code bert.}, {@code roberta.}, {@code distilbert.}) in the task models
 * ({@code *ForMaskedLM}, {@code *ForSequenceClassification}) and under none in the bare
 * {@code *Model}.
 */
enum HuggingFaceLayout {
    BERT("bert", "bert.", "BertForMaskedLM", Map.of(
            "cls.predictions.transform.dense.", "cls.predictions.transform.dense.",
            "cls.predictions.transform.LayerNorm.", "cls.predictions.transform.LayerNorm.",
            "cls.predictions.bias", "cls.predictions.bias",
            "decoder", "cls.predictions.decoder.weight",
            "decoderBias", "cls.predictions.decoder.bias")),
    ROBERTA("roberta", "roberta.", "RobertaForMaskedLM", Map.of(
            "cls.predictions.transform.dense.", "lm_head.dense.",
            "cls.predictions.transform.LayerNorm.", "lm_head.layer_norm.",
            "cls.predictions.bias", "lm_head.bias",
            "decoder", "lm_head.decoder.weight",
            "decoderBias", "lm_head.decoder.bias")),
    DISTILBERT("distilbert", "distilbert.", "DistilBertForMaskedLM", Map.of(
            "cls.predictions.transform.dense.", "vocab_transform.",
            "cls.predictions.transform.LayerNorm.", "vocab_layer_norm.",
            "cls.predictions.bias", "vocab_projector.bias",
            "decoder", "vocab_projector.weight",
            "decoderBias", "vocab_projector.bias"));

    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)");
    private static final List<String[]> DISTIL_LAYER = List.of(
            new String[] {"attention.self.query.", "attention.q_lin."},
            new String[] {"attention.self.key.", "attention.k_lin."},
            new String[] {"attention.self.value.", "attention.v_lin."},
            new String[] {"attention.output.dense.", "attention.out_lin."},
            new String[] {"attention.output.LayerNorm.", "sa_layer_norm."},
            new String[] {"intermediate.dense.", "ffn.lin1."},
            new String[] {"output.dense.", "ffn.lin2."},
            new String[] {"output.LayerNorm.", "output_layer_norm."});

    final String modelType;
    final String basePrefix;
    final String maskedLmArchitecture;
    private final Map<String, String> head;

    HuggingFaceLayout(String modelType, String basePrefix, String maskedLmArchitecture, Map<String, String> head) {
        this.modelType = modelType;
        this.basePrefix = basePrefix;
        this.maskedLmArchitecture = maskedLmArchitecture;
        this.head = head;
    }

    static HuggingFaceLayout of(String modelType) {
        for (HuggingFaceLayout l : values()) {
            if (l.modelType.equals(modelType)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The family's name of a plm4j tensor, without the base prefix for encoder tensors: {@code name}
     * is a plm4j encoder name with query/key/value unfused ({@code bert.encoder.layer.0.attention.self.query.weight})
     * or an MLM head name ({@code cls.predictions.*}).
     */
    String name(String name) {
        if (name.startsWith("cls.")) {
            for (Map.Entry<String, String> e : head.entrySet()) {
                if (name.startsWith(e.getKey()) && !e.getKey().startsWith("decoder")) {
                    return e.getValue() + name.substring(e.getKey().length());
                }
            }
            throw new IllegalArgumentException("no " + modelType + " name for " + name);
        }
        String rest = name.substring("bert.".length());
        if (this != DISTILBERT) {
            return rest;
        }
        Matcher m = LAYER.matcher(rest);
        if (!m.matches()) {
            return rest;
        }
        for (String[] r : DISTIL_LAYER) {
            if (m.group(2).startsWith(r[0])) {
                return "transformer.layer." + m.group(1) + "." + r[1] + m.group(2).substring(r[0].length());
            }
        }
        throw new IllegalArgumentException("no distilbert name for " + name);
    }

    /** Whether a plm4j tensor belongs to the MLM head (it is named without the base prefix). */
    static boolean isHead(String name) {
        return name.startsWith("cls.");
    }

    /** The tied decoder weight's name. */
    String decoder() {
        return head.get("decoder");
    }

    /** The decoder bias's name (tied to the output bias; some versions of transformers save only it). */
    String decoderBias() {
        return head.get("decoderBias");
    }
}
