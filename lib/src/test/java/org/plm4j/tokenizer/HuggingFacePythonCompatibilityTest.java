package org.plm4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.model.EncoderConfig;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;

/**
 * plm4j's artifacts read by Hugging Face's implementations give plm4j's results:
 * <ul>
 *   <li>the saved {@code tokenizer.json}, loaded from disk by Hugging Face's {@code tokenizers}
 *       library (the Rust library Python's {@code tokenizers} wraps, here through DJL), gives the
 *       ids of plm4j's pure-Java encoder;</li>
 *   <li>the exported {@code config.json} + {@code model.safetensors}, read by a plain-PyTorch BERT
 *       forward pass written from Hugging Face's architecture ({@code bert_reference.py}, next to
 *       this class; Debian's {@code python3-torch}, no {@code transformers} needed), gives plm4j's
 *       hidden states and masked-LM logits.</li>
 * </ul>
 */
class HuggingFacePythonCompatibilityTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    @Test
    void savedTokenizerJsonGivesTheSameIdsInHuggingFaceTokenizers() throws IOException {
        List<String> texts = new ArrayList<>(WordPieceTrainerTest.probeStrings());
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(150).optMinFrequency(1).build();
        try (WordPieceTokenizer t = WordPieceTrainer.train(WordPieceTrainerTest.smallCorpus(), cfg)) {
            t.save(tmp.resolve("tok"));
            Path json = Files.list(tmp.resolve("tok")).filter(p -> p.getFileName().toString().equals("tokenizer.json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no tokenizer.json in " + tmp.resolve("tok")));
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "false"))) {
                int unknown = 0;
                for (String s : texts) {
                    long[] ids = hf.encode(s, false, false).getIds();
                    int[] expected = t.view().encode(s);
                    int[] got = new int[ids.length];
                    for (int i = 0; i < ids.length; i++) {
                        got[i] = Math.toIntExact(ids[i]);
                        unknown += got[i] == t.unkId() ? 1 : 0;
                    }
                    assertArrayEquals(expected, got, "ids differ for '" + s + "'");
                }
                assertTrue(unknown > 0, "the probes include text outside the vocabulary");
            }
        }
    }

    @Test
    void exportedWeightsGiveTheSameHiddenStatesAndLogitsInAPlainPyTorchBert() throws Exception {
        assertTrue(Files.isExecutable(PYTHON), "no " + PYTHON + "; sudo apt-get install -y python3-torch python3-numpy");
        EncoderConfig config = EncoderConfig.builder(61).optHiddenSize(32).optLayers(2).optHeads(4)
                .optIntermediateSize(48).optMaxPositions(16).build();
        int batch = 3;
        int length = 9;
        long[] ids = new long[batch * length];
        float[] mask = new float[batch * length];
        int[] realLength = {9, 6, 3};
        SplittableRandom rng = new SplittableRandom(11);
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < length; c++) {
                boolean real = c < realLength[r];
                ids[r * length + c] = real ? rng.nextInt(config.vocabSize()) : 0;
                mask[r * length + c] = real ? 1f : 0f;
            }
        }
        float[] hidden;
        float[] logits;
        try (MaskedLanguageModel model = MaskedLanguageModel.create(config, 5)) {
            // every tensor distinct from its initial value (LayerNorm gains 1, biases 0): a swapped,
            // transposed or untied tensor changes the outputs
            EngineSetup.noGradOnThisThread();
            SplittableRandom noise = new SplittableRandom(7);
            for (NDArray p : model.parameters().values()) {
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (noise.nextGaussian() * 0.1);
                }
                p.set(v);
            }
            model.exportHuggingFace(tmp.resolve("hf"));
            try (NDManager m = model.manager().newSubManager()) {
                NDArray idArray = m.create(ids, new Shape(batch, length));
                NDArray maskArray = m.create(mask, new Shape(batch, length));
                NDArray h = model.hiddenStates(idArray, maskArray, false);
                hidden = h.toFloatArray();
                logits = model.maskedLmLogits(h, m.arange(0, batch * length, 1, DataType.INT64)).toFloatArray();
            }
        }
        Gson gson = new Gson();
        long[][] idRows = new long[batch][length];
        float[][] maskRows = new float[batch][length];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(ids, r * length, idRows[r], 0, length);
            System.arraycopy(mask, r * length, maskRows[r], 0, length);
        }
        Files.writeString(tmp.resolve("input.json"), gson.toJson(Map.of("input_ids", idRows, "attention_mask", maskRows)));
        Path script = tmp.resolve("bert_reference.py");
        try (InputStream in = getClass().getResourceAsStream("bert_reference.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), tmp.resolve("hf").toString(),
                tmp.resolve("input.json").toString(), tmp.resolve("reference.json").toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the reference did not finish in 120 s");
        assertEquals(0, p.exitValue(), "the PyTorch reference failed (it needs python3-torch and python3-numpy: "
                + "sudo apt-get install -y python3-torch python3-numpy):\n" + log);
        JsonObject ref = gson.fromJson(Files.readString(tmp.resolve("reference.json")), JsonObject.class);
        float[] refHidden = gson.fromJson(ref.get("hidden"), float[].class);
        float[] refLogits = gson.fromJson(ref.get("logits"), float[].class);
        assertEquals(batch * length * config.hiddenSize(), refHidden.length);
        assertEquals(batch * length * config.vocabSize(), refLogits.length);
        assertClose(refHidden, hidden, 1e-4, "last hidden states");
        assertClose(refLogits, logits, 1e-4, "masked-LM logits");
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        System.out.printf("%s: largest difference %.2e (largest value %.2f)%n", what, worst, scale);
        assertTrue(worst <= tolerance * Math.max(1, scale), what + " differ from the PyTorch reference by up to " + worst);
    }
}
