package org.plm4j.model;

import org.plm4j.internal.EngineSetup;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskedLanguageModelTest {

    static final EncoderConfig SMALL = EncoderConfig.builder(50).optHiddenSize(32).optLayers(2).optHeads(4)
            .optIntermediateSize(64).optMaxPositions(16).build();

    @BeforeAll
    static void noGrad() {
        EngineSetup.noGradOnThisThread();
    }

    /** Hidden states for rows of ids (0 = padding), eval mode. */
    static float[] hidden(MaskedLanguageModel m, int[][] rows) {
        int b = rows.length;
        int t = rows[0].length;
        long[] ids = new long[b * t];
        float[] mask = new float[b * t];
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < t; c++) {
                ids[r * t + c] = rows[r][c];
                mask[r * t + c] = rows[r][c] == 0 ? 0f : 1f;
            }
        }
        try (NDManager sm = m.manager().newSubManager()) {
            NDArray out = m.hiddenStates(sm.create(ids, new Shape(b, t)), sm.create(mask, new Shape(b, t)), false);
            assertEquals(new Shape(b, t, m.config().hiddenSize()), out.getShape());
            return out.toFloatArray();
        }
    }

    @Test
    void outputsHaveBatchLengthHiddenShapeAndLogitsOnlyAtMaskedPositions() {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 1); NDManager sm = m.manager().newSubManager()) {
            NDArray ids = sm.create(new long[] {2, 7, 8, 9, 3, 0, 2, 10, 11, 12, 13, 3}, new Shape(2, 6));
            NDArray mask = sm.create(new float[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, new Shape(2, 6));
            NDArray h = m.hiddenStates(ids, mask, true);
            assertEquals(new Shape(2, 6, 32), h.getShape());
            NDArray logits = m.maskedLmLogits(h, sm.create(new long[] {1, 8, 9}));
            assertEquals(new Shape(3, 50), logits.getShape());
            float loss = m.maskedLmLoss(h, sm.create(new long[] {1, 8, 9}), sm.create(new long[] {7, 11, 12})).getFloat();
            // untrained: about ln(vocab)
            assertEquals(Math.log(50), loss, 1.0);
        }
    }

    @Test
    void appendedPaddingDoesNotChangeRealPositions() {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 2)) {
            float[] shortRows = hidden(m, new int[][] {{2, 5, 6, 7, 3}, {2, 9, 3, 0, 0}});
            float[] padded = hidden(m, new int[][] {{2, 5, 6, 7, 3, 0, 0, 0}, {2, 9, 3, 0, 0, 0, 0, 0}});
            int h = 32;
            for (int r = 0; r < 2; r++) {
                int real = r == 0 ? 5 : 3;
                for (int c = 0; c < real; c++) {
                    for (int k = 0; k < h; k++) {
                        assertEquals(shortRows[(r * 5 + c) * h + k], padded[(r * 8 + c) * h + k], 1e-5,
                                "row " + r + " position " + c);
                    }
                }
            }
        }
    }

    @Test
    void theMaskIsWhatHidesPadding() {
        // same ids, but the padding counted as real tokens: outputs must change (the mask test above can fail)
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 2); NDManager sm = m.manager().newSubManager()) {
            NDArray ids = sm.create(new long[] {2, 5, 6, 3, 0, 0}, new Shape(1, 6));
            float[] masked = m.hiddenStates(ids, sm.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(1, 6)), false)
                    .toFloatArray();
            float[] unmasked = m.hiddenStates(ids, sm.create(new float[] {1, 1, 1, 1, 1, 1}, new Shape(1, 6)), false)
                    .toFloatArray();
            assertTrue(Math.abs(masked[0] - unmasked[0]) > 1e-4);
        }
    }

    @Test
    void sameSeedSameWeightsAndInitialisationLooksLikeBert() {
        try (MaskedLanguageModel a = MaskedLanguageModel.create(SMALL, 9);
             MaskedLanguageModel b = MaskedLanguageModel.create(SMALL, 9);
             MaskedLanguageModel c = MaskedLanguageModel.create(SMALL, 10)) {
            String w = "bert.encoder.layer.1.intermediate.dense.weight";
            float[] wa = a.parameters().get(w).toFloatArray();
            assertArrayEquals(wa, b.parameters().get(w).toFloatArray());
            assertFalse(Arrays.equals(wa, c.parameters().get(w).toFloatArray()));
            double sq = 0;
            for (float v : wa) {
                sq += v * v;
                assertTrue(Math.abs(v) <= 0.04f + 1e-6, "truncated at 2 sd");
            }
            double sd = Math.sqrt(sq / wa.length);
            assertEquals(0.0176, sd, 0.002); // sd of a normal truncated at 2 sd: 0.88 * 0.02
            for (float v : a.parameters().get("bert.embeddings.LayerNorm.weight").toFloatArray()) {
                assertEquals(1f, v);
            }
            for (float v : a.parameters().get("cls.predictions.bias").toFloatArray()) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void parameterCountAndToStringReportTheSize() {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(1000), 1)) {
            long h = 128;
            long expected = 1000 * h + 128 * h + 2 * h + 2 * h
                    + 2 * (3 * h * h + 3 * h + h * h + h + 2 * h + 512 * h + 512 + 512 * h + h + 2 * h)
                    + h * h + h + 2 * h + 1000;
            assertEquals(expected, m.parameterCount());
            assertEquals(expected, m.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum());
            assertTrue(m.toString().contains("tiny preset"), m.toString());
            assertTrue(m.toString().contains(String.format("%,d parameters", expected)), m.toString());
        }
    }

    @Test
    void savedAndLoadedModelGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        int[][] rows = {{2, 5, 6, 7, 3}, {2, 9, 3, 0, 0}};
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 4)) {
            float[] before = hidden(m, rows);
            m.save(ckpt);
            m.save(ckpt); // overwriting an existing checkpoint works and leaves no temporary directories
            try (MaskedLanguageModel loaded = MaskedLanguageModel.load(ckpt)) {
                assertEquals(SMALL, loaded.config());
                assertEquals(4, loaded.seed());
                assertArrayEquals(before, hidden(loaded, rows));
                assertEquals(ckpt.toAbsolutePath(), loaded.loadedFrom().orElseThrow());
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the checkpoint directory remains");
        }
        String json = Files.readString(ckpt.resolve(MaskedLanguageModel.CONFIG_FILE));
        assertTrue(json.contains("\"num_hidden_layers\": 2"), json);
    }

    @Test
    void corruptOrForeignCheckpointsFailWithClearMessages(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 4)) {
            m.save(ckpt);
        }
        // weights of another architecture under a config that claims this one
        Path other = dir.resolve("other");
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL.toBuilder().optLayers(1).build(), 4)) {
            m.save(other);
        }
        Files.copy(ckpt.resolve(MaskedLanguageModel.CONFIG_FILE), other.resolve(MaskedLanguageModel.CONFIG_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CheckpointException e1 = assertThrows(CheckpointException.class, () -> MaskedLanguageModel.load(other));
        assertTrue(e1.getMessage().contains("bert.encoder.layer.1"), e1.getMessage());

        byte[] bytes = Files.readAllBytes(ckpt.resolve(MaskedLanguageModel.WEIGHTS_FILE));
        Files.write(ckpt.resolve(MaskedLanguageModel.WEIGHTS_FILE), Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> MaskedLanguageModel.load(ckpt));
        assertTrue(e2.getMessage().contains("corrupt") || e2.getMessage().contains("cannot read"), e2.getMessage());

        Files.writeString(ckpt.resolve(MaskedLanguageModel.CONFIG_FILE), "{\"model_type\": \"gpt2\"}");
        CheckpointException e3 = assertThrows(CheckpointException.class, () -> MaskedLanguageModel.load(ckpt));
        assertTrue(e3.getMessage().contains("gpt2"), e3.getMessage());

        CheckpointException e4 = assertThrows(CheckpointException.class,
                () -> MaskedLanguageModel.load(dir.resolve("missing")));
        assertTrue(e4.getMessage().contains("no plm4j checkpoint"), e4.getMessage());
    }

    @Test
    void huggingFaceTensorsSplitTheFusedProjection() {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 4); NDManager sm = m.manager().newSubManager()) {
            var t = m.huggingFaceTensors(sm);
            NDArray q = t.get("bert.encoder.layer.0.attention.self.query.weight");
            NDArray v = t.get("bert.encoder.layer.0.attention.self.value.bias");
            assertEquals(new Shape(32, 32), q.getShape());
            assertEquals(new Shape(32), v.getShape());
            float[] fused = m.parameters().get("bert.encoder.layer.0.attention.self.qkv.weight").toFloatArray();
            assertArrayEquals(Arrays.copyOfRange(fused, 0, 32 * 32), q.toFloatArray());
            assertTrue(t.containsKey("cls.predictions.decoder.weight"));
            assertFalse(t.keySet().stream().anyMatch(k -> k.contains("qkv")));
        }
    }

    @Test
    void exportedToHuggingFaceAndImportedBackGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        Path hf = dir.resolve("hf");
        int[][] rows = {{2, 5, 6, 7, 3}, {2, 9, 3, 0, 0}};
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 4); NDManager sm = m.manager().newSubManager()) {
            float[] before = hidden(m, rows);
            m.exportHuggingFace(hf);
            try (MaskedLanguageModel back = MaskedLanguageModel.importHuggingFace(hf);
                 NDManager sm2 = back.manager().newSubManager()) {
                assertArrayEquals(before, hidden(back, rows));
                NDArray ids = sm.create(new long[] {2, 5, 6, 7, 3}, new Shape(1, 5));
                NDArray mask = sm.create(new float[] {1, 1, 1, 1, 1}, new Shape(1, 5));
                float[] a = m.maskedLmLogits(m.hiddenStates(ids, mask, false), sm.create(new long[] {1, 3})).toFloatArray();
                NDArray ids2 = sm2.create(new long[] {2, 5, 6, 7, 3}, new Shape(1, 5));
                NDArray mask2 = sm2.create(new float[] {1, 1, 1, 1, 1}, new Shape(1, 5));
                float[] b = back.maskedLmLogits(back.hiddenStates(ids2, mask2, false), sm2.create(new long[] {1, 3}))
                        .toFloatArray();
                assertArrayEquals(a, b);
            }
        }
        // exact Hugging Face BertForMaskedLM names in the safetensors header
        byte[] bytes = Files.readAllBytes(hf.resolve(MaskedLanguageModel.WEIGHTS_FILE));
        long headerLen = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLen, java.nio.charset.StandardCharsets.UTF_8);
        for (String name : new String[] {"bert.embeddings.word_embeddings.weight",
                "bert.encoder.layer.1.attention.self.query.weight", "bert.encoder.layer.1.attention.self.key.bias",
                "bert.encoder.layer.0.attention.self.value.weight", "bert.encoder.layer.0.output.LayerNorm.bias",
                "cls.predictions.transform.dense.weight", "cls.predictions.decoder.weight", "cls.predictions.bias"}) {
            assertTrue(header.contains("\"" + name + "\""), name + " missing in " + header);
        }
        assertFalse(header.contains("qkv"), header);
        String json = Files.readString(hf.resolve(MaskedLanguageModel.CONFIG_FILE));
        assertTrue(json.contains("BertForMaskedLM") && json.contains("\"model_type\": \"bert\""), json);
        // a plm4j checkpoint (fused QKV) is not a Hugging Face export: clear error
        Path own = dir.resolve("own");
        try (MaskedLanguageModel m = MaskedLanguageModel.create(SMALL, 4)) {
            m.save(own);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> MaskedLanguageModel.importHuggingFace(own));
        assertTrue(e.getMessage().contains("attention.self.query"), e.getMessage());
    }
}
