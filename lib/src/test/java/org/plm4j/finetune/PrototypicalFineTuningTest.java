package org.plm4j.finetune;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.embed.Embedder;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/** Prototype heads (Jin et al. 2022): nearest class mean at the start, prototypes that learn, save and load. */
class PrototypicalFineTuningTest {

    static final int MAX_LENGTH = 16;

    static LabeledTexts train;
    static LabeledTexts validation;
    static LabeledTexts test;
    static Tokenizer tokenizer;
    static MaskedLanguageModel model;
    static List<String> labels;

    @BeforeAll
    static void setUp() {
        train = TwoStageTest.generate("train", new int[] {40, 40, 40}, 21);
        validation = TwoStageTest.generate("validation", new int[] {10, 10, 10}, 22);
        test = TwoStageTest.generate("test", new int[] {20, 20, 20}, 23);
        List<String> all = new ArrayList<>(train.texts());
        all.addAll(validation.texts());
        all.addAll(test.texts());
        tokenizer = TestTokenizers.whitespace(all);
        model = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()), 7);
        labels = new ArrayList<>(new TreeSet<>(train.labelOfEach()));
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    static FineTuneConfig config(Head head) {
        return FineTuneConfig.builder().optHead(head).optPooling(Pooling.MEAN).optMaxLength(MAX_LENGTH).optEpochs(2)
                .optBatchSize(16).optLearningRate(2e-3).optSeed(3).build();
    }

    /** Mean-pooled embeddings by Embedder (its own code path), one row per text. */
    static double[][] embed(MaskedLanguageModel m, List<String> texts) {
        return Embedder.embed(m, tokenizer, texts, null, 32, MAX_LENGTH).matrix();
    }

    /** The class means of {@code model}'s training embeddings, in label order. */
    static double[][] classMeans(MaskedLanguageModel m) {
        double[][] x = embed(m, train.texts());
        double[][] means = new double[labels.size()][x[0].length];
        int[] n = new int[labels.size()];
        for (int i = 0; i < x.length; i++) {
            int c = labels.indexOf(train.label(i));
            n[c]++;
            for (int j = 0; j < x[i].length; j++) {
                means[c][j] += x[i][j];
            }
        }
        for (int c = 0; c < means.length; c++) {
            for (int j = 0; j < means[c].length; j++) {
                means[c][j] /= n[c];
            }
        }
        return means;
    }

    @Test
    void withFrozenEmbeddingsAndPrototypesAtTheClassMeansPredictionsAreNearestClassMean() {
        try (SequenceClassifier c = SequenceClassifier.create(model, tokenizer, labels, config(Head.PROTOTYPICAL))) {
            int[] targets = train.labelOfEach().stream().mapToInt(labels::indexOf).toArray();
            c.initPrototypes(tokenizer.encodeBatch(train.texts()), targets);
            double[][] means = classMeans(model);
            float[][] prototypes = c.prototypes();
            for (int k = 0; k < means.length; k++) {
                for (int j = 0; j < means[k].length; j++) {
                    assertEquals(means[k][j], prototypes[k][j], 1e-4, "prototype " + k + "[" + j + "]");
                }
            }
            double[][] x = embed(model, test.texts());
            List<String> predicted = c.predict(test.texts()).stream().map(p -> p.label()).toList();
            TreeSet<String> distinct = new TreeSet<>();
            for (int i = 0; i < x.length; i++) {
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int k = 0; k < means.length; k++) {
                    double d = 0;
                    for (int j = 0; j < x[i].length; j++) {
                        d += (x[i][j] - means[k][j]) * (x[i][j] - means[k][j]);
                    }
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = k;
                    }
                }
                assertEquals(labels.get(best), predicted.get(i), "test text " + i + ": " + test.text(i));
                distinct.add(labels.get(best));
            }
            assertEquals(3, distinct.size(), "nearest class mean predicts every class somewhere");
        }
    }

    @Test
    void prototypesAndEncoderMoveUnderTraining() {
        double[][] start = classMeans(model);
        FineTuneResult r = FineTuner.builder().setModel(model).setTokenizer(tokenizer).setData(train, validation)
                .optConfig(config(Head.PROTOTYPICAL)).run();
        try (SequenceClassifier c = r.classifier()) {
            float[][] after = c.prototypes();
            double moved = 0;
            double size = 0;
            for (int k = 0; k < start.length; k++) {
                for (int j = 0; j < start[k].length; j++) {
                    moved += (after[k][j] - start[k][j]) * (after[k][j] - start[k][j]);
                    size += start[k][j] * start[k][j];
                }
            }
            System.out.printf("prototypes moved by %.4f (relative to their norm %.4f); validation accuracy %.3f%n",
                    Math.sqrt(moved), Math.sqrt(size), r.validation().accuracy());
            // float rounding alone would move them by about 1e-7 of their norm
            assertTrue(Math.sqrt(moved) > 1e-3 * Math.sqrt(size), "prototypes moved by " + Math.sqrt(moved));
            String name = "bert.encoder.layer.0.attention.self.qkv.weight";
            float[] before = model.parameters().get(name).toFloatArray();
            float[] now = c.encoder().parameters().get(name).toFloatArray();
            assertFalse(java.util.Arrays.equals(before, now), "the encoder learns jointly");
            assertEquals(Head.PROTOTYPICAL, c.head());
            assertEquals("PROTOTYPICAL", ((java.util.Map<?, ?>) r.record().config().get("finetune")).get("head"));
        }
    }

    @Test
    void aSavedPrototypicalOrMixedClassifierLoadsWithIdenticalPredictions(@TempDir Path dir) {
        for (Head head : List.of(Head.PROTOTYPICAL, Head.MIXED)) {
            FineTuneConfig cfg = config(head).toBuilder().optEpochs(1).optPrototypeScale(0.5)
                    .optOutputDir(dir.resolve(head.name())).build();
            FineTuneResult r = FineTuner.builder().setModel(model).setTokenizer(tokenizer).setData(train, validation)
                    .optConfig(cfg).run();
            try (SequenceClassifier c = r.classifier();
                 SequenceClassifier loaded = SequenceClassifier.load(dir.resolve(head.name()).resolve("classifier"),
                         tokenizer)) {
                assertEquals(head, loaded.head());
                assertEquals(c.prototypeWeight(), loaded.prototypeWeight(), 0);
                assertEquals(head == Head.MIXED ? Head.mixedWeight(train.size(), 3) : 1.0, loaded.prototypeWeight(), 1e-12);
                assertArrayEquals(c.prototypes(), loaded.prototypes());
                double[][] p1 = c.probabilities(test.texts());
                double[][] p2 = loaded.probabilities(test.texts());
                for (int i = 0; i < p1.length; i++) {
                    assertArrayEquals(p1[i], p2[i], 1e-7, head + ", test text " + i);
                }
            }
        }
    }
}
