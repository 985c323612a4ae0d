package org.plm4j.tokenizer;

import com.google.gson.JsonObject;

/**
 * The parts of a Hugging Face {@code tokenizer.json} that plm4j's WordPiece and BPE tokenizers
 * write alike: special-token entries, the BERT normaliser and the BERT pre-tokeniser.
 */
final class HuggingFaceJson {

    private HuggingFaceJson() {
    }

    /** An {@code added_tokens} entry for special token {@code content} with {@code id}. */
    static JsonObject specialToken(int id, String content) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", false);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", false);
        t.addProperty("special", true);
        return t;
    }

    /** {@code BertNormalizer} with the lower-casing and accent-stripping options of {@code config}. */
    static JsonObject bertNormalizer(WordPieceConfig config) {
        JsonObject norm = new JsonObject();
        norm.addProperty("type", "BertNormalizer");
        norm.addProperty("clean_text", true);
        norm.addProperty("handle_chinese_chars", true);
        norm.addProperty("strip_accents", config.stripAccents());
        norm.addProperty("lowercase", config.lowercase());
        return norm;
    }

    /** {@code BertPreTokenizer}: whitespace and punctuation split. */
    static JsonObject bertPreTokenizer() {
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "BertPreTokenizer");
        return pre;
    }

    /**
     * The start of a BERT-style {@code tokenizer.json}: version, no truncation or padding, the
     * special tokens as added tokens, BERT's normaliser and pre-tokeniser.
     */
    static JsonObject root(java.util.List<String> vocab, java.util.function.IntPredicate special,
                           WordPieceConfig config) {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        com.google.gson.JsonArray added = new com.google.gson.JsonArray();
        for (int i = 0; i < vocab.size(); i++) {
            if (special.test(i)) {
                added.add(specialToken(i, vocab.get(i)));
            }
        }
        root.add("added_tokens", added);
        root.add("normalizer", bertNormalizer(config));
        root.add("pre_tokenizer", bertPreTokenizer());
        return root;
    }
}
