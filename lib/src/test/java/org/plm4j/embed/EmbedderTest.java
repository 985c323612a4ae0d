package org.plm4j.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;
import tech.tablesaw.api.Table;

class EmbedderTest {

    static final List<String> TEXTS = List.of("the cat chases the mouse", "the dog guards the house",
            "a bird", "the farmer plants the seeds every morning and the baker bakes fresh bread");

    @Test
    void meanPoolingIgnoresPaddingSoBatchSizeDoesNotMatter() {
        Tokenizer tok = TestTokenizers.whitespace(TEXTS);
        EncoderConfig cfg = EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(2).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 3)) {
            Embeddings together = Embedder.embed(m, tok, TEXTS, List.of("a", "b", "c", "d"), 4, 32);
            Embeddings alone = Embedder.embed(m, tok, TEXTS, null, 1, 32);
            assertEquals(4, together.size());
            assertEquals(32, together.dimension());
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(alone.vector(i), together.vector(i), 1e-4f, "text " + i);
            }
            assertFalse(java.util.Arrays.equals(together.vector(0), together.vector(1)));
            Table t = together.toTable();
            assertEquals(4, t.rowCount());
            assertEquals(2 + 32, t.columnCount());
            assertEquals("c", t.stringColumn("label").get(2));
            assertEquals(together.vector(3)[5], together.matrix()[3][5], 1e-9);
            assertEquals(List.of("a", "b", "c", "d"), together.labels());
            assertTrue(together.toString().startsWith("Embeddings[4 texts x 32 dimensions, 4 labels]"));
        }
    }

    @Test
    void normalisedEmbeddingsAreUnitLengthAndParallelToTheRawMeans() {
        Tokenizer tok = TestTokenizers.whitespace(TEXTS);
        EncoderConfig cfg = EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(1).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 5)) {
            Embeddings raw = Embedder.embed(m, tok, TEXTS, null, EmbedOptions.builder().optBatchSize(3).build());
            Embeddings unit = Embedder.embed(m, tok, TEXTS, null,
                    EmbedOptions.builder().optBatchSize(3).optNormalize(true).build());
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] r = raw.vector(i);
                float[] u = unit.vector(i);
                double norm = 0;
                double rawNorm = 0;
                for (int j = 0; j < u.length; j++) {
                    norm += u[j] * u[j];
                    rawNorm += r[j] * r[j];
                }
                assertEquals(1.0, norm, 1e-5, "text " + i);
                assertTrue(Math.abs(rawNorm - 1) > 1e-3, "the raw mean is not already unit length");
                assertEquals(1.0, raw.cosine(i, i), 1e-6);
                for (int j = 0; j < u.length; j++) {
                    assertEquals(r[j] / Math.sqrt(rawNorm), u[j], 1e-5, "text " + i + " dim " + j);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> EmbedOptions.builder().optBatchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> EmbedOptions.builder().optMaxLength(1).build());
    }

    @Test
    void nearestNeighboursAndTheHeatMapFollowCosineSimilarity() {
        float[][] v = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {0, 0.8f, 0.2f}};
        Embeddings e = new Embeddings(List.of("a", "a2", "b", "b2"), List.of("x", "x", "y", "y"), v);
        Table nn = e.nearestNeighbours(1);
        assertEquals(4, nn.rowCount());
        assertEquals(List.of("a2", "a", "b2", "b"), nn.stringColumn("neighbour").asList());
        assertEquals(e.cosine(0, 1), nn.doubleColumn("cosine").get(0), 1e-12);
        assertEquals(List.of("x", "x", "y", "y"), nn.stringColumn("neighbour label").asList());
        assertEquals(e.cosine(2, 3), e.cosineSimilarities()[3][2], 1e-12);
        assertEquals(2, e.nearestNeighbours(2).rowCount() / 4);
        assertEquals(List.of("a", "a2"), e.nearestNeighbours(1, 2).stringColumn("text").asList());
        assertEquals(16, e.similarityHeatMap(10).getSeriesMap().get("cosine").getHeatData().size());
        String html = e.toHtml();
        assertTrue(html.contains("<img") && html.contains("nearest neighbours"), html.substring(0, 200));
    }
}
