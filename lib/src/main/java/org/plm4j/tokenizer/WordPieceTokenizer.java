package org.plm4j.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A WordPiece tokenizer (BERT-style) over a fixed vocabulary, stored as a Hugging Face
 * {@code tokenizer.json} and encoded by DJL's native {@link HuggingFaceTokenizer} (the Rust
 * {@code tokenizers} library).
 *
 * <p><b>Contract.</b> {@link #encode(String)} returns the ids of the text's own pieces without
 * [CLS]/[SEP] (native call with {@code addSpecialTokens=false}), and never truncates or pads:
 * the caller decides the maximum sequence length (the native tokenizer is built with
 * {@code truncation=false, padding=false}). Special token strings occurring literally in the
 * text (e.g. {@code [MASK]}) map to their ids. Words longer than
 * {@code maxInputCharsPerWord} code points, and words containing a character outside the
 * vocabulary, become [UNK] as a whole (standard WordPiece). Encoding is thread-safe.
 *
 * <p><b>Two encoders, one vocabulary.</b> {@link #view()} is plm4j's pure-Java greedy
 * longest-match-first encoder over the same vocabulary and normalisation; it is the test oracle
 * for the native path and the fallback when the native library cannot load (see
 * {@link #isNative()}).
 *
 * <p>Holds a native handle: {@link #close()} it (try-with-resources) when done.
 */
public final class WordPieceTokenizer implements Tokenizer {

    /** Texts per native batch call: bounds the memory of DJL's per-text {@code Encoding} objects. */
    static final int BATCH_CHUNK = 4096;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final WordPieceConfig config;
    private final List<String> vocab;
    private final WordPieceEncoder view;
    private final HuggingFaceTokenizer nativeTokenizer;
    private final boolean[] special;
    private final TokenizerProvenance provenance;

    WordPieceTokenizer(WordPieceConfig config, List<String> vocab, boolean tryNative) {
        this(config, vocab, tryNative, null);
    }

    WordPieceTokenizer(WordPieceConfig config, List<String> vocab, boolean tryNative, TokenizerProvenance provenance) {
        this.config = config;
        this.provenance = provenance;
        this.vocab = List.copyOf(vocab);
        this.view = new WordPieceEncoder(config, this.vocab);
        this.special = new boolean[this.vocab.size()];
        for (int i = 0; i < config.specialTokens().size(); i++) {
            special[view.specialId(i)] = true;
        }
        this.nativeTokenizer = tryNative ? loadNative(toJson()) : null;
    }

    /**
     * A tokenizer over {@code vocab} (ids = list positions), using the native encoder. The
     * vocabulary must contain the config's special tokens (anywhere; trained vocabularies have
     * them at ids 0..4) and no duplicates.
     *
     * @throws IllegalArgumentException if a special token is missing or an entry is duplicated
     */
    public static WordPieceTokenizer of(WordPieceConfig config, List<String> vocab) {
        return new WordPieceTokenizer(config, vocab, true);
    }

    private static HuggingFaceTokenizer loadNative(String json) {
        Map<String, String> opts = new HashMap<>();
        opts.put("addSpecialTokens", "false");
        opts.put("truncation", "false");
        opts.put("padding", "false");
        opts.put("doLowerCase", "false");
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), opts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the native tokenizer from tokenizer.json", e);
        }
    }

    /** The configuration (normalisation options and special tokens) of this vocabulary. */
    public WordPieceConfig config() {
        return config;
    }

    /** How this vocabulary was trained, if it was trained by plm4j (kept through save/load). */
    public java.util.Optional<TokenizerProvenance> provenance() {
        return java.util.Optional.ofNullable(provenance);
    }

    /** The vocabulary, id order. */
    public List<String> vocabulary() {
        return vocab;
    }

    /** The pure-Java greedy longest-match-first encoder over the same vocabulary. */
    WordPieceEncoder view() {
        return view;
    }

    /** Whether encoding goes through the native Hugging Face tokenizer. */
    public boolean isNative() {
        return nativeTokenizer != null;
    }

    @Override
    public int[] encode(String text) {
        if (nativeTokenizer == null) {
            return view.encode(text);
        }
        return toInt(nativeTokenizer.encode(text, false, false).getIds());
    }

    /**
     * Encodes many texts with the native batch API (parallel in Rust, in chunks of 4096 texts);
     * same ids as {@link #encode(String)} per text.
     *
     * <p>Throughput measured on the 117,659 WordNet glosses (8k vocabulary, 2 shared cores):
     * about 13,000-25,000 texts/s natively, most of it spent crossing JNI and building DJL's
     * {@code Encoding} objects; the pure-Java {@link #view()} gives the same ids (checked by the
     * tests) at about 115,000-230,000 texts/s, so bulk tokenisation for pretraining may call
     * {@code view().encodeBatch(texts)}.
     */
    @Override
    public int[][] encodeBatch(List<String> texts) {
        int[][] out = new int[texts.size()][];
        if (nativeTokenizer == null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = view.encode(texts.get(i));
            }
            return out;
        }
        int chunk = BATCH_CHUNK;
        for (int from = 0; from < out.length; from += chunk) {
            int to = Math.min(out.length, from + chunk);
            Encoding[] enc = nativeTokenizer.batchEncode(texts.subList(from, to), false, false);
            for (int i = from; i < to; i++) {
                out[i] = toInt(enc[i - from].getIds());
            }
        }
        return out;
    }

    @Override
    public List<String> tokenize(String text) {
        if (nativeTokenizer == null) {
            return view.tokenize(text);
        }
        return List.of(nativeTokenizer.encode(text, false, false).getTokens());
    }

    /**
     * Text of the ids: pieces joined with spaces, continuation pieces glued to the previous one,
     * special tokens skipped when {@code skipSpecial}.
     */
    public String decode(int[] ids, boolean skipSpecial) {
        StringBuilder sb = new StringBuilder();
        String p = config.continuingSubwordPrefix();
        for (int id : ids) {
            if (skipSpecial && isSpecial(id)) {
                continue;
            }
            String t = token(id);
            if (t.startsWith(p) && sb.length() > 0) {
                sb.append(t, p.length(), t.length());
            } else {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    private static int[] toInt(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public String token(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IndexOutOfBoundsException("token id " + id + " is outside 0.." + (vocab.size() - 1));
        }
        return vocab.get(id);
    }

    @Override
    public int id(String token) {
        return view.id(token);
    }

    @Override
    public int padId() {
        return view.specialId(0);
    }

    @Override
    public int unkId() {
        return view.specialId(1);
    }

    @Override
    public int clsId() {
        return view.specialId(2);
    }

    @Override
    public int sepId() {
        return view.specialId(3);
    }

    @Override
    public int maskId() {
        return view.specialId(4);
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /** The Hugging Face {@code tokenizer.json} text of this tokenizer. */
    public String toJson() {
        JsonObject root = HuggingFaceJson.root(vocab, i -> special[i], config);
        JsonObject post = new JsonObject();
        post.addProperty("type", "TemplateProcessing");
        String cls = config.clsToken();
        String sep = config.sepToken();
        post.add("single", template(cls, sep, false));
        post.add("pair", template(cls, sep, true));
        JsonObject specials = new JsonObject();
        specials.add(cls, specialEntry(cls, clsId()));
        specials.add(sep, specialEntry(sep, sepId()));
        post.add("special_tokens", specials);
        root.add("post_processor", post);
        JsonObject dec = new JsonObject();
        dec.addProperty("type", "WordPiece");
        dec.addProperty("prefix", config.continuingSubwordPrefix());
        dec.addProperty("cleanup", true);
        root.add("decoder", dec);
        JsonObject model = new JsonObject();
        model.addProperty("type", "WordPiece");
        model.addProperty("unk_token", config.unkToken());
        model.addProperty("continuing_subword_prefix", config.continuingSubwordPrefix());
        model.addProperty("max_input_chars_per_word", config.maxInputCharsPerWord());
        JsonObject v = new JsonObject();
        for (int i = 0; i < vocab.size(); i++) {
            v.addProperty(vocab.get(i), i);
        }
        model.add("vocab", v);
        root.add("model", model);
        return GSON.toJson(root);
    }

    private static JsonArray template(String cls, String sep, boolean pair) {
        JsonArray a = new JsonArray();
        a.add(piece("SpecialToken", cls, 0));
        a.add(piece("Sequence", "A", 0));
        a.add(piece("SpecialToken", sep, 0));
        if (pair) {
            a.add(piece("Sequence", "B", 1));
            a.add(piece("SpecialToken", sep, 1));
        }
        return a;
    }

    private static JsonObject piece(String kind, String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject o = new JsonObject();
        o.add(kind, inner);
        return o;
    }

    private static JsonObject specialEntry(String token, int id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", token);
        JsonArray ids = new JsonArray();
        ids.add(id);
        o.add("ids", ids);
        JsonArray toks = new JsonArray();
        toks.add(token);
        o.add("tokens", toks);
        return o;
    }

    /**
     * Writes {@code tokenizer.json} and {@code vocab.txt} (one piece per line, id order) into
     * {@code dir}, creating it if needed, plus {@value TokenizerProvenance#FILE_NAME} when the
     * tokenizer has a {@link #provenance()}; returns the path of {@code tokenizer.json}.
     */
    public Path save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve("tokenizer.json");
            Files.writeString(json, toJson(), StandardCharsets.UTF_8);
            Files.write(dir.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);
            if (provenance != null) {
                Files.writeString(dir.resolve(TokenizerProvenance.FILE_NAME), GSON.toJson(provenance.toJson()),
                        StandardCharsets.UTF_8);
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer files to " + dir.toAbsolutePath(), e);
        }
    }

    /**
     * Loads a WordPiece {@code tokenizer.json} written by {@link #save(Path)} or by Hugging Face
     * for a BERT-style tokenizer (e.g. {@code bert-base-uncased}, where [PAD] is 0 and [UNK] 100):
     * the special tokens [PAD], [UNK], [CLS], [SEP], [MASK] are found by name, wherever their
     * ids are; other special added tokens are kept as specials. {@code path} may be the file or
     * its directory.
     *
     * @throws IllegalArgumentException if the file is missing or is not a WordPiece tokenizer
     */
    public static WordPieceTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tokenizer file not found: " + file.toAbsolutePath()
                    + " (expected a tokenizer.json written by WordPieceTokenizer.save)");
        }
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
        JsonObject model = root.getAsJsonObject("model");
        if (model == null || !"WordPiece".equals(str(model, "type", ""))) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a WordPiece tokenizer.json (model.type = "
                    + (model == null ? "missing" : str(model, "type", "missing")) + ")");
        }
        JsonObject v = model.getAsJsonObject("vocab");
        String[] byId = new String[v.size()];
        for (Map.Entry<String, JsonElement> e : v.entrySet()) {
            int id = e.getValue().getAsInt();
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new IllegalArgumentException(file + ": vocabulary ids must be 0..n-1 without gaps; bad id " + id);
            }
            byId[id] = e.getKey();
        }
        boolean lower = true;
        boolean strip = true;
        JsonElement n = root.get("normalizer");
        if (n != null && n.isJsonObject()) {
            JsonObject no = n.getAsJsonObject();
            lower = no.has("lowercase") ? no.get("lowercase").getAsBoolean() : true;
            strip = no.has("strip_accents") && !no.get("strip_accents").isJsonNull()
                    ? no.get("strip_accents").getAsBoolean() : lower;
        }
        // special tokens: the five roles by their BERT names, then any other special added tokens
        List<String> specials = new ArrayList<>();
        List<String> others = new ArrayList<>();
        java.util.Set<String> specialNames = new java.util.HashSet<>();
        JsonArray added = root.has("added_tokens") ? root.getAsJsonArray("added_tokens") : new JsonArray();
        for (JsonElement e : added) {
            JsonObject t = e.getAsJsonObject();
            if (t.has("special") && t.get("special").getAsBoolean()) {
                specialNames.add(t.get("content").getAsString());
            }
        }
        for (String role : WordPieceConfig.DEFAULT_SPECIAL_TOKENS) {
            if (!specialNames.contains(role) && !v.has(role)) {
                throw new IllegalArgumentException(file.toAbsolutePath() + " has no special token " + role
                        + "; plm4j needs " + WordPieceConfig.DEFAULT_SPECIAL_TOKENS);
            }
            specials.add(role);
        }
        for (String id : byId) {
            if (specialNames.contains(id) && !specials.contains(id)) {
                others.add(id);
            }
        }
        specials.addAll(others);
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(byId.length).optLowercase(lower)
                .optStripAccents(strip).optSpecialTokens(specials)
                .optContinuingSubwordPrefix(str(model, "continuing_subword_prefix", "##"))
                .optMaxInputCharsPerWord(model.has("max_input_chars_per_word")
                        ? model.get("max_input_chars_per_word").getAsInt()
                        : WordPieceConfig.DEFAULT_MAX_INPUT_CHARS_PER_WORD)
                .build();
        TokenizerProvenance prov = null;
        Path provFile = file.resolveSibling(TokenizerProvenance.FILE_NAME);
        if (Files.isRegularFile(provFile)) {
            try {
                prov = TokenizerProvenance.fromJson(
                        JsonParser.parseString(Files.readString(provFile, StandardCharsets.UTF_8)).getAsJsonObject());
                cfg = cfg.toBuilder().optMinFrequency(prov.config().minFrequency())
                        .optPairScore(prov.config().pairScore()).build();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read " + provFile.toAbsolutePath()
                        + " (delete it to load the tokenizer without provenance)", e);
            }
        }
        return new WordPieceTokenizer(cfg, Arrays.asList(byId), true, prov);
    }

    private static String str(JsonObject o, String key, String dflt) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsString();
    }

    @Override
    public void close() {
        if (nativeTokenizer != null) {
            nativeTokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "WordPieceTokenizer[vocab=" + vocab.size() + ", lowercase=" + config.lowercase() + ", stripAccents="
                + config.stripAccents() + ", native=" + isNative() + "]";
    }
}
