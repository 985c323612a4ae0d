package org.plm4j.finetune;

import org.plm4j.record.Metrics;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.experiment.Comparison;
import org.plm4j.experiment.Experiment;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/**
 * Two-stage versus standard fine-tuning on a subsample of the imbalanced wordnet-supersenses task
 * (45 classes, largest 11,460 vs smallest 34 training texts), over 3 seeds: the comparison runs and
 * both methods leave their records with tail-class macro-F1. The numbers at full scale are in the
 * notebook 04-two-stage-fine-tuning; which way they fall is not asserted here.
 */
class TwoStageComparisonTest {

    @Test
    void twoStageAndStandardFineTuningRunOverThreeSeedsAndRecordTailMacroF1(@TempDir Path dir) {
        LabeledDataset data = Datasets.task(Datasets.WORDNET_SUPERSENSES).subsample(600, 200, 42);
        assertEquals(600, data.train().size());
        assertTrue(data.manifest().notes().stream().anyMatch(n -> n.contains("subsample of wordnet-supersenses")));
        try (WordPieceTokenizer tok = WordPieceTrainer.train(data.train().corpus(),
                WordPieceConfig.builder().optVocabSize(1500).build());
             MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 3)) {
            FineTuneConfig standard = FineTuneConfig.builder().optEpochs(2).optMaxLength(32).optLearningRate(1e-3).build();
            FineTuneConfig twoStage = standard.toBuilder().optTwoStage(TwoStage.builder().optEpochs(1).build()).build();
            Experiment exp = Experiment.builder(data).optSeeds(1, 2, 3).optOutputDir(dir).build();
            exp.runFineTuned("standard", seed -> FineTuner.builder().setModel(model).setTokenizer(tok)
                    .setData(data).optConfig(standard.toBuilder().optSeed(seed).build()).run());
            exp.runFineTuned("two-stage", seed -> FineTuner.builder().setModel(model).setTokenizer(tok)
                    .setData(data).optConfig(twoStage.toBuilder().optSeed(seed).build()).run());
            Comparison c = exp.comparison();
            System.out.println(c.table().print());
            for (String m : new String[] {"standard", "two-stage"}) {
                assertEquals(3, c.method(m).runs().size());
                assertTrue(Double.isFinite(c.method(m).mean(Metrics.TEST_TAIL_MACRO_F1)), m);
            }
            Comparison rebuilt = Comparison.fromRecords(dir);
            assertEquals(c.method("two-stage").mean(Metrics.TEST_TAIL_MACRO_F1),
                    rebuilt.method("two-stage").mean(Metrics.TEST_TAIL_MACRO_F1), 1e-12);
        }
    }
}
