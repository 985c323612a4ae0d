package org.plm4j.finetune;

import org.plm4j.train.TrainingListener;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.baseline.MajorityClassifier;
import org.plm4j.classify.Prediction;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.CorpusDataset;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.evaluate.ClassificationEvaluation;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.record.RunRecord;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/** Fine-tuning on the real foldoc-topics task from a checkpoint pretrained on FOLDOC text (task texts excluded). */
class FineTunerTest {

    static LabeledDataset task;
    static WordPieceTokenizer tokenizer;
    static MaskedLanguageModel pretrained;

    @BeforeAll
    static void pretrainASmallCheckpoint() {
        task = Datasets.task("foldoc-topics");
        CorpusDataset foldoc = Datasets.corpus("foldoc").excluding(task);
        tokenizer = WordPieceTrainer.train(foldoc.corpus(), WordPieceConfig.builder().optVocabSize(4000).build());
        pretrained = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()), 1);
        Pretrainer.builder().setModel(pretrained).setTokenizer(tokenizer).setData(foldoc.corpus())
                .optConfig(PretrainConfig.builder().optSteps(300).optSeed(1).build()).run();
    }

    @AfterAll
    static void close() {
        pretrained.close();
        tokenizer.close();
    }

    static FineTuneConfig quick(long seed) {
        return FineTuneConfig.builder().optEpochs(4).optLearningRate(1e-3).optMaxLength(64).optSeed(seed).build();
    }

    @Test
    void fineTunedPretrainedCheckpointBeatsMajorityClassAndSameSeedGivesIdenticalMetrics(@TempDir Path dir) {
        float[] before = pretrained.parameters().get("bert.encoder.layer.0.attention.self.qkv.weight").toFloatArray();
        FineTuneResult a = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer).setData(task)
                .optConfig(quick(7).toBuilder().optOutputDir(dir.resolve("a")).build())
                .optListener(TrainingListener.printing(System.out, 50)).run();
        FineTuneResult b = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer).setData(task)
                .optConfig(quick(7)).optListener(TrainingListener.NONE).run();
        try (SequenceClassifier ca = a.classifier(); SequenceClassifier cb = b.classifier()) {
            ClassificationEvaluation majority = ClassificationEvaluation.of(MajorityClassifier.fit(task.train()), task.test());
            System.out.println("majority " + majority + "\nfine-tuned " + a.test());
            assertTrue(a.test().accuracy() > majority.accuracy() + 0.2,
                    "fine-tuned accuracy " + a.test().accuracy() + " vs majority " + majority.accuracy());
            assertTrue(a.test().macroF1() > majority.macroF1() + 0.25);
            assertEquals(a.test().accuracy(), b.test().accuracy(), 0.0);
            assertEquals(a.test().macroF1(), b.test().macroF1(), 0.0);
            assertEquals(a.history(), b.history().stream().map(r -> new FineTuneResult.Row(r.stage(), r.epoch(),
                    r.trainLoss(), r.validationAccuracy(), r.validationMacroF1(), a.history().get(r.epoch() - 1).seconds()))
                    .toList(), "same seed: identical losses and validation metrics every epoch");
            // the checkpoint fine-tuning started from is unchanged
            assertArrayEquals(before, pretrained.parameters().get("bert.encoder.layer.0.attention.self.qkv.weight").toFloatArray());

            // the run record and the saved classifier
            RunRecord r = RunRecord.load(dir.resolve("a"));
            assertEquals("finetune", r.kind());
            assertEquals(a.test().macroF1(), r.metric("test_macro_f1"), 1e-12);
            assertEquals(List.of("train", "validation", "test"), r.data().stream().map(RunRecord.DataSet::role).toList());
            assertTrue(Files.exists(dir.resolve("a/history.csv")));
            try (SequenceClassifier loaded = SequenceClassifier.load(dir.resolve("a/classifier"), tokenizer)) {
                List<String> some = task.test().texts().subList(0, 20);
                List<Prediction> p1 = ca.predict(some);
                List<Prediction> p2 = loaded.predict(some);
                for (int i = 0; i < some.size(); i++) {
                    assertEquals(p1.get(i).label(), p2.get(i).label());
                    assertEquals(p1.get(i).probability(p1.get(i).label()), p2.get(i).probability(p2.get(i).label()), 1e-6);
                }
            }
            Prediction one = ca.predict("a protocol for transferring files between computers on a network");
            assertEquals(1.0, one.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
        }
    }

    @Test
    void freezingTheEncoderTrainsOnlyTheHeadAndTopKOnlyTheTopLayers() {
        LabeledTexts train = task.train().sample(200, 3);
        LabeledTexts val = task.validation();
        FineTuneConfig head = FineTuneConfig.builder().optEpochs(1).optMaxLength(32).optFreezeEncoder().build();
        try (SequenceClassifier c = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer)
                .setData(train, val).optConfig(head).run().classifier()) {
            changed(c, head, Map.of("embeddings", false, "layer.0.", false, "layer.1.", false, "head", true));
        }
        FineTuneConfig top1 = head.toBuilder().optTrainableLayers(1).build();
        try (SequenceClassifier c = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer)
                .setData(train, val).optConfig(top1).run().classifier()) {
            int last = pretrained.config().layers() - 1;
            changed(c, top1, Map.of("embeddings", false, "layer." + (last - 1) + ".", false, "layer." + last + ".", true,
                    "head", true));
        }
        FineTuneConfig all = head.toBuilder().optTrainableLayers(-1).build();
        try (SequenceClassifier c = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer)
                .setData(train, val).optConfig(all).run().classifier()) {
            changed(c, all, Map.of("embeddings", true, "layer.0.", true, "head", true));
        }
    }

    /**
     * Checks which parts of {@code c} moved during fine-tuning: encoder tensors whose name contains a
     * key are compared with the checkpoint's, the {@code "head"} with the head a fresh classifier of
     * the same labels and {@code config} (hence the same seed) starts from.
     */
    private static void changed(SequenceClassifier c, FineTuneConfig config, Map<String, Boolean> expected) {
        for (Map.Entry<String, Boolean> e : expected.entrySet()) {
            boolean any = false;
            if (e.getKey().equals("head")) {
                try (SequenceClassifier start = SequenceClassifier.create(pretrained, tokenizer, c.labels(), config)) {
                    assertEquals(start.headParameters().keySet(), c.headParameters().keySet());
                    for (var p : c.headParameters().entrySet()) {
                        any |= !java.util.Arrays.equals(p.getValue().toFloatArray(),
                                start.headParameters().get(p.getKey()).toFloatArray());
                    }
                }
                assertEquals(e.getValue(), any, "head changed?");
                continue;
            }
            for (var p : c.encoder().parameters().entrySet()) {
                if (!p.getKey().contains(e.getKey()) || p.getKey().startsWith("cls.")) {
                    continue;
                }
                float[] now = p.getValue().toFloatArray();
                float[] was = pretrained.parameters().get(p.getKey()).toFloatArray();
                any |= !java.util.Arrays.equals(now, was);
            }
            assertEquals(e.getValue(), any, e.getKey() + " changed?");
        }
    }

    @Test
    void fineTuningWorksOnAFreshThreadLikeANotebookCell() throws Exception {
        // PyTorch records gradients by default on every new thread; in-place weight writes must still work
        LabeledTexts train = task.train().sample(100, 4);
        FineTuneConfig c = FineTuneConfig.builder().optEpochs(1).optMaxLength(24).build();
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try (SequenceClassifier clf = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer)
                    .setData(train, task.validation()).optConfig(c).run()
                    .classifier()) {
                assertEquals(10, clf.labels().size());
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("fine-tuning on a new thread failed: " + failure[0], failure[0]);
        }
    }

    @Test
    void testLabelsUnseenInTrainingGiveAClearError() {
        LabeledTexts train = task.train().filterLabels(l -> !l.equals("storage"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer)
                        .setData(train, task.validation().filterLabels(l -> !l.equals("storage")), task.test())
                        .optConfig(quick(1)).run());
        assertTrue(e.getMessage().contains("test split has labels never seen in training: [storage]"), e.getMessage());
    }

    @Test
    void anEmptyValidationSplitGivesAClearError() {
        LabeledTexts empty = LabeledTexts.of("empty", List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer).setData(task.train(), empty)
                        .optConfig(quick(1)).run());
        assertTrue(e.getMessage().contains("validation split is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("train.split(0.1, seed)"), e.getMessage());
    }

    @Test
    void aCheckpointWhoseVocabularyDiffersFromTheTokenizerGivesAClearError() {
        try (MaskedLanguageModel other = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize() + 7), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    FineTuner.builder().setModel(other).setTokenizer(tokenizer).setData(task).optConfig(quick(1))
                            .run());
            assertTrue(e.getMessage().contains("vocabulary has " + (tokenizer.vocabSize() + 7) + " entries but the tokenizer's has "
                    + tokenizer.vocabSize()), e.getMessage());
        }
    }

    @Test
    void effectiveNumberWeightsInterpolateBetweenUniformAndInverseFrequency() {
        int[] counts = {1000, 100, 10};
        assertArrayEquals(new double[] {1, 1, 1}, ClassWeighting.EFFECTIVE_NUMBER.weights(counts, 0.0), 1e-12);
        double[] inv = ClassWeighting.INVERSE_FREQUENCY.weights(counts, 0);
        assertArrayEquals(new double[] {3 * 0.001 / 0.111, 3 * 0.01 / 0.111, 3 * 0.1 / 0.111}, inv, 1e-12);
        double[] cb = ClassWeighting.EFFECTIVE_NUMBER.weights(counts, 0.9999);
        // (1 - b) / (1 - b^n), normalised to sum to 3: rarer classes weigh more, less extremely than 1/n
        double[] raw = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            raw[i] = (1 - 0.9999) / (1 - Math.pow(0.9999, counts[i]));
            sum += raw[i];
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(raw[i] / sum * 3, cb[i], 1e-12);
        }
        assertTrue(cb[2] > cb[1] && cb[1] > cb[0]);
        assertTrue(cb[2] / cb[0] < inv[2] / inv[0]);
        assertThrows(IllegalArgumentException.class, () -> ClassWeighting.INVERSE_FREQUENCY.weights(new int[] {3, 0}, 0));
    }

    @Test
    void twoStageRunsHeadFirstWithLdamThenEverythingAndRecordsBothStages() {
        LabeledTexts train = task.train().sample(300, 5);
        FineTuneConfig c = FineTuneConfig.builder().optEpochs(1).optMaxLength(32).optTwoStage(TwoStage.builder().optEpochs(1).build())
                .optLearningRate(5e-4).build();
        FineTuneResult r = FineTuner.builder().setModel(pretrained).setTokenizer(tokenizer)
                .setData(train, task.validation()).optConfig(c).run();
        try (SequenceClassifier clf = r.classifier()) {
            assertEquals(List.of(1, 2), r.history().stream().map(FineTuneResult.Row::stage).toList());
            @SuppressWarnings("unchecked")
            Map<String, Object> ts = (Map<String, Object>) ((Map<String, Object>) r.record().config().get("finetune"))
                    .get("twoStage");
            assertEquals("LDAM", ts.get("loss"));
            assertEquals("EFFECTIVE_NUMBER", ts.get("weighting"));
            assertTrue(Double.isFinite(r.history().get(0).trainLoss()));
        }
    }

    @Test
    void configValidationNamesTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> FineTuneConfig.builder().optEpochs(0).build());
        assertTrue(e.getMessage().contains("epochs must be >= 1, got 0"));
        e = assertThrows(IllegalArgumentException.class, () -> FineTuneConfig.builder().optTrainableLayers(-2).build());
        assertTrue(e.getMessage().contains("-2"));
        assertThrows(IllegalArgumentException.class, () -> ClassWeighting.parse("often"));
        assertEquals(LossFunction.LDAM, LossFunction.parse("LDAM"));
        assertEquals(new ArrayList<>(List.of(Pooling.MEAN)), List.of(Pooling.parse("mean")));
    }
}
