import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from make_notebook import write, GENERAL_CHECKPOINT_CELL

cells = [
("md", """
# 12 · Back-translated task-adaptive pretraining (BT-TAPT)

**What this shows.** Task-adaptive pretraining (TAPT, Gururangan et al. 2020) continues masked-LM
training on the task's own unlabelled text before fine-tuning. BT-TAPT (Lee et al. 2021) first
enlarges that text with *back-translated paraphrases* — here each FOLDOC definition goes English →
Spanish → English through Apertium (Debian `apertium-eng-spa`), a real rule-based MT system — and
runs TAPT on originals plus paraphrases. The paper reports gains in accuracy and in robustness to
paraphrased input. This notebook measures both on `foldoc-topics`:

- fine-tuned from the general checkpoint, from TAPT, and from BT-TAPT, over several seeds;
- each evaluated on the clean test split and on its back-translated copy (accuracy and the drop).

**Run time.** About 10 minutes on 2 cores on the first run (translations are cached on disk, the
general checkpoint too; reruns are faster). **At this scale** (a tiny encoder, minutes of
pretraining, 3,400 training texts) effects may be smaller than the spread over seeds; the last cell
says so when they are.
"""),
("code", """
import java.nio.file.*;
import org.plm4j.corpus.*;
import org.plm4j.datasets.*;
import org.plm4j.tokenizer.*;
import org.plm4j.model.*;
import org.plm4j.pretrain.*;
import org.plm4j.finetune.*;
import org.plm4j.baseline.*;
import org.plm4j.backtranslate.*;
import org.plm4j.robustness.*;
import org.plm4j.experiment.*;
import org.plm4j.record.*;
import org.plm4j.extension.Live;
"""),
("params", """
// parameters (./plm4j run -p name=value overrides these)
String seeds = "1,2,3";
int vocabSize = 8000;
int generalSteps = 1200;
int taptSteps = 300;
int epochs = 8;
int maxLength = 48;
double learningRate = 1e-3;
int trainLimit = 0;          // > 0: use only this many training texts (a quick look)
String outputDir = System.getProperty("java.io.tmpdir") + "/plm4j-runs/12-bt-tapt";
"""),
("md", """
## 1 · Task, general checkpoint, translator
"""),
("code", """
long[] seedList = java.util.Arrays.stream(seeds.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
var task = Datasets.task("foldoc-topics");
if (trainLimit > 0) task = task.subsample(trainLimit, task.test().size(), 42);
""" + GENERAL_CHECKPOINT_CELL + """// Apertium through plm4j: batched, both cores, alignment checked; translations cached on disk
var translator = CachedTranslator.of(ApertiumTranslator.create());
task
"""),
("md", """
## 2 · Back-translating the training text

Every training definition gets one paraphrase through Spanish; paraphrases identical to their
source are dropped. The table shows a few pairs.
"""),
("code", """
var augmentation = Augmenter.of(translator, AugmentationConfig.defaults()).augment(task.train());
augmentation
"""),
("md", """
## 3 · TAPT and BT-TAPT

Two copies of the general checkpoint continue masked-LM training for the same number of steps:
one on the training texts alone (TAPT), one on texts plus paraphrases (BT-TAPT). The lineage of
each (general → back-translation → TAPT) goes into its records.
"""),
("code", """
MaskedLanguageModel adapt(Corpus corpus, String title) {
    var m = general.copy();
    Pretrainer.builder().setModel(m).setTokenizer(tokenizer).optAdaptation(Adaptation.TAPT)
            .setData(corpus.split(0.05, 42))
            .optConfig(PretrainConfig.builder().optSteps(taptSteps).optSequenceLength(128).optSeed(42).build())
            .optListener(Live.progress(title)).run();
    return m;
}
var tapt = adapt(task.train().corpus(), "TAPT on the training text");
var btTapt = adapt(augmentation.corpus(), "BT-TAPT on training text + paraphrases");
var pplConfig = PretrainConfig.builder().optSeed(42).build();
for (var e : java.util.Map.of("general", general, "TAPT", tapt, "BT-TAPT", btTapt).entrySet())
    System.out.println(String.format("%-8s masked-LM perplexity on the test definitions: %.1f", e.getKey(),
            Perplexity.evaluate(e.getValue(), tokenizer, task.test().texts(), pplConfig).perplexity()));
"""),
("md", """
## 4 · Fine-tuning over seeds, clean and paraphrased test

The paraphrased test copy is the test split back-translated the same way (labels unchanged). The
comparison reports accuracy on both and the drop; TF-IDF is the reference.
"""),
("code", """
var paraphrasedTest = Robustness.paraphrasedCopy(task.test(), translator, Pivot.SPA);
var config = FineTuneConfig.builder().optEpochs(epochs).optMaxLength(maxLength).optLearningRate(learningRate).build();
var exp = Experiment.builder(task).optSeeds(seedList).optOutputDir(Path.of(outputDir))
        .addExtraTestSet("paraphrased", paraphrasedTest).build();
var finalTask = task;
exp.run("TF-IDF + LR", s -> TfIdfLogisticRegression.fit(finalTask.train(), TfIdfConfig.builder().optSeed(s).build()));
exp.runFineTuned("general", s -> FineTuner.builder().setModel(general).setTokenizer(tokenizer).setData(finalTask)
        .optConfig(config.toBuilder().optSeed(s).build()).optListener(Live.progress("from general, seed " + s)).run());
exp.runFineTuned("TAPT", s -> FineTuner.builder().setModel(tapt).setTokenizer(tokenizer).setData(finalTask)
        .optConfig(config.toBuilder().optSeed(s).build()).optListener(Live.progress("from TAPT, seed " + s)).run());
exp.runFineTuned("BT-TAPT", s -> FineTuner.builder().setModel(btTapt).setTokenizer(tokenizer).setData(finalTask)
        .optConfig(config.toBuilder().optSeed(s).build()).optListener(Live.progress("from BT-TAPT, seed " + s)).run());
var comparison = exp.comparison().against("TF-IDF + LR");
comparison
"""),
("md", """
## 5 · What the numbers say
"""),
("code", """
for (String metric : java.util.List.of(Metrics.TEST_ACCURACY, Metrics.TEST_MACRO_F1,
        Metrics.accuracyOn("paraphrased"), Metrics.dropOn("paraphrased"))) {
    System.out.println(comparison.difference("BT-TAPT", "TAPT", metric));
    System.out.println(comparison.difference("TAPT", "general", metric));
}
System.out.println(comparison.verdict());
"""),
("code", """
for (var m : java.util.List.of(general, tapt, btTapt)) m.close();
tokenizer.close();
"""),
]

write(os.path.join(os.path.dirname(__file__), "..", "12-bt-tapt.ipynb"), cells)
