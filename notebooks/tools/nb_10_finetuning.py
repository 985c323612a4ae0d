import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from make_notebook import write, GENERAL_CHECKPOINT_CELL

cells = [
("md", """
# 10 · Does pretraining help? Fine-tuning on `foldoc-topics`

**What this shows.** One question, answered with numbers: on a small real classification task —
FOLDOC dictionary definitions labelled with their computing topic (10 classes, 3,433 training
texts, from the Debian package `dict-foldoc`) — does a pretrained encoder beat simple baselines,
and does *domain-adaptive pretraining* (DAPT: continuing masked-LM training on in-domain text)
help over a general checkpoint? Six methods, each over several seeds, mean ± standard deviation:

| method | what it is |
|---|---|
| majority | always the most frequent training label |
| TF-IDF + LR | word uni/bigram TF-IDF into Tribuo's logistic regression |
| linear probe | Tribuo logistic regression on frozen mean-pooled embeddings of the general checkpoint |
| fine-tuned from scratch | the same tiny BERT, randomly initialised, fine-tuned |
| fine-tuned from general | pretrained on WordNet glosses (general English), then fine-tuned |
| fine-tuned from DAPT | the general checkpoint, further pretrained on FOLDOC text, then fine-tuned |

**Run time.** About 10 minutes on 2 cores (the general checkpoint is cached on disk after the
first run; later runs take about 7). Lower `epochs` or `seeds` for a quicker look.

**What to expect at this scale.** The encoders are *tiny* (2 layers, hidden 128) and pretrained
for minutes, not days. With 3,400 labelled texts a TF-IDF model is a strong baseline; the
comparison below says plainly whether the fine-tuned models beat it. The DAPT corpus excludes
every definition of the task's validation and test splits (no leakage).
"""),
("code", """
import java.nio.file.*;
import org.plm4j.datasets.*;
import org.plm4j.tokenizer.*;
import org.plm4j.model.*;
import org.plm4j.pretrain.*;
import org.plm4j.finetune.*;
import org.plm4j.baseline.*;
import org.plm4j.experiment.*;
import org.plm4j.record.*;
import org.plm4j.extension.Live;
"""),
("params", """
// parameters (./plm4j run -p name=value overrides these)
String seeds = "1,2,3";
int vocabSize = 8000;
int generalSteps = 1200;
int daptSteps = 600;
int epochs = 8;
int maxLength = 48;
double learningRate = 1e-3;
String outputDir = System.getProperty("java.io.tmpdir") + "/plm4j-runs/10-finetuning";
"""),
("md", """
## 1 · The task and the domain corpus

`Datasets.task` builds the task from the installed package (cached, versioned, split 80/10/10
stratified with seed 42). `Datasets.corpus("foldoc").excluding(task)` is the DAPT text: all FOLDOC
definitions except those in the task's validation and test splits.
"""),
("code", """
long[] seedList = java.util.Arrays.stream(seeds.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
var task = Datasets.task("foldoc-topics");
var foldoc = Datasets.corpus("foldoc").excluding(task);
System.out.println(foldoc.corpus().size() + " FOLDOC texts for DAPT (evaluation texts excluded)");
task
"""),
("md", """
## 2 · A general checkpoint: WordNet glosses

The general model learns English from the 117k WordNet glosses; its WordPiece vocabulary is
trained on the same glosses, so computing jargon is split into more pieces than a FOLDOC-trained
vocabulary would (as with a real general-purpose BERT). All encoders below share this tokenizer.
"""),
("code", "// cached on disk by its settings, shared with notebook 12 and reruns\n" + GENERAL_CHECKPOINT_CELL),
("md", """
## 3 · Domain-adaptive pretraining (DAPT) on FOLDOC

A copy of the general checkpoint continues masked-LM training on FOLDOC text
(`Pretrainer.builder()...optAdaptation(Adaptation.DAPT)`; the lineage is recorded). The
masked-LM perplexity on the task's test definitions shows how much closer it moved to the domain.
"""),
("code", """
var dapt = general.copy();   // the general checkpoint stays as it is
var daptRun = Pretrainer.builder().setModel(dapt).setTokenizer(tokenizer).optAdaptation(Adaptation.DAPT)
        .setData(foldoc.corpus().split(0.05, 42))
        .optConfig(PretrainConfig.builder().optSteps(daptSteps).optSequenceLength(128).optSeed(42).build())
        .optListener(Live.progress("DAPT on FOLDOC")).run();
var pplConfig = PretrainConfig.builder().optSeed(42).build();
System.out.println(String.format("masked-LM perplexity on the task's test definitions: general %.1f, DAPT %.1f",
        Perplexity.evaluate(general, tokenizer, task.test().texts(), pplConfig).perplexity(),
        Perplexity.evaluate(dapt, tokenizer, task.test().texts(), pplConfig).perplexity()));
"""),
("md", """
## 4 · Six methods, several seeds

`Experiment` runs each method once per seed, evaluates on the test split through Tribuo, and
writes one run record per run (`outputDir/<method>/seed-<n>/run.json`; fine-tuning runs also keep
their own record with the lineage of the checkpoint). The seed changes the classifier's
initialisation, data order and dropout; the pretrained checkpoints stay fixed.
"""),
("code", """
var scratch = MaskedLanguageModel.create(general.config(), 7);   // same architecture, never pretrained
var config = FineTuneConfig.builder().optEpochs(epochs).optMaxLength(maxLength).optLearningRate(learningRate).build();
var exp = Experiment.builder(task).optSeeds(seedList).optOutputDir(Path.of(outputDir)).build();
exp.run("majority", s -> MajorityClassifier.fit(task.train()));
exp.run("TF-IDF + LR", s -> TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.builder().optSeed(s).build()));
exp.run("linear probe (general)", s -> LinearProbe.fit(general, tokenizer, task.train(), s));
exp.runFineTuned("fine-tuned from scratch", s -> FineTuner.builder().setModel(scratch).setTokenizer(tokenizer)
        .setData(task).optConfig(config.toBuilder().optSeed(s).build()).optListener(Live.progress("from scratch, seed " + s))
        .run());
exp.runFineTuned("fine-tuned from general", s -> FineTuner.builder().setModel(general).setTokenizer(tokenizer)
        .setData(task).optConfig(config.toBuilder().optSeed(s).build()).optListener(Live.progress("from general, seed " + s))
        .run());
exp.runFineTuned("fine-tuned from DAPT", s -> FineTuner.builder().setModel(dapt).setTokenizer(tokenizer)
        .setData(task).optConfig(config.toBuilder().optSeed(s).build()).optListener(Live.progress("from DAPT, seed " + s))
        .run());
var comparison = exp.comparison().against("TF-IDF + LR");
comparison
"""),
("code", """
comparison.chart()
"""),
("md", """
## 5 · Reading the numbers honestly

The cell below states, from the numbers above, whether pretraining helped fine-tuning (general vs
scratch), whether DAPT helped (DAPT vs general), and whether any fine-tuned encoder beat TF-IDF —
an effect counts only when the means differ by more than the larger standard deviation.
"""),
("code", """
// comparison.difference: "higher"/"lower" only when the means differ by more than the larger sd
System.out.println(comparison.difference("fine-tuned from general", "fine-tuned from scratch", Metrics.TEST_MACRO_F1));
System.out.println(comparison.difference("fine-tuned from DAPT", "fine-tuned from general", Metrics.TEST_MACRO_F1));
System.out.println(comparison.difference("fine-tuned from DAPT", "TF-IDF + LR", Metrics.TEST_MACRO_F1));
System.out.println(comparison.verdict());
"""),
("md", """
## 6 · The comparison from the records alone

Every number above can be rebuilt from the run records on disk (config, versions, data checksums,
metrics per run), for example after the kernel restarted:
"""),
("code", """
Comparison.fromRecords(Path.of(outputDir)).against("TF-IDF + LR").table()
"""),
("code", """
for (var m : java.util.List.of(scratch, dapt, general)) m.close();
tokenizer.close();
"""),
]

write(os.path.join(os.path.dirname(__file__), "..", "10-finetuning-foldoc-topics.ipynb"), cells)
