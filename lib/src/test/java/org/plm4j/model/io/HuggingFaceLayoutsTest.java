package org.plm4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.model.io.HuggingFaceCheckpoints.Layout;

class HuggingFaceLayoutsTest {

    private static final String PYTHON = "/usr/bin/python3";

    @BeforeAll
    static void noGrad() {
        EngineSetup.noGradOnThisThread();
    }

    /** Two rows, the second padded; BERT-family ids (RoBERTa: <s>=0, </s>=2, <pad>=1). */
    static long[][] ids(Layout layout) {
        int pad = layout.padId();
        return layout.modelType.equals("roberta")
                ? new long[][] {{0, 5, 6, 7, 2, 8, 2}, {0, 9, 11, 2, pad, pad, pad}}
                : new long[][] {{2, 5, 6, 7, 3, 8, 3}, {2, 9, 11, 3, pad, pad, pad}};
    }

    static float[][] mask() {
        return new float[][] {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}};
    }

    /** Sentence-pair token types for BERT (segment B after the first [SEP]); null for the others. */
    static long[][] types(Layout layout) {
        return layout.modelType.equals("bert") ? new long[][] {{0, 0, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, 0, 0}} : null;
    }

    /** [hidden (flat), logits at every position (flat) or null]. */
    static float[][] forward(MaskedLanguageModel m, Layout layout) {
        long[][] ids = ids(layout);
        int b = ids.length;
        int t = ids[0].length;
        try (NDManager sm = m.manager().newSubManager()) {
            NDArray idArr = sm.create(flat(ids), new Shape(b, t));
            NDArray maskArr = sm.create(flat(mask()), new Shape(b, t));
            long[][] types = types(layout);
            NDArray typeArr = types == null ? null : sm.create(flat(types), new Shape(b, t));
            NDArray hidden = m.hiddenStates(idArr, typeArr, maskArr, false);
            long[] all = new long[b * t];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            float[] logits = m.maskedLmLogits(hidden, sm.create(all)).toFloatArray();
            return new float[][] {hidden.toFloatArray(), logits};
        }
    }

    @ParameterizedTest(name = "{0} stored as {1}")
    @CsvSource({"BERT_MODEL, F32", "BERT_MASKED_LM, F16", "BERT_SEQUENCE_CLASSIFICATION, BF16",
            "ROBERTA_MASKED_LM, F32", "DISTILBERT_MODEL, F32", "DISTILBERT_MASKED_LM, BF16"})
    void eachTransformersLayoutLoadsAndMatchesAPyTorchForwardPass(Layout layout, String dtype, @TempDir Path dir)
            throws Exception {
        assumeTrue(torchAvailable(), "python3-torch is not installed (apt-get install python3-torch)");
        Path ckpt = HuggingFaceCheckpoints.write(dir.resolve("ckpt"), layout, 7, dtype);
        try (MaskedLanguageModel m = MaskedLanguageModel.importHuggingFace(ckpt)) {
            assertEquals(layout.modelType, m.config().modelType());
            assertEquals(!layout.hasMlmHead(), m.mlmHeadInitialised(), m.lineage().toString());
            float[][] ours = forward(m, layout);
            JsonObject ref = reference(ckpt, layout, dir);
            float[] hidden = flatten(ref.get("hidden"));
            assertEquals(hidden.length, ours[0].length);
            int h = HuggingFaceCheckpoints.HIDDEN;
            float[][] mask = mask();
            int t = mask[0].length;
            double worst = 0;
            for (int i = 0; i < hidden.length; i++) {
                int pos = i / h;
                if (mask[pos / t][pos % t] == 1f) {
                    worst = Math.max(worst, Math.abs(hidden[i] - ours[0][i]));
                }
            }
            assertTrue(worst < 2e-5, layout + ": hidden states differ from PyTorch by " + worst);
            if (layout.hasMlmHead()) {
                float[] logits = flatten(ref.get("logits"));
                int v = HuggingFaceCheckpoints.VOCAB;
                double worstLogit = 0;
                for (int i = 0; i < logits.length; i++) {
                    int pos = i / v;
                    if (mask[pos / t][pos % t] == 1f) {
                        worstLogit = Math.max(worstLogit, Math.abs(logits[i] - ours[1][i]));
                    }
                }
                assertTrue(worstLogit < 1e-4, layout + ": MLM logits differ from PyTorch by " + worstLogit);
            } else {
                assertTrue(ref.get("logits").isJsonNull());
            }
        }
    }

    @Test
    void theThreeBertLayoutsOfOneEncoderGiveTheSameHiddenStates(@TempDir Path dir) throws Exception {
        float[] base = null;
        for (Layout layout : new Layout[] {Layout.BERT_MODEL, Layout.BERT_MASKED_LM, Layout.BERT_SEQUENCE_CLASSIFICATION}) {
            Path ckpt = HuggingFaceCheckpoints.write(dir.resolve(layout.name()), layout, 11, "F32");
            try (MaskedLanguageModel m = MaskedLanguageModel.importHuggingFace(ckpt)) {
                float[] hidden = forward(m, layout)[0];
                if (base == null) {
                    base = hidden;
                } else {
                    assertArrayEquals(base, hidden, layout + " reads the encoder differently");
                }
            }
        }
    }

    @Test
    void halfPrecisionWeightsAreUpcastNotReinterpreted(@TempDir Path dir) throws Exception {
        Path f32 = HuggingFaceCheckpoints.write(dir.resolve("f32"), Layout.BERT_MASKED_LM, 3, "F32");
        Path f16 = HuggingFaceCheckpoints.write(dir.resolve("f16"), Layout.BERT_MASKED_LM, 3, "F16");
        Path bf16 = HuggingFaceCheckpoints.write(dir.resolve("bf16"), Layout.BERT_MASKED_LM, 3, "BF16");
        try (MaskedLanguageModel a = MaskedLanguageModel.importHuggingFace(f32);
             MaskedLanguageModel b = MaskedLanguageModel.importHuggingFace(f16);
             MaskedLanguageModel c = MaskedLanguageModel.importHuggingFace(bf16)) {
            float[] wa = a.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
            float[] wb = b.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
            float[] wc = c.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
            for (int i = 0; i < wa.length; i++) {
                // truncation to 10 (fp16) or 7 (bf16) mantissa bits
                assertEquals(wa[i], wb[i], Math.abs(wa[i]) * 1e-3 + 1e-4, "fp16 value " + i);
                assertEquals(wa[i], wc[i], Math.abs(wa[i]) * 1e-2 + 1e-4, "bf16 value " + i);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"BERT_MASKED_LM", "ROBERTA_MASKED_LM", "DISTILBERT_MASKED_LM", "BERT_MODEL"})
    void exportAndReimportKeepsTheFamilyLayoutAndTheOutputs(Layout layout, @TempDir Path dir) throws Exception {
        Path ckpt = HuggingFaceCheckpoints.write(dir.resolve("in"), layout, 5, "F32");
        Path out = dir.resolve("out");
        try (MaskedLanguageModel m = MaskedLanguageModel.importHuggingFace(ckpt)) {
            m.exportHuggingFace(out);
            try (MaskedLanguageModel back = MaskedLanguageModel.importHuggingFace(out)) {
                float[][] a = forward(m, layout);
                float[][] b = forward(back, layout);
                assertArrayEquals(a[0], b[0]);
                assertArrayEquals(a[1], b[1]);
                assertEquals(m.lineage(), back.lineage());
                assertEquals(m.mlmHeadInitialised(), back.mlmHeadInitialised());
            }
        }
        String header = header(out.resolve("model.safetensors"));
        String probe = switch (layout.modelType) {
            case "roberta" -> "roberta.encoder.layer.1.attention.self.query.weight\"";
            case "distilbert" -> "distilbert.transformer.layer.1.attention.q_lin.weight\"";
            default -> "bert.encoder.layer.1.attention.self.query.weight\"";
        };
        assertTrue(header.contains(probe), header);
        assertFalse(header.contains("qkv"), header);
        JsonObject cfg = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals(layout.modelType, cfg.get("model_type").getAsString());
    }

    static String header(Path safetensors) throws IOException {
        byte[] bytes = Files.readAllBytes(safetensors);
        long len = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, (int) len, StandardCharsets.UTF_8);
    }

    static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static JsonObject reference(Path ckpt, Layout layout, Path dir) throws Exception {
        Path script = Path.of(HuggingFaceLayoutsTest.class.getResource("reference_forward.py").toURI());
        Path in = dir.resolve("in.json");
        Path out = dir.resolve("out.json");
        Map<String, Object> input = new java.util.LinkedHashMap<>();
        input.put("input_ids", ids(layout));
        input.put("attention_mask", mask());
        input.put("token_type_ids", types(layout));
        Files.writeString(in, new Gson().toJson(input));
        Process p = new ProcessBuilder(PYTHON, script.toString(), ckpt.toString(), in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the PyTorch reference did not finish");
        assertEquals(0, p.exitValue(), "the PyTorch reference failed:\n" + log);
        return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    }

    private static float[] flatten(JsonElement e) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        flatten(e, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(JsonElement e, java.util.List<Float> out) {
        if (e.isJsonArray()) {
            for (JsonElement x : (JsonArray) e) {
                flatten(x, out);
            }
        } else {
            out.add(e.getAsFloat());
        }
    }

    private static long[] flat(long[][] a) {
        return java.util.Arrays.stream(a).flatMapToLong(java.util.Arrays::stream).toArray();
    }

    private static float[] flat(float[][] a) {
        float[] out = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
        }
        return out;
    }

    @Test
    void aMissingMlmHeadIsInitialisedFromTheGivenSeedAndSaidSo(@TempDir Path dir) throws Exception {
        Path ckpt = HuggingFaceCheckpoints.write(dir.resolve("base"), Layout.BERT_MODEL, 4, "F32");
        try (MaskedLanguageModel a = HuggingFaceReader.read(ckpt, 1);
             MaskedLanguageModel b = HuggingFaceReader.read(ckpt, 1);
             MaskedLanguageModel c = HuggingFaceReader.read(ckpt, 2)) {
            String w = "cls.predictions.transform.dense.weight";
            assertArrayEquals(a.parameters().get(w).toFloatArray(), b.parameters().get(w).toFloatArray());
            assertFalse(java.util.Arrays.equals(a.parameters().get(w).toFloatArray(), c.parameters().get(w).toFloatArray()));
            assertTrue(a.mlmHeadInitialised());
            Map<String, String> note = a.lineage().get(a.lineage().size() - 1).toMap();
            assertEquals(MaskedLanguageModel.MLM_HEAD_INITIALISED, note.get("kind"));
            assertEquals("1", note.get("seed"));
            assertTrue(a.lineage().get(0).toMap().get("ignored").contains("pooler.dense.weight"), a.lineage().toString());
            a.recordLineage(org.plm4j.model.Lineage.Step.fromMap(Map.of("kind", "dapt", "steps", "300")));
            assertFalse(a.mlmHeadInitialised(), "training recorded after the initialisation");
        }
    }
}
