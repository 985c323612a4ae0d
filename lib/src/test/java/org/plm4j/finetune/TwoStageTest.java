package org.plm4j.finetune;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.train.Evaluation;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingProgress;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Stage 1 of two-stage fine-tuning on a small generated, imbalanced task (60 / 15 / 4 examples):
 * which tensors it trains, and the LDAM loss it optimises.
 */
class TwoStageTest {

    static final String[] LABELS = {"animals", "food", "weather"};
    static final int[] COUNTS = {60, 15, 4};
    static final String[][] WORDS = {
        {"cat", "dog", "horse", "bird", "mouse", "fox"},
        {"bread", "soup", "cheese", "apple", "rice", "cake"},
        {"rain", "snow", "wind", "storm", "cloud", "sun"},
    };
    static final String[] FILLER = {"the", "a", "is", "was", "very", "today", "near", "big"};

    static LabeledTexts train;
    static LabeledTexts validation;
    static Tokenizer tokenizer;
    static MaskedLanguageModel model;

    static LabeledTexts generate(String name, int[] counts, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                StringBuilder sb = new StringBuilder();
                int n = 4 + rng.nextInt(6);
                for (int j = 0; j < n; j++) {
                    String[] pool = rng.nextInt(3) == 0 ? WORDS[c] : FILLER;
                    sb.append(j == 0 ? "" : " ").append(pool[rng.nextInt(pool.length)]);
                }
                texts.add(sb.toString());
                labels.add(LABELS[c]);
            }
        }
        return LabeledTexts.of(name, texts, labels);
    }

    @BeforeAll
    static void setUp() {
        train = generate("train", COUNTS, 1);
        validation = generate("validation", new int[] {6, 6, 6}, 2);
        List<String> all = new ArrayList<>(train.texts());
        all.addAll(validation.texts());
        tokenizer = TestTokenizers.whitespace(all);
        // no dropout anywhere: a training forward pass then equals the inference pass
        model = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()).toBuilder().optLayers(3)
                .optDropout(0f).optAttentionDropout(0f).build(), 3);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    /**
     * One epoch per stage in batches of {@code batchSize}. (A stage of a single step does not train:
     * the linearly decaying learning rate is 0 at a stage's last step.)
     */
    static FineTuneConfig.Builder config(TwoStage stage1, int batchSize) {
        return FineTuneConfig.builder().optEpochs(1).optMaxLength(16).optBatchSize(batchSize).optClassifierDropout(0f)
                .optTwoStage(stage1).optSeed(5);
    }

    /** Runs stage 1 only (cancelled before stage 2's first step) and returns the classifier it leaves. */
    static SequenceClassifier afterStage1(FineTuneConfig config, List<Double> stepLosses) {
        boolean[] stage1Done = {false};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                stepLosses.add(p.loss());
            }

            @Override
            public void onEvaluation(Evaluation e) {
                stage1Done[0] |= e.stage() == 1 && e.epoch() == config.twoStage().epochs();
            }
        };
        FineTuneCancelledException e = assertThrows(FineTuneCancelledException.class, () -> FineTuner.builder()
                .setModel(model).setTokenizer(tokenizer).setData(train, validation).optConfig(config)
                .optListener(listener).optCancel(() -> stage1Done[0]).run());
        assertEquals(List.of(1), e.result().history().stream().map(FineTuneResult.Row::stage).distinct().toList());
        return e.result().classifier();
    }

    static boolean moved(Map<String, float[]> before, SequenceClassifier c, String prefix) {
        boolean any = false;
        int seen = 0;
        for (var p : c.encoder().parameters().entrySet()) {
            if (p.getKey().startsWith(prefix)) {
                seen++;
                any |= !Arrays.equals(before.get(p.getKey()), p.getValue().toFloatArray());
            }
        }
        assertTrue(seen > 0, "no tensor named " + prefix + "*");
        return any;
    }

    static boolean headMoved(SequenceClassifier c, FineTuneConfig config) {
        try (SequenceClassifier start = SequenceClassifier.create(model, tokenizer, c.labels(), config)) {
            boolean any = false;
            for (var p : c.headParameters().entrySet()) {
                any |= !Arrays.equals(start.headParameters().get(p.getKey()).toFloatArray(), p.getValue().toFloatArray());
            }
            return any;
        }
    }

    @Test
    void stageOneTrainsOnlyTheHeadAndTheTopLayersItIsGiven() {
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        model.parameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
        FineTuneConfig top1 = config(TwoStage.DEFAULT, 16).build();
        assertEquals(1, top1.twoStage().trainableLayers());
        try (SequenceClassifier c = afterStage1(top1, new ArrayList<>())) {
            assertFalse(moved(before, c, "bert.embeddings."), "embeddings are frozen in stage 1");
            assertFalse(moved(before, c, "bert.encoder.layer.0."), "layer 0 is frozen in stage 1");
            assertFalse(moved(before, c, "bert.encoder.layer.1."), "layer 1 is frozen in stage 1");
            assertTrue(moved(before, c, "bert.encoder.layer.2."), "the top layer trains in stage 1");
            assertTrue(headMoved(c, top1), "the head trains in stage 1");
        }
        TwoStage headOnly = new TwoStage(1, 1e-3, 0, ClassWeighting.EFFECTIVE_NUMBER, 0.9999, LossFunction.LDAM);
        FineTuneConfig head = config(headOnly, 16).build();
        try (SequenceClassifier c = afterStage1(head, new ArrayList<>())) {
            assertFalse(moved(before, c, "bert."), "no encoder tensor trains in a head-only stage 1");
            assertTrue(headMoved(c, head));
        }
        // stage 2 (trainableLayers -1 here) then trains the lower layers too: the freeze belongs to stage 1
        try (SequenceClassifier c = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                .setData(train, validation).optConfig(top1).run().classifier()) {
            assertTrue(moved(before, c, "bert.encoder.layer.0."));
        }
        before.forEach((k, v) -> assertArrayEquals(v, model.parameters().get(k).toFloatArray(), "checkpoint " + k));
    }

    /**
     * Stage 1's first step sees the untrained classifier, so its loss can be recomputed here from the
     * class counts alone: margin_c = maxMargin * n_c^(-1/4) / max_k n_k^(-1/4), subtracted from the
     * true class's logit; logits times the scale; cross-entropy weighted by the effective-number
     * weights (1 - beta) / (1 - beta^n_c) normalised to sum to the number of classes; one batch
     * holds the whole training set. Logits come from the fresh classifier's probabilities (log p is
     * the logit up to a per-row constant, which softmax ignores).
     */
    @Test
    void ldamMarginsFollowTheQuarterPowerOfTheClassCountsUpToTheMaximumMargin() {
        for (double scale : new double[] {1.0, 4.0}) {
            FineTuneConfig c = config(TwoStage.DEFAULT, 128).optLdamScale(scale).build();
            assertEquals(0.5, c.ldamMaxMargin());
            assertEquals(LossFunction.LDAM, c.twoStage().loss());
            List<Double> losses = new ArrayList<>();
            double[][] logProbs;
            List<String> labels = new ArrayList<>(new TreeSet<>(train.labelOfEach()));
            assertEquals(List.of(LABELS), labels);
            try (SequenceClassifier fresh = SequenceClassifier.create(model, tokenizer, labels, c)) {
                logProbs = Arrays.stream(fresh.probabilities(train.texts()))
                        .map(p -> Arrays.stream(p).map(Math::log).toArray()).toArray(double[][]::new);
            }
            afterStage1(c, losses).close();
            double actual = losses.get(0);

            double expected = ldamLoss(logProbs, 0.25, c.ldamMaxMargin(), scale, c.twoStage().beta());
            System.out.printf("scale %.0f: first stage-1 loss %.6f, expected %.6f%n", scale, actual, expected);
            assertEquals(expected, actual, 2e-4);
            // the check tells the quarter power from its neighbours and from no margin at all
            for (double[] wrong : new double[][] {{0.5, 0.5}, {0.0, 0.5}, {0.25, 1.0}, {0.25, 0.0}}) {
                double other = ldamLoss(logProbs, wrong[0], wrong[1], scale, c.twoStage().beta());
                assertTrue(Math.abs(other - expected) > 5e-3, "exponent " + wrong[0] + ", max margin " + wrong[1]
                        + " gives " + other + ", too close to " + expected + " for this test to tell them apart");
            }
        }
    }

    private static double ldamLoss(double[][] logProbs, double exponent, double maxMargin, double scale, double beta) {
        int k = COUNTS.length;
        double[] margin = new double[k];
        double largest = 0;
        for (int j = 0; j < k; j++) {
            margin[j] = Math.pow(COUNTS[j], -exponent);
            largest = Math.max(largest, margin[j]);
        }
        double[] weight = new double[k];
        double weightSum = 0;
        for (int j = 0; j < k; j++) {
            margin[j] = maxMargin * margin[j] / largest;
            weight[j] = (1 - beta) / (1 - Math.pow(beta, COUNTS[j]));
            weightSum += weight[j];
        }
        for (int j = 0; j < k; j++) {
            weight[j] = weight[j] / weightSum * k;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < logProbs.length; i++) {
            int y = Arrays.asList(LABELS).indexOf(train.label(i));
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                z[j] = scale * (logProbs[i][j] - (j == y ? margin[j] : 0));
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[j] - max);
            }
            double nll = -(z[y] - max - Math.log(sum));
            num += weight[y] * nll;
            den += weight[y];
        }
        return num / den;
    }
}
