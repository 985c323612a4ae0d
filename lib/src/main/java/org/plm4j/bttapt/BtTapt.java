package org.plm4j.bttapt;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plm4j.backtranslate.AugmentationResult;
import org.plm4j.backtranslate.Augmenter;
import org.plm4j.backtranslate.BackTranslator;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.train.TrainingListener;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.finetune.FineTuner;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.Adaptation;
import org.plm4j.pretrain.PretrainConfig;

import org.plm4j.pretrain.PretrainResult;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.model.Lineage;
import org.plm4j.record.Metrics;
import org.plm4j.record.RunRecord;
import org.plm4j.robustness.Robustness;
import org.plm4j.robustness.RobustnessReport;
import org.plm4j.tokenizer.Tokenizer;

/**
 * The BT-TAPT pipeline (Lee et al. 2021):
 * <ol>
 *   <li>back-translate the task's training texts (unlabelled use; {@link Augmenter});</li>
 *   <li>continue pretraining a copy of the checkpoint on originals + paraphrases
 *       ({@link Pretrainer#continuePretraining} with {@link Adaptation#TAPT});</li>
 *   <li>fine-tune the adapted checkpoint on the task (optionally on the labelled paraphrases too);</li>
 *   <li>evaluate on the clean test split and on its back-translated copy ({@link Robustness}).</li>
 * </ol>
 * Each step writes a run record under {@code outputDir}; the model's lineage names the
 * back-translation (its corpus checksum) and the TAPT step, so the fine-tuning record shows both.
 *
 * <pre>{@code
 * try (BtTaptResult r = BtTapt.run(general, tokenizer, Datasets.task("foldoc-topics"),
 *         CachedTranslator.of(new ApertiumTranslator()), BtTaptConfig.builder().optOutputDir(dir).build(), null, null)) {
 *     r.fineTune().test(); r.robustness().accuracyDrop();
 * }
 * }</pre>
 */
public final class BtTapt {

    /** Record kind of the back-translation step. */
    public static final String KIND_BACKTRANSLATE = "backtranslate";
    /** Record kind of the robustness step. */
    public static final String KIND_ROBUSTNESS = "robustness";

    private BtTapt() {
    }

    /**
     * Runs the four steps. The checkpoint {@code base} is copied, never changed.
     *
     * @param taptListener progress of the TAPT step, or null
     * @param fineTuneListener progress of the fine-tuning step, or null
     */
    public static BtTaptResult run(MaskedLanguageModel base, Tokenizer tokenizer, LabeledDataset task,
                                   BackTranslator translator, BtTaptConfig config, TrainingListener taptListener,
                                   TrainingListener fineTuneListener) {
        Path out = config.outputDir();
        // 1 · back-translation of the training split
        Instant t0 = Instant.now();
        AugmentationResult aug = Augmenter.of(translator, config.augmentation()).augment(task.train());
        RunRecord augRecord = augmentationRecord(task.train(), aug, t0);
        if (out != null) {
            augRecord.write(out.resolve("1-backtranslate"));
        }
        // 2 · TAPT on originals + paraphrases, on a copy of the checkpoint
        MaskedLanguageModel tapt = base.copy();
        try {
            Corpus taptCorpus = aug.corpus();
            tapt.recordLineage(new Lineage.Step(KIND_BACKTRANSLATE, taptCorpus.name(), taptCorpus.sha256(), -1,
                    Map.of("kept", Integer.toString(aug.counts().kept()))));
            PretrainConfig pc = out == null ? config.tapt() : config.tapt().toBuilder().optOutputDir(out.resolve("2-tapt")).build();
            PretrainResult taptRun = Pretrainer.builder().setModel(tapt).setTokenizer(tokenizer)
                    .optAdaptation(Adaptation.TAPT).setData(taptCorpus.split(pc.heldOutFraction(), pc.seed()))
                    .optConfig(pc).optListener(taptListener).run();
            // 3 · fine-tuning
            LabeledTexts train = config.fineTuneOnAugmented() ? aug.labeledTexts() : task.train();
            FineTuneConfig fc = out == null ? config.fineTune()
                    : config.fineTune().toBuilder().optOutputDir(out.resolve("3-finetune")).build();
            FineTuneResult ft = FineTuner.builder().setModel(tapt).setTokenizer(tokenizer)
                    .setData(train, task.validation(), task.test()).optConfig(fc).optListener(fineTuneListener)
                    .run();
            // 4 · robustness to paraphrase
            RobustnessReport rob = null;
            RunRecord robRecord = null;
            if (config.robustnessPivot() != null) {
                Instant t1 = Instant.now();
                try {
                    LabeledTexts paraphrased = Robustness.paraphrasedCopy(task.test(), translator, config.robustnessPivot());
                    rob = Robustness.evaluate(ft.classifier(), task.test(), paraphrased);
                    robRecord = robustnessRecord(rob, ft, translator, config, t1);
                    if (out != null) {
                        robRecord.write(out.resolve("4-robustness"));
                    }
                } catch (RuntimeException e) {
                    ft.classifier().close();
                    throw e;
                }
            }
            return new BtTaptResult(aug, augRecord, tapt, taptRun, ft, rob, robRecord);
        } catch (RuntimeException | Error e) {
            tapt.close();
            throw e;
        }
    }

