package org.plm4j.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.model.EncoderConfig;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestCorpora;

/** Imamura & Sumita (2022): add subwords learnt on a new language; grow the embeddings. */
class VocabularyExtensionTest {

    static Corpus spanish(int n) {
        String[] s = {"el gato", "la perra", "el panadero", "la maestra", "el piloto"};
        String[] v = {"persigue", "cocina", "vigila", "lee", "vuela"};
        String[] o = {"el ratón", "la sopa", "la casa", "un libro", "el avión"};
        SplittableRandom r = new SplittableRandom(4);
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add(s[r.nextInt(5)] + " " + v[r.nextInt(5)] + " " + o[r.nextInt(5)] + " cada mañana");
        }
        return Corpus.of("es-" + n, t);
    }

    @Test
    void extensionAddsOnlyMissingPiecesAndGrownModelKeepsOldOutputs() {
        EngineSetup.noGradOnThisThread();
        try (WordPieceTokenizer base = WordPieceTrainer.train(TestCorpora.repetitive(300, 1),
                WordPieceConfig.builder().optVocabSize(120).build())) {
            Corpus es = spanish(300);
            VocabularyExtension ext = VocabularyExtension.extend(base, es, 150);
            System.out.println(ext);
            WordPieceTokenizer grown = ext.tokenizer();
            assertFalse(ext.added().isEmpty());
            assertEquals(base.vocabSize() + ext.added().size(), grown.vocabSize());
            assertTrue(new HashSet<>(base.vocabulary()).stream().noneMatch(ext.added()::contains),
                    "only pieces the base lacks are added");
            assertEquals(base.vocabulary(), grown.vocabulary().subList(0, base.vocabSize()), "old ids unchanged");
            int before = 0;
            int after = 0;
            for (String t : es.texts()) {
                before += base.encode(t).length;
                after += grown.encode(t).length;
            }
            assertTrue(after < before * 0.8, "the new language needs fewer pieces: " + before + " -> " + after);

            EncoderConfig cfg = EncoderConfig.builder(base.vocabSize()).optHiddenSize(32).optLayers(1).optHeads(2)
                    .optIntermediateSize(64).optMaxPositions(32).build();
            try (MaskedLanguageModel old = MaskedLanguageModel.create(cfg, 2);
                 MaskedLanguageModel big = old.withGrownVocabulary(base, grown,
                         MaskedLanguageModel.NewRows.MEAN_OF_PIECES, 9);
                 MaskedLanguageModel rnd = old.withGrownVocabulary(base, grown, MaskedLanguageModel.NewRows.RANDOM, 9)) {
                assertEquals(grown.vocabSize(), big.config().vocabSize());
                int[] ids = base.encode("the cat chases the mouse every morning");
                float[] a = logitsAtAll(old, ids);
                float[] b = logitsAtAll(big, ids);
                int n = ids.length;
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < base.vocabSize(); c++) {
                        assertEquals(a[r * base.vocabSize() + c], b[r * grown.vocabSize() + c], 0f,
                                "old ids keep their exact outputs");
                    }
                }
                // a new row is the mean of the rows of the old pieces that spell it
                String piece = ext.added().stream().filter(p -> !p.startsWith("##") && p.length() > 3).findFirst()
                        .orElseThrow();
                int[] parts = base.encode(piece);
                float[] emb = big.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
                float[] oldEmb = old.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
                int id = grown.id(piece);
                for (int j = 0; j < 32; j++) {
                    double mean = 0;
                    for (int p : parts) {
                        mean += oldEmb[p * 32 + j] / parts.length;
                    }
                    assertEquals(mean, emb[id * 32 + j], 1e-6);
                }
                float[] rEmb = rnd.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
                assertNotEquals(emb[id * 32], rEmb[id * 32]);
                assertEquals("vocabulary-extension", big.lineage().get(big.lineage().size() - 1).kind());
            }
        }
    }

    static float[] logitsAtAll(MaskedLanguageModel m, int[] ids) {
        long[] l = new long[ids.length];
        long[] pos = new long[ids.length];
        float[] mask = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
            pos[i] = i;
            mask[i] = 1f;
        }
        try (NDManager sm = m.manager().newSubManager()) {
            NDArray h = m.hiddenStates(sm.create(l, new Shape(1, ids.length)), sm.create(mask, new Shape(1, ids.length)),
                    false);
            return m.maskedLmLogits(h, sm.create(pos)).toFloatArray();
        }
    }
}
