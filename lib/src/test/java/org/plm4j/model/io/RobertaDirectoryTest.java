package org.plm4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.embed.EmbedOptions;
import org.plm4j.embed.Embedder;
import org.plm4j.embed.Embeddings;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.tokenizer.JsonTokenizer;

/** A RoBERTa directory with its byte-level BPE tokenizer.json loads through Pretrained.load(Path). */
class RobertaDirectoryTest {

    /** A byte-level BPE tokenizer.json as RoBERTa's: <s>=0 <pad>=1 </s>=2 <unk>=3, letters, Ġ, merges, <mask> last. */
    static String tokenizerJson() {
        List<String> pieces = new java.util.ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>"));
        for (char c = 'a'; c <= 'z'; c++) {
            pieces.add(String.valueOf(c));
        }
        pieces.addAll(List.of("Ġ", "th", "the", "Ġc", "Ġca", "Ġcat", "Ġs", "Ġsa", "Ġsat"));
        JsonObject vocab = new JsonObject();
        for (int i = 0; i < pieces.size(); i++) {
            vocab.addProperty(pieces.get(i), i);
        }
        int mask = pieces.size();
        JsonArray merges = new JsonArray();
        for (String m : List.of("t h", "th e", "Ġ c", "Ġc a", "Ġca t", "Ġ s", "Ġs a", "Ġsa t")) {
            merges.add(m);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", null);
        model.add("unk_token", null);
        model.add("continuing_subword_prefix", null);
        model.add("end_of_word_suffix", null);
        model.addProperty("fuse_unk", false);
        model.add("vocab", vocab);
        model.add("merges", merges);
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "ByteLevel");
        pre.addProperty("add_prefix_space", false);
        pre.addProperty("trim_offsets", true);
        pre.addProperty("use_regex", true);
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        JsonArray added = new JsonArray();
        String[] specials = {"<s>", "<pad>", "</s>", "<unk>"};
        for (int i = 0; i < specials.length; i++) {
            added.add(special(i, specials[i]));
        }
        added.add(special(mask, "<mask>"));
        root.add("added_tokens", added);
        root.add("normalizer", null);
        root.add("pre_tokenizer", pre);
        root.add("post_processor", null);
        JsonObject dec = new JsonObject();
        dec.addProperty("type", "ByteLevel");
        dec.addProperty("add_prefix_space", true);
        dec.addProperty("trim_offsets", true);
        dec.addProperty("use_regex", true);
        root.add("decoder", dec);
        root.add("model", model);
        return root.toString();
    }

    private static JsonObject special(int id, String content) {
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

    @Test
    void byteLevelBpeEncodesWithRobertaSpecialRoles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, tokenizerJson());
        try (JsonTokenizer t = JsonTokenizer.load(file)) {
            assertEquals(40, t.vocabSize());
            assertArrayEquals(new int[] {32, 35, 38}, t.encode("the cat sat"));
            assertEquals(List.of("the", "Ġcat", "Ġsat"), t.tokenize("the cat sat"));
            assertEquals(0, t.clsId());
            assertEquals(1, t.padId());
            assertEquals(2, t.sepId());
            assertEquals(3, t.unkId());
            assertEquals(39, t.maskId());
            assertTrue(t.isSpecial(39) && !t.isSpecial(32));
            assertEquals("Ġcat", t.token(35));
            assertArrayEquals(new int[][] {{32}, {32, 35}}, t.encodeBatch(List.of("the", "the cat")));
        }
    }

    @Test
    void aRobertaDirectoryLoadsWithItsTokenizerAndEmbedsWithoutPaddingEffects(@TempDir Path dir) throws Exception {
        Path ckpt = HuggingFaceCheckpoints.write(dir.resolve("roberta"), HuggingFaceCheckpoints.Layout.ROBERTA_MASKED_LM,
                9, "F32");
        Files.writeString(ckpt.resolve("tokenizer.json"), tokenizerJson());
        try (PretrainedModel pm = Pretrained.load(ckpt)) {
            assertEquals("roberta", pm.model().config().modelType());
            assertEquals(2, pm.model().config().positionOffset());
            assertFalse(pm.model().mlmHeadInitialised());
            List<String> texts = List.of("the cat sat", "the");
            Embeddings together = Embedder.embed(pm, texts, null, EmbedOptions.defaults());
            Embeddings alone = Embedder.embed(pm, texts, null, EmbedOptions.builder().optBatchSize(1).build());
            assertArrayEquals(alone.vector(1), together.vector(1), 1e-5f, "padding of the shorter text leaks in");
        }
    }
}
