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
}
