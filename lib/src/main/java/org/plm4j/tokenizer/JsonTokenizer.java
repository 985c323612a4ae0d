package org.plm4j.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Any Hugging Face {@code tokenizer.json} (e.g. RoBERTa's byte-level BPE) encoded by the native
 * tokenizers library through DJL's {@link HuggingFaceTokenizer}, behind plm4j's {@link Tokenizer}
 * contract: {@link #encode} adds no special tokens, nothing is truncated or padded. The special
 * roles are found by their BERT names ({@code [CLS]} …) or their RoBERTa names ({@code <s>},
 * {@code </s>}, {@code <pad>}, {@code <unk>}, {@code <mask>}).
 *
 * <p>Holds a native handle: {@link #close()} it.
 */
public final class JsonTokenizer implements Tokenizer {

    private static final String[][] ROLES = {
            {"[PAD]", "<pad>"}, {"[UNK]", "<unk>"}, {"[CLS]", "<s>"}, {"[SEP]", "</s>"}, {"[MASK]", "<mask>"}};

    private final Path file;
    private final HuggingFaceTokenizer nativeTokenizer;
    private final String[] byId;
    private final Map<String, Integer> ids;
    private final int[] roles = new int[ROLES.length];
    private final boolean[] special;

    private JsonTokenizer(Path file, HuggingFaceTokenizer nativeTokenizer, String[] byId, Map<String, Integer> ids,
                          boolean[] special) {
        this.file = file;
        this.nativeTokenizer = nativeTokenizer;
        this.byId = byId;
        this.ids = ids;
        this.special = special;
        for (int r = 0; r < ROLES.length; r++) {
            Integer id = null;
            for (String name : ROLES[r]) {
                if (id == null) {
                    id = ids.get(name);
                }
            }
            if (id == null) {
                nativeTokenizer.close();
                throw new IllegalArgumentException(file + " has no special token " + String.join(" or ", ROLES[r])
                        + "; plm4j needs padding, unknown, classification, separator and mask tokens");
            }
            roles[r] = id;
            special[id] = true;
        }
    }

    /**
     * Loads {@code path} (a {@code tokenizer.json} or its directory).
     *
     * @throws IllegalArgumentException if the file is missing, unreadable, or lacks a special role
     */
    public static JsonTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tokenizer file not found: " + file.toAbsolutePath());
        }
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a tokenizer.json: " + e.getMessage(), e);
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonObject model = root.getAsJsonObject("model");
        JsonElement vocab = model == null ? null : model.get("vocab");
        if (vocab != null && vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                ids.put(e.getKey(), e.getValue().getAsInt());
            }
        } else if (vocab != null && vocab.isJsonArray()) {
            // Unigram: [[piece, score], ...]
            int i = 0;
            for (JsonElement e : vocab.getAsJsonArray()) {
                ids.put(e.getAsJsonArray().get(0).getAsString(), i++);
            }
        } else {
            throw new IllegalArgumentException(file.toAbsolutePath() + " has no model.vocab");
        }
        Map<Integer, Boolean> specialIds = new HashMap<>();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement e : root.getAsJsonArray("added_tokens")) {
                JsonObject t = e.getAsJsonObject();
                int id = t.get("id").getAsInt();
                ids.put(t.get("content").getAsString(), id);
                if (t.has("special") && t.get("special").getAsBoolean()) {
                    specialIds.put(id, true);
                }
            }
        }
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] byId = new String[size];
        ids.forEach((t, id) -> byId[id] = t);
        boolean[] special = new boolean[size];
        specialIds.keySet().forEach(id -> special[id] = true);
        Map<String, String> opts = new HashMap<>();
        opts.put("addSpecialTokens", "false");
        opts.put("truncation", "false");
        opts.put("padding", "false");
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(file, opts);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the native tokenizer cannot read " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        return new JsonTokenizer(file.toAbsolutePath(), t, byId, ids, special);
    }

    @Override
    public int[] encode(String text) {
        Encoding e = nativeTokenizer.encode(text, false, false);
        return Arrays.stream(e.getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public int[][] encodeBatch(List<String> texts) {
        Encoding[] es = nativeTokenizer.batchEncode(texts, false, false);
        int[][] out = new int[es.length][];
        for (int i = 0; i < es.length; i++) {
            out[i] = Arrays.stream(es[i].getIds()).mapToInt(Math::toIntExact).toArray();
        }
        return out;
    }

    @Override
    public List<String> tokenize(String text) {
        return List.of(nativeTokenizer.encode(text, false, false).getTokens());
    }

    @Override
    public int vocabSize() {
        return byId.length;
    }

    @Override
    public String token(int id) {
        if (id < 0 || id >= byId.length || byId[id] == null) {
            throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + byId.length);
        }
        return byId[id];
    }

    @Override
    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    @Override
    public int padId() {
        return roles[0];
    }

    @Override
    public int unkId() {
        return roles[1];
    }

    @Override
    public int clsId() {
        return roles[2];
    }

    @Override
    public int sepId() {
        return roles[3];
    }

    @Override
    public int maskId() {
        return roles[4];
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    @Override
    public void close() {
        nativeTokenizer.close();
    }

    @Override
    public String toString() {
        return "JsonTokenizer[" + byId.length + " ids, " + file + "]";
    }
}
