package org.plm4j.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-pair-encoding tokenizer in Hugging Face's {@code tokenizer.json} format (model type
 * {@code BPE}), trained by {@link BpeTrainer}.
 *
 * <p>Pre-tokenisation is BERT's (whitespace and punctuation split, {@code BertNormalizer}
 * lower-casing and accent stripping as configured), not byte-level: characters never seen in
 * training become [UNK]. Pieces inside a word carry the {@code ##} continuation prefix, as in
 * WordPiece, so whole-word masking works the same way. Encoding goes through DJL's native
 * {@link HuggingFaceTokenizer}; {@link #encodeJava(String)} is plm4j's own view (merges applied
 * by rank), which gives the same ids.
 */
public final class BpeTokenizer implements Tokenizer {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    static final String PREFIX = "##";

    private final WordPieceConfig config;
    private final List<String> vocab;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String[]> merges;
    private final Map<String, Integer> mergeRank = new HashMap<>();
    private final boolean[] special;
    private final BertPreTokenizer pre;
    private final HuggingFaceTokenizer nativeTokenizer;

    BpeTokenizer(WordPieceConfig config, List<String> vocab, List<String[]> merges) {
        this.config = config;
        this.vocab = List.copyOf(vocab);
        this.merges = List.copyOf(merges);
        for (int i = 0; i < vocab.size(); i++) {
            if (ids.put(vocab.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate vocabulary entry '" + vocab.get(i) + "'");
            }
        }
        for (int i = 0; i < merges.size(); i++) {
            mergeRank.put(merges.get(i)[0] + " " + merges.get(i)[1], i);
        }
        special = new boolean[vocab.size()];
        for (String s : config.specialTokens()) {
            Integer id = ids.get(s);
            if (id == null) {
                throw new IllegalArgumentException("the vocabulary lacks the special token " + s);
            }
            special[id] = true;
        }
        pre = new BertPreTokenizer(config.lowercase(), config.stripAccents());
        try {
            Map<String, String> opts = new HashMap<>();
            opts.put("addSpecialTokens", "false");
            opts.put("truncation", "false");
            opts.put("padding", "false");
            opts.put("doLowerCase", "false");
            nativeTokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(toJson().getBytes(StandardCharsets.UTF_8)), opts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the native BPE tokenizer from tokenizer.json", e);
        }
    }

    /** The merges in rank order (each: left, right). */
    public List<String[]> merges() {
        return merges;
    }

    /** The vocabulary in id order. */
    public List<String> vocabulary() {
        return vocab;
    }

    /** The normalisation options and special tokens. */
    public WordPieceConfig config() {
        return config;
    }

    @Override
    public int[] encode(String text) {
        Encoding e = nativeTokenizer.encode(text, false, false);
        long[] l = e.getIds();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    /** plm4j's own encoding: BERT pre-tokenisation, then the merges applied by rank in each word. */
    public int[] encodeJava(String text) {
        List<Integer> out = new ArrayList<>();
        for (String word : pre.words(pre.normalize(text))) {
            for (String piece : bpe(word)) {
                Integer id = ids.get(piece);
                out.add(id == null ? unkId() : id);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The pieces of one pre-tokenised word. */
    List<String> bpe(String word) {
        List<String> sym = new ArrayList<>();
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String c = new String(cps, i, 1);
            sym.add(i == 0 ? c : PREFIX + c);
        }
        while (sym.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < sym.size(); i++) {
                Integer r = mergeRank.get(sym.get(i) + " " + sym.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            sym.set(best, merged(sym.get(best), sym.get(best + 1)));
            sym.remove(best + 1);
        }
        return sym;
    }

    static String merged(String a, String b) {
        return a + (b.startsWith(PREFIX) ? b.substring(PREFIX.length()) : b);
    }

    @Override
    public List<String> tokenize(String text) {
        return List.of(nativeTokenizer.encode(text, false, false).getTokens());
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public String token(int id) {
        return vocab.get(id);
    }

    @Override
    public int id(String token) {
        Integer i = ids.get(token);
        return i == null ? -1 : i;
    }

    @Override
    public int padId() {
        return ids.get(config.padToken());
    }

    @Override
    public int unkId() {
        return ids.get(config.unkToken());
    }

    @Override
    public int clsId() {
        return ids.get(config.clsToken());
    }

    @Override
    public int sepId() {
        return ids.get(config.sepToken());
    }

    @Override
    public int maskId() {
        return ids.get(config.maskToken());
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /** The Hugging Face {@code tokenizer.json} text (model type BPE, BERT normaliser and pre-tokeniser). */
    public String toJson() {
        JsonObject root = HuggingFaceJson.root(vocab, i -> config.specialTokens().contains(vocab.get(i)), config);
        root.add("post_processor", null);
        JsonObject dec = new JsonObject();
        dec.addProperty("type", "WordPiece");
        dec.addProperty("prefix", PREFIX);
        dec.addProperty("cleanup", true);
        root.add("decoder", dec);
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", null);
        model.addProperty("unk_token", config.unkToken());
        model.addProperty("continuing_subword_prefix", PREFIX);
        model.add("end_of_word_suffix", null);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        JsonObject v = new JsonObject();
        for (int i = 0; i < vocab.size(); i++) {
            v.addProperty(vocab.get(i), i);
        }
        model.add("vocab", v);
        JsonArray m = new JsonArray();
        for (String[] pair : merges) {
            m.add(pair[0] + " " + pair[1]);
        }
        model.add("merges", m);
        root.add("model", model);
        return GSON.toJson(root);
    }

    /** Writes {@code tokenizer.json} into {@code dir}; returns its path. */
    public Path save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve("tokenizer.json");
            Path tmp = Files.createTempFile(dir, ".tokenizer-", ".json.tmp");
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer.json to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        nativeTokenizer.close();
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + vocab.size() + " pieces, " + merges.size() + " merges, lowercase "
                + config.lowercase() + "]";
    }
}
