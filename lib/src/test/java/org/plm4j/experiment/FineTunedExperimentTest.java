package org.plm4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.datasets.SplitSpec;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.finetune.FineTuner;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.record.RunRecord;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

class FineTunedExperimentTest {

    @Test
    void aFineTunedMethodLinksEachRunToItsFineTuningRecord(@TempDir Path dir) {
        LabeledTexts all = LabeledTexts.of("words", java.util.stream.IntStream.range(0, 60)
                        .mapToObj(i -> (i % 2 == 0 ? "cat dog bird " : "oven bake flour ") + "text number " + i).toList(),
                java.util.stream.IntStream.range(0, 60).mapToObj(i -> i % 2 == 0 ? "animals" : "cooking").toList());
        LabeledDataset task = LabeledDataset.of(all, new SplitSpec(0.2, 0.2, 3));
        FineTuneConfig config = FineTuneConfig.builder().optEpochs(1).optBatchSize(8).build();
        try (WordPieceTokenizer tok = WordPieceTrainer.train(all.corpus(),
                WordPieceConfig.builder().optVocabSize(200).optMinFrequency(1).build());
                MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 5)) {
            Experiment exp = Experiment.builder(task).optSeeds(1, 2).optOutputDir(dir).build();
            MethodResult r = exp.runFineTuned("fine-tuned (random init)",
                    seed -> FineTuner.builder().setModel(model).setTokenizer(tok).setData(task)
                            .optConfig(config.toBuilder().optSeed(seed).build()).run());
            assertEquals(2, r.runs().size());
            RunRecord run = RunRecord.load(Experiment.runDir(dir, "fine-tuned (random init)", 2));
            assertEquals("finetune/run.json", run.artifacts().get(Experiment.ARTIFACT_FINETUNE_RUN));
            Path ft = dir.resolve("fine-tuned-random-init/seed-2").resolve(run.artifacts().get(Experiment.ARTIFACT_FINETUNE_RUN));
            assertTrue(Files.isRegularFile(ft));
            assertEquals("finetune", RunRecord.load(ft).kind());
            assertEquals(2L, RunRecord.load(ft).seed());
            assertFalse(Double.isNaN(run.metric("finetune_validation_macro_f1")));
            assertEquals(exp.comparison().table().print(), Comparison.fromRecords(dir).table().print(),
                    "the fine-tuning records next to the runs are not counted as runs");
        }
    }
}