    private static RunRecord augmentationRecord(LabeledTexts source, AugmentationResult aug, Instant start) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("pivots", aug.config().usedPivots().stream().map(p -> p.name()).toList());
        cfg.put("copies", aug.config().copies());
        cfg.put("ratio", aug.config().ratio());
        Map<String, Double> metrics = new LinkedHashMap<>();
        var c = aug.counts();
        metrics.put("originals", (double) c.originals());
        metrics.put("requested", (double) c.requested());
        metrics.put("translated", (double) c.translated());
        metrics.put("dropped_identical", (double) c.droppedIdentical());
        metrics.put("dropped_by_ratio", (double) c.droppedByRatio());
        metrics.put("kept", (double) c.kept());
        Corpus output = aug.corpus();
        List<RunRecord.DataSet> data = List.of(RunRecord.DataSet.of("source", source),
                new RunRecord.DataSet("output", output.name(), output.sha256(), output.size(), -1));
        Map<String, String> prov = new LinkedHashMap<>(aug.provenance());
        String sourceName = prov.remove("augmentation.source");
        String sourceSha = prov.remove("augmentation.source.sha256");
        Map<String, String> details = new LinkedHashMap<>();
        prov.forEach((k, v) -> details.put(Metrics.snakeCase(k.replaceFirst("^augmentation\\.", "")), v));
        Lineage lineage = Lineage.of(new Lineage.Step(KIND_BACKTRANSLATE, sourceName, sourceSha, -1, details));
        return RunRecord.of(KIND_BACKTRANSLATE, "completed", cfg, aug.config().seed(), data, lineage, Map.of(), metrics,
                RunRecord.Timings.between(start, Instant.now()));
    }

    private static RunRecord robustnessRecord(RobustnessReport r, FineTuneResult ft, BackTranslator translator,
                                              BtTaptConfig config, Instant start) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("pivot", config.robustnessPivot().name());
        cfg.put("engine", translator.identity(config.robustnessPivot().forward()) + "; "
                + translator.identity(config.robustnessPivot().backward()));
        Map<String, String> artifacts = new LinkedHashMap<>(ft.record().artifacts());
        if (config.outputDir() != null) {
            artifacts.put("finetune_run", config.outputDir().resolve("3-finetune").toString());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("clean_accuracy", r.cleanEvaluation().accuracy());
        metrics.put("clean_macro_f1", r.cleanEvaluation().macroF1());
        metrics.put("paraphrased_accuracy", r.paraphrasedEvaluation().accuracy());
        metrics.put("paraphrased_macro_f1", r.paraphrasedEvaluation().macroF1());
        metrics.put("accuracy_drop", r.accuracyDrop());
        metrics.put("macro_f1_drop", r.macroF1Drop());
        metrics.put("consistency", r.consistency());
        List<RunRecord.DataSet> data = new ArrayList<>();
        data.add(RunRecord.DataSet.of("test", r.clean()));
        data.add(RunRecord.DataSet.of("paraphrased", r.paraphrased()));
        return RunRecord.of(KIND_ROBUSTNESS, "completed", cfg, config.fineTune().seed(), data, ft.record().lineage(),
                artifacts, metrics, RunRecord.Timings.between(start, Instant.now()));
    }
}
