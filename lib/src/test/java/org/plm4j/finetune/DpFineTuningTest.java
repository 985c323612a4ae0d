package org.plm4j.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.privacy.PrivacyAccountant;
import org.plm4j.record.Metrics;
import org.plm4j.record.RunRecord;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/** DP-SGD on the classifier layer: clipping, noise, equivalence with SGD, the run record and the budget's checks. */
class DpFineTuningTest {

    static final int B = 48;
    static final int IN = 24;
    static final int HIDDEN = 16;
    static final int CLASSES = 4;

    static NDManager manager;
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = EngineSetup.engine();
        manager = engine.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** A two-layer net (linear, tanh, linear) on inputs of very different scales, with its traces after backward. */
    record Net(NDArray w1, NDArray b1, NDArray w2, NDArray b2, List<DpSgd.LinearTrace> traces, int[] targets) {}

    static NDArray random(NDManager m, SplittableRandom rng, Shape shape, double scale) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return m.create(v, shape);
    }

    /** Forward and summed-loss backward through probes (the DP path). */
    static Net privatePass(NDManager m, long seed) {
        EngineSetup.noGradOnThisThread();
        SplittableRandom rng = new SplittableRandom(seed);
        NDArray a = random(m, rng, new Shape(B, IN), 1.0);
        // rows scaled from 0.01 to 10: some examples' gradients are far above the clipping norm, some far below
        float[] rowScale = new float[B];
        for (int i = 0; i < B; i++) {
            rowScale[i] = (float) Math.pow(10, -2 + 3.0 * i / (B - 1));
        }
        a = a.mul(m.create(rowScale, new Shape(B, 1)));
        NDArray w1 = random(m, rng, new Shape(HIDDEN, IN), 0.3);
        NDArray b1 = random(m, rng, new Shape(HIDDEN), 0.1);
        NDArray w2 = random(m, rng, new Shape(CLASSES, HIDDEN), 0.5);
        NDArray b2 = random(m, rng, new Shape(CLASSES), 0.1);
        int[] targets = new int[B];
        float[] onehot = new float[B * CLASSES];
        for (int i = 0; i < B; i++) {
            targets[i] = rng.nextInt(CLASSES);
            onehot[i * CLASSES + targets[i]] = 1f;
        }
        NDArray y = m.create(onehot, new Shape(B, CLASSES));
        DpSgd.LinearTrace t1 = DpSgd.LinearTrace.of("w1", "b1", a, HIDDEN);
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray h = Linear.linear(a, w1, b1).head().add(t1.probe()).tanh();
            DpSgd.LinearTrace t2 = DpSgd.LinearTrace.of("w2", "b2", h, CLASSES);
            NDArray logits = Linear.linear(h, w2, b2).head().add(t2.probe());
            gc.backward(logits.logSoftmax(1).mul(y).sum().neg());
            EngineSetup.noGradOnThisThread();
            // the second layer's input must not carry the graph into the gradient computation
            return new Net(w1, b1, w2, b2, List.of(t1, new DpSgd.LinearTrace("w2", "b2", h.stopGradient(),
                    t2.probe())), targets);
        }
    }

    @Test
    void everyClippedPerExampleGradientHasNormAtMostTheClippingNormAndTheGhostNormsAreExact() {
        try (NDManager m = manager.newSubManager()) {
            Net net = privatePass(m, 1);
            // explicit per-example gradients (batched outer products) of both layers, weights and biases
            NDArray explicit = null;
            for (DpSgd.LinearTrace t : net.traces()) {
                NDArray w = DpSgd.perExampleWeightGradients(t).square().sum(new int[] {1, 2});
                NDArray b = t.outputGradient().square().sum(new int[] {1});
                explicit = explicit == null ? w.add(b) : explicit.add(w).add(b);
            }
            float[] explicitNorms = explicit.sqrt().toFloatArray();
            float[] ghost = DpSgd.perExampleNorms(net.traces()).toFloatArray();
            float[] sorted = explicitNorms.clone();
            java.util.Arrays.sort(sorted);
            double clip = sorted[B / 2]; // half the examples are clipped

            float[] factors = DpSgd.clipFactors(DpSgd.perExampleNorms(net.traces()), clip).toFloatArray();
            int above = 0;
            for (int i = 0; i < B; i++) {
                assertEquals(explicitNorms[i], ghost[i], 1e-4 * explicitNorms[i] + 1e-7, "ghost norm of example " + i);
                if (explicitNorms[i] > clip) {
                    above++;
                }
                double clipped = explicitNorms[i] * factors[i];
                assertTrue(clipped <= clip * (1 + 1e-5), "example " + i + ": clipped norm " + clipped + " > C " + clip);
                if (explicitNorms[i] <= clip) {
                    assertEquals(1f, factors[i], 0f, "an example within the norm is left alone");
                }
            }
            assertTrue(above > 5 && above < B - 5 && sorted[B - 1] > 3 * clip, "some examples exceed C, some not: " + above + " of " + B);
        }
    }

    @Test
    void withoutNoiseAndWithoutClippingThePrivateGradientIsTheNonPrivateSgdGradientOfTheBatch() {
        try (NDManager m = manager.newSubManager()) {
            Net net = privatePass(m, 2);
            Map<String, NDArray> dp = DpSgd.privateGradients(net.traces(), Double.POSITIVE_INFINITY, 0, B);
            // non-private: autograd on the mean loss of the same batch with the same weights
            NDArray a = net.traces().get(0).input();
            NDArray[] params = {net.w1().duplicate(), net.b1().duplicate(), net.w2().duplicate(), net.b2().duplicate()};
            for (NDArray p : params) {
                p.setRequiresGradient(true);
            }
            float[] onehot = new float[B * CLASSES];
            for (int i = 0; i < B; i++) {
                onehot[i * CLASSES + net.targets()[i]] = 1f;
            }
            NDArray y = m.create(onehot, new Shape(B, CLASSES));
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray h = Linear.linear(a, params[0], params[1]).head().tanh();
                NDArray logits = Linear.linear(h, params[2], params[3]).head();
                gc.backward(logits.logSoftmax(1).mul(y).sum().neg().div(m.create((float) B)));
            }
            EngineSetup.noGradOnThisThread();
            String[] names = {"w1", "b1", "w2", "b2"};
            double lr = 0.1;
            for (int k = 0; k < names.length; k++) {
                float[] sgd = params[k].getGradient().toFloatArray();
                float[] priv = dp.get(names[k]).toFloatArray();
                float[] w = params[k].toFloatArray();
                double maxAbs = 0;
                for (float v : sgd) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                assertTrue(maxAbs > 1e-4, names[k] + " has a real gradient");
                for (int i = 0; i < sgd.length; i++) {
                    // the SGD update w - lr g, both ways
                    assertEquals(w[i] - lr * sgd[i], w[i] - lr * priv[i], 1e-6 + 1e-5 * maxAbs * lr, names[k] + "[" + i + "]");
                    assertEquals(sgd[i], priv[i], 1e-5 * maxAbs + 1e-8, names[k] + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void theNoiseMeasuredOverManyStepsHasStandardDeviationSigmaTimesClipOverTheExpectedBatch() {
        double sigma = 1.3;
        double clip = 0.7;
        double expected = 32;
        try (NDManager m = manager.newSubManager()) {
            Net net = privatePass(m, 3);
            Map<String, NDArray> clean = DpSgd.privateGradients(net.traces(), clip, 0, expected);
            double sum = 0;
            double sumSq = 0;
            long n = 0;
            for (int step = 0; step < 200; step++) {
                engine.setRandomSeed(1000 + step);
                try (NDManager sm = m.newSubManager()) {
                    Map<String, NDArray> noisy = DpSgd.privateGradients(net.traces(), clip, sigma, expected);
                    for (Map.Entry<String, NDArray> e : noisy.entrySet()) {
                        e.getValue().attach(sm);
                        float[] d = e.getValue().sub(clean.get(e.getKey())).toFloatArray();
                        for (float v : d) {
                            sum += v;
                            sumSq += (double) v * v;
                            n++;
                        }
                    }
                }
            }
            double mean = sum / n;
            double sd = Math.sqrt(sumSq / n - mean * mean);
            double want = sigma * clip / expected;
            System.out.printf("noise over 200 steps, %d coordinates: sd %.6f, sigma C / expected batch %.6f, mean %.2e%n",
                    n, sd, want, mean);
            assertEquals(want, sd, 0.02 * want);
            assertEquals(0, mean, 5 * want / Math.sqrt(n));
        }
    }

    static LabeledTexts train;
    static LabeledTexts validation;
    static Tokenizer tokenizer;

    static MaskedLanguageModel model() {
        if (train == null) {
            train = TwoStageTest.generate("train", new int[] {700, 700, 600}, 11);
            validation = TwoStageTest.generate("validation", new int[] {30, 30, 30}, 12);
            List<String> all = new ArrayList<>(train.texts());
            all.addAll(validation.texts());
            tokenizer = TestTokenizers.whitespace(all);
        }
        return MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()), 5);
    }

    @Test
    void aPrivateRunTrainsTheClassifierLayerOrTheTopLayerTooAndItsRecordCarriesEpsilonDeltaSigmaClipQAndSteps() {
        try (MaskedLanguageModel model = model()) {
            Privacy budget = Privacy.of(3, 1e-5, 1.0);
            FineTuneConfig base = FineTuneConfig.builder().optEpochs(2).optBatchSize(64).optMaxLength(16)
                    .optPooling(Pooling.MEAN).optLearningRate(1e-2).optFreezeEncoder().optSeed(4).build();
            FineTuneConfig dp = base.toBuilder().optPrivacy(budget).build();
            // a warm-up run, so that neither timed run pays for the first native calls
            FineTuner.builder().setModel(model).setTokenizer(tokenizer).setData(train, validation)
                    .optConfig(base.toBuilder().optEpochs(1).build()).run().classifier().close();
            FineTuneResult nonPrivate = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                    .setData(train, validation).optConfig(base).run();
            FineTuneResult result = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                    .setData(train, validation).optConfig(dp).run();
            try (SequenceClassifier c = result.classifier(); SequenceClassifier np = nonPrivate.classifier()) {
                RunRecord r = result.record();
                int steps = 2 * ((train.size() + 63) / 64);
                double q = 64.0 / train.size();
                double sigma = PrivacyAccountant.sigma(q, 3, steps, 1e-5);
                assertEquals(steps, r.metric(Metrics.DP_STEPS), 0);
                assertEquals(q, r.metric(Metrics.DP_SAMPLING_RATE), 1e-15);
                assertEquals(sigma, r.metric(Metrics.DP_SIGMA), 1e-12);
                assertEquals(1.0, r.metric(Metrics.DP_CLIP), 0);
                assertEquals(1e-5, r.metric(Metrics.DP_DELTA), 0);
                double eps = r.metric(Metrics.DP_EPSILON);
                assertTrue(eps <= 3 && eps > 2.99, "the spent epsilon meets the budget: " + eps);
                assertTrue(result.toString().contains("DP-SGD: (epsilon 3.00, delta 1.00e-05) after " + steps + " steps"),
                        result.toString());
                assertEquals("", nonPrivate.privacy());
                assertEquals(3.0, ((Map<?, ?>) ((Map<?, ?>) r.config().get("finetune")).get("privacy")).get("epsilon"));
                // DP-RAFT's linear probe: the pooler and the encoder stay as they were
                assertArrayEquals(model.parameters().get("bert.encoder.layer.0.attention.self.qkv.weight").toFloatArray(),
                        c.encoder().parameters().get("bert.encoder.layer.0.attention.self.qkv.weight").toFloatArray());
                try (SequenceClassifier initial = SequenceClassifier.create(model, tokenizer, c.labels(), dp)) {
                    assertArrayEquals(initial.headParameters().get(SequenceClassifier.POOLER_W).toFloatArray(),
                            c.headParameters().get(SequenceClassifier.POOLER_W).toFloatArray(), "the pooler is frozen");
                    float[] w0 = initial.headParameters().get(SequenceClassifier.CLASSIFIER_W).toFloatArray();
                    assertTrue(java.util.stream.IntStream.range(0, w0.length).allMatch(i -> w0[i] == 0),
                            "the classifier layer starts at zero");
                }
                float[] w = c.headParameters().get(SequenceClassifier.CLASSIFIER_W).toFloatArray();
                assertTrue(java.util.stream.IntStream.range(0, w.length).anyMatch(i -> w[i] != 0), "the classifier moved");
                double dpTps = r.metric(Metrics.TOKENS_PER_SECOND);
                double npTps = nonPrivate.record().metric(Metrics.TOKENS_PER_SECOND);
                System.out.printf("head only, %d steps of (expected) batch 64, tiny encoder: non-private %.0f tokens/s, "
                                + "DP-SGD %.0f tokens/s (DP takes %.2fx the time per token); validation accuracy "
                                + "non-private %.3f, DP (eps 3) %.3f%n", steps, npTps, dpTps, npTps / dpTps,
                        nonPrivate.validation().accuracy(), result.validation().accuracy());
            }
            // the top layer and the head: the record says so, and the layer below stays frozen
            FineTuneConfig top = base.toBuilder().optTrainableLayers(1).build();
            FineTuneResult npTop = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                    .setData(train, validation).optConfig(top).run();
            FineTuneResult dpTop = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                    .setData(train, validation).optConfig(top.toBuilder().optPrivacy(budget).build()).run();
            try (SequenceClassifier c = dpTop.classifier(); SequenceClassifier np = npTop.classifier()) {
                int last = model.config().layers() - 1;
                String below = "bert.encoder.layer." + (last - 1) + ".attention.self.qkv.weight";
                String topQkv = "bert.encoder.layer." + last + ".attention.self.qkv.weight";
                assertArrayEquals(model.parameters().get(below).toFloatArray(),
                        c.encoder().parameters().get(below).toFloatArray());
                assertFalse(java.util.Arrays.equals(model.parameters().get(topQkv).toFloatArray(),
                        c.encoder().parameters().get(topQkv).toFloatArray()), "the top layer trains privately");
                assertEquals(1, ((Number) ((Map<?, ?>) dpTop.record().config().get("finetune")).get("trainableLayers"))
                        .intValue());
                double npTps = npTop.record().metric(Metrics.TOKENS_PER_SECOND);
                double dpTps = dpTop.record().metric(Metrics.TOKENS_PER_SECOND);
                System.out.printf("top layer + head: non-private %.0f tokens/s, DP-SGD %.0f tokens/s (DP takes %.2fx"
                                + " the time per token); validation accuracy non-private %.3f, DP (eps 3) %.3f%n",
                        npTps, dpTps, npTps / dpTps, npTop.validation().accuracy(), dpTop.validation().accuracy());
            }
        }
    }

    /** Summed (per-example) cross-entropy of {@code logits} against {@code targets}. */
    static NDArray summedLoss(NDManager m, NDArray logits, int[] targets) {
        int c = (int) logits.getShape().get(1);
        float[] onehot = new float[targets.length * c];
        for (int i = 0; i < targets.length; i++) {
            onehot[i * c + targets[i]] = 1f;
        }
        return logits.logSoftmax(1).mul(m.create(onehot, new Shape(targets.length, c))).sum().neg();
    }

    /**
     * Forward through the top {@code k} layers, pooler and classifier of {@code c} for {@code rows}
     * of {@code encoded} (taps null: the plain path), and backward of the summed loss.
     */
    static DpSgd topKBackward(NDManager m, SequenceClassifier c, int[][] encoded, int[] rows, int[] targets, int k,
                              boolean taps) {
        MaskedLanguageModel enc = c.encoder();
        int layers = enc.config().layers();
        org.plm4j.internal.EncodedBatch batch = org.plm4j.internal.EncodedBatch.of(tokenizer, encoded, rows, 16);
        EngineSetup.noGradOnThisThread();
        NDArray mask = batch.maskArray(m);
        NDArray frozen = enc.encoderLayers(enc.embeddings(batch.idsArray(m), false), mask, 0, layers - k, false);
        DpSgd dp = taps ? new DpSgd() : null;
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray hidden = taps ? enc.encoderLayers(frozen, mask, layers - k, layers, false, dp)
                    : enc.encoderLayers(frozen, mask, layers - k, layers, false);
            NDArray input = c.classifierInput(c.pooled(hidden, mask));
            NDArray w = c.headParameters().get(SequenceClassifier.CLASSIFIER_W);
            NDArray b = c.headParameters().get(SequenceClassifier.CLASSIFIER_B);
            NDArray logits = taps ? dp.linear(input, w, b) : Linear.linear(input, w, b).head();
            int[] t = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                t[i] = targets[rows[i]];
            }
            gc.backward(summedLoss(m, logits, t));
        }
        EngineSetup.noGradOnThisThread();
        return dp;
    }

    @Test
    void forTheTopLayersTheBatchedPerExampleNormsMatchEachExampleAloneAndUnclippedNoiselessSumsTheBatchGradient() {
        int k = 1;
        try (MaskedLanguageModel model = model();
             SequenceClassifier c = SequenceClassifier.create(model, tokenizer, List.of("animals", "food", "weather"),
                     FineTuneConfig.builder().optMaxLength(16).build());
             NDManager m = manager.newSubManager()) {
            List<String> texts = train.texts();
            int[][] encoded = tokenizer.encodeBatch(texts);
            int[] targets = train.labelOfEach().subList(0, texts.size()).stream()
                    .mapToInt(l -> List.of("animals", "food", "weather").indexOf(l)).toArray();
            int[] rows = {0, 150, 300, 420, 650, 699, 1};
            int layers = model.config().layers();
            Map<String, NDArray> trainable = new java.util.LinkedHashMap<>();
            c.encoder().parameters().forEach((name, t) -> {
                if (name.startsWith("bert.encoder.layer." + (layers - 1) + ".")) {
                    trainable.put(name, t);
                }
            });
            trainable.put(SequenceClassifier.CLASSIFIER_W, c.headParameters().get(SequenceClassifier.CLASSIFIER_W));
            trainable.put(SequenceClassifier.CLASSIFIER_B, c.headParameters().get(SequenceClassifier.CLASSIFIER_B));
            assertEquals(14, trainable.size(), "QKV, output, two FFN, two LayerNorms, the classifier: " + trainable.keySet());
            // a classifier of larger weights, so that the encoder's gradients weigh in the norms
            EngineSetup.noGradOnThisThread();
            c.headParameters().get(SequenceClassifier.CLASSIFIER_W).muli(50f);
            // one example at a time, plain autograd (the test's loop; the library has none)
            double[] alone = new double[rows.length];
            double[] aloneEncoder = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                try (NDManager sm = m.newSubManager()) {
                    trainable.values().forEach(t -> t.getGradient().muli(0f));
                    topKBackward(sm, c, encoded, new int[] {rows[i]}, targets, k, false);
                    for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                        NDArray g = e.getValue().getGradient();
                        g.attach(sm);
                        double sq = g.square().sum().getFloat();
                        alone[i] += sq;
                        if (e.getKey().startsWith("bert.")) {
                            aloneEncoder[i] += sq;
                        }
                    }
                }
            }
            trainable.values().forEach(t -> t.getGradient().muli(0f));
            DpSgd dp = topKBackward(m, c, encoded, rows, targets, k, true);
            // the plain batch gradient of the summed loss, accumulated on the tensors by the same backward
            Map<String, float[]> batchGradient = new java.util.LinkedHashMap<>();
            trainable.forEach((name, t) -> batchGradient.put(name, t.getGradient().div((float) rows.length).toFloatArray()));
            float[] ghost = DpSgd.perExampleNorms(dp.traces()).toFloatArray();
            float[] ghostEncoder = DpSgd.perExampleNorms(dp.traces().subList(0, dp.traces().size() - 1)).toFloatArray();
            for (int i = 0; i < rows.length; i++) {
                assertEquals(Math.sqrt(alone[i]), ghost[i], 1e-3 * Math.sqrt(alone[i]), "example " + rows[i]);
                assertEquals(Math.sqrt(aloneEncoder[i]), ghostEncoder[i], 1e-3 * Math.sqrt(aloneEncoder[i]),
                        "the encoder layer's part of example " + rows[i]);
                assertTrue(aloneEncoder[i] > 0.01 * alone[i], "the encoder's part is not negligible");
            }
            Map<String, NDArray> priv = DpSgd.privateGradients(dp.traces(), Double.POSITIVE_INFINITY, 0, rows.length);
            assertEquals(trainable.keySet(), priv.keySet());
            for (String name : trainable.keySet()) {
                float[] want = batchGradient.get(name);
                float[] got = priv.get(name).toFloatArray();
                double max = 0;
                for (float v : want) {
                    max = Math.max(max, Math.abs(v));
                }
                assertTrue(max > 0, name + " has a gradient");
                for (int j = 0; j < want.length; j++) {
                    assertEquals(want[j], got[j], 1e-4 * max, name + "[" + j + "]");
                }
            }
            System.out.printf("top-%d per-example gradient norms: %s, of the encoder layer: %s%n", k,
                    java.util.Arrays.toString(ghost), java.util.Arrays.toString(ghostEncoder));
        }
    }

    @Test
    void aBadBudgetIsRefusedWithAMessageNamingTheValueAndWhatToUse() {
        String e = assertThrows(IllegalArgumentException.class, () -> Privacy.of(0, 1e-5, 1)).getMessage();
        assertTrue(e.contains("epsilon") && e.contains("0.0"), e);
        assertThrows(IllegalArgumentException.class, () -> Privacy.of(-1, 1e-5, 1));
        assertThrows(IllegalArgumentException.class, () -> Privacy.of(Double.POSITIVE_INFINITY, 1e-5, 1));
        assertThrows(IllegalArgumentException.class, () -> Privacy.of(Double.NaN, 1e-5, 1));
        e = assertThrows(IllegalArgumentException.class, () -> Privacy.of(3, 1, 1)).getMessage();
        assertTrue(e.contains("delta") && e.contains("1.0") && e.contains("1e-5"), e);
        assertThrows(IllegalArgumentException.class, () -> Privacy.of(3, 0, 1));
        e = assertThrows(IllegalArgumentException.class, () -> Privacy.of(3, 1e-5, 0)).getMessage();
        assertTrue(e.contains("clipping norm") && e.contains("0.0"), e);
        assertThrows(IllegalArgumentException.class, () -> Privacy.of(3, 1e-5, -2));
        e = assertThrows(IllegalArgumentException.class, () -> FineTuneConfig.builder()
                .optPrivacy(Privacy.of(3, 1e-5, 1)).build()).getMessage();
        assertTrue(e.contains("trainableLayers -1") && e.contains("optFreezeEncoder") && e.contains("embeddings"), e);
        e = assertThrows(IllegalArgumentException.class, () -> FineTuneConfig.builder().optFreezeEncoder()
                .optHead(Head.PROTOTYPICAL).optPrivacy(Privacy.of(3, 1e-5, 1)).build()).getMessage();
        assertTrue(e.contains("PROTOTYPICAL"), e);
    }
}
