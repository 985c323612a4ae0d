package org.plm4j.tokenizer;

import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * Where a trained vocabulary came from: the corpus (name, size, SHA-256 of its texts), the
 * training settings and time, and the Java runtime. Written next to {@code tokenizer.json} as
 * {@value #FILE_NAME} by {@link WordPieceTokenizer#save(java.nio.file.Path)} so that a run
 * record can name the exact data a tokenizer was learnt from.
 *
 * @param corpusName name of the training corpus
 * @param corpusSize number of texts
 * @param corpusSha256 {@link org.plm4j.corpus.Corpus#sha256()} of the training corpus
 * @param config the training configuration
 * @param vocabSize size of the vocabulary actually obtained (may be below the target)
 * @param trainSeconds wall-clock training time
 * @param javaVersion {@code java.version} of the training JVM
 * @param createdAt ISO-8601 instant at which training finished
 */
public record TokenizerProvenance(String corpusName, int corpusSize, String corpusSha256, WordPieceConfig config,
        int vocabSize, double trainSeconds, String javaVersion, String createdAt) {

    /** File name used next to {@code tokenizer.json}. */
    public static final String FILE_NAME = "plm4j-tokenizer.json";

    /** Checks for nulls. */
    public TokenizerProvenance {
        Objects.requireNonNull(corpusName, "corpusName");
        Objects.requireNonNull(corpusSha256, "corpusSha256");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("corpus_name", corpusName);
        o.addProperty("corpus_size", corpusSize);
        o.addProperty("corpus_sha256", corpusSha256);
        JsonObject c = new JsonObject();
        c.addProperty("vocab_size", config.vocabSize());
        c.addProperty("min_frequency", config.minFrequency());
        c.addProperty("lowercase", config.lowercase());
        c.addProperty("strip_accents", config.stripAccents());
        com.google.gson.JsonArray sp = new com.google.gson.JsonArray();
        config.specialTokens().forEach(sp::add);
        c.add("special_tokens", sp);
        c.addProperty("continuing_subword_prefix", config.continuingSubwordPrefix());
        c.addProperty("max_input_chars_per_word", config.maxInputCharsPerWord());
        c.addProperty("pair_score", config.pairScore().name());
        o.add("config", c);
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("train_seconds", trainSeconds);
        o.addProperty("java_version", javaVersion);
        o.addProperty("created_at", createdAt);
        return o;
    }

    static TokenizerProvenance fromJson(JsonObject o) {
        JsonObject c = o.getAsJsonObject("config");
        java.util.List<String> sp = new java.util.ArrayList<>();
        c.getAsJsonArray("special_tokens").forEach(e -> sp.add(e.getAsString()));
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(c.get("vocab_size").getAsInt())
                .optMinFrequency(c.get("min_frequency").getAsInt()).optLowercase(c.get("lowercase").getAsBoolean())
                .optStripAccents(c.get("strip_accents").getAsBoolean()).optSpecialTokens(sp)
                .optContinuingSubwordPrefix(c.get("continuing_subword_prefix").getAsString())
                .optMaxInputCharsPerWord(c.get("max_input_chars_per_word").getAsInt())
                .optPairScore(PairScore.valueOf(c.get("pair_score").getAsString())).build();
        return new TokenizerProvenance(o.get("corpus_name").getAsString(), o.get("corpus_size").getAsInt(),
                o.get("corpus_sha256").getAsString(), cfg, o.get("vocab_size").getAsInt(),
                o.get("train_seconds").getAsDouble(), o.get("java_version").getAsString(),
                o.get("created_at").getAsString());
    }
}
