package org.plm4j.bttapt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.backtranslate.ApertiumTranslator;
import org.plm4j.backtranslate.CachedTranslator;
import org.plm4j.backtranslate.TranslationCache;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.record.RunRecord;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/** The BT-TAPT pipeline end to end with the real Apertium engine on a small subsample of foldoc-topics. */
class BtTaptTest {

    @Test
    void btTaptRunsEndToEndAndEveryStepRecordsItsLineage(@TempDir Path dir) {
        LabeledDataset task = Datasets.task("foldoc-topics").subsample(120, 40, 1);
        var translator = CachedTranslator.of(ApertiumTranslator.create(), TranslationCache.in(dir.resolve("cache")));
        try (WordPieceTokenizer tok = WordPieceTrainer.train(task.train().corpus(),
                WordPieceConfig.builder().optVocabSize(800).build());
             MaskedLanguageModel base = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 1)) {
            float[] before = base.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray();
            BtTaptConfig config = BtTaptConfig.builder()
                    .optTapt(PretrainConfig.builder().optSteps(20).optSequenceLength(64).optBatchSize(16).build())
                    .optFineTune(FineTuneConfig.builder().optEpochs(1).optMaxLength(32).build())
                    .optFineTuneOnAugmented(true)
                    .optOutputDir(dir.resolve("run")).build();
            try (BtTaptResult r = BtTapt.run(base, tok, task, translator, config, null, null)) {
                assertTrue(r.augmentation().counts().kept() > 60, r.augmentation().counts().toString());
                // fine-tuned on originals + labelled paraphrases
                assertEquals(120 + r.augmentation().counts().kept(),
                        (int) r.fineTune().record().data().get(0).texts());
                List<String> kinds = r.records().stream().map(RunRecord::kind).toList();
                assertEquals(List.of("backtranslate", "tapt", "finetune", "robustness"), kinds);
                for (String step : List.of("1-backtranslate", "2-tapt", "3-finetune", "4-robustness")) {
                    assertTrue(Files.exists(dir.resolve("run").resolve(step).resolve("run.json")), step);
                }
                RunRecord ft = RunRecord.load(dir.resolve("run/3-finetune"));
                String lineage = ft.lineage().toString();
                assertTrue(lineage.contains("backtranslate") && lineage.contains("tapt"), lineage);
                assertEquals(List.of("backtranslate", "tapt"), ft.lineage().kinds(), lineage);
                assertEquals(r.augmentation().corpus().sha256(), ft.lineage().get(0).sha256(), lineage);
                RunRecord bt = RunRecord.load(dir.resolve("run/1-backtranslate"));
                assertTrue(bt.lineage().get(0).details().get("engine").contains("apertium"), bt.lineage().toString());
                RunRecord rob = RunRecord.load(dir.resolve("run/4-robustness"));
                assertEquals(rob.metric("clean_accuracy") - rob.metric("paraphrased_accuracy"), rob.metric("accuracy_drop"), 1e-12);
                assertEquals(r.fineTune().test().accuracy(), rob.metric("clean_accuracy"), 1e-12);
            }
            assertArrayEquals(before, base.parameters().get("bert.embeddings.word_embeddings.weight").toFloatArray(),
                    "the base checkpoint is not changed");
        }
    }
}
