import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from make_notebook import write

cells = [
("md", """
# 11 · Two-stage fine-tuning for class-imbalanced data

**What this shows.** Standard fine-tuning versus *two-stage fine-tuning* (ValizadehAslani et al.
2022) on a strongly imbalanced task: WordNet glosses labelled with their lexicographer file
(`wordnet-supersenses`, 45 classes; the largest has 11,460 training glosses, the smallest 34).
Stage 1 trains only the classification head and the top encoder layer with a class-balanced loss
(LDAM with effective-number weights, Cui et al. 2019, beta = 0.9999); stage 2 fine-tunes the whole
model with plain cross-entropy at a lower learning rate. The question is whether the rare (tail)
classes gain — so the table reports macro-F1 over the tail classes (the two thirds of classes with
the fewest training examples) next to the overall numbers, mean ± sd over seeds.

**Scale.** A documented subsample keeps this to minutes on 2 cores (`LabeledDataset.subsample`:
uniform, so the imbalance is kept; the notes of its manifest say how it was drawn). With few
examples of the rarest classes, expect noisy tail numbers; the last cell says whether the
difference is larger than the spread over seeds.
"""),
("code", """
import java.nio.file.*;
import org.plm4j.datasets.*;
import org.plm4j.tokenizer.*;
import org.plm4j.model.*;
import org.plm4j.pretrain.*;
import org.plm4j.finetune.*;
import org.plm4j.experiment.*;
import org.plm4j.record.*;
import org.plm4j.baseline.*;
import org.plm4j.extension.Live;
"""),
("params", """
// parameters (./plm4j run -p name=value overrides these)
String seeds = "1,2,3";
int trainSize = 6000;
int evalSize = 1500;
int vocabSize = 8000;
int generalSteps = 800;
int epochs = 3;
int stage1Epochs = 2;
int maxLength = 48;
double learningRate = 1e-3;
String outputDir = System.getProperty("java.io.tmpdir") + "/plm4j-runs/11-two-stage";
"""),
("md", """
## 1 · The imbalanced task
"""),
("code", """
long[] seedList = java.util.Arrays.stream(seeds.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
var full = Datasets.task("wordnet-supersenses");
var data = full.subsample(trainSize, evalSize, 42);
data.manifest().notes().forEach(System.out::println);
data.distributionChart()
"""),
("md", """
## 2 · A pretrained checkpoint

Masked-LM pretraining on WordNet glosses *excluding* every gloss of the task's validation and test
splits (`Datasets.corpus("wordnet-glosses").excluding(full)`), so the encoder never saw an
evaluation text.
"""),
("code", """
var glosses = Datasets.corpus("wordnet-glosses").excluding(full).corpus();
var tokenizer = WordPieceTrainer.train(glosses, WordPieceConfig.builder().optVocabSize(vocabSize).build());
var model = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()), 42);
Pretrainer.builder().setModel(model).setTokenizer(tokenizer).setData(glosses)
        .optConfig(PretrainConfig.builder().optSteps(generalSteps).optSeed(42).build())
        .optListener(Live.progress("pretraining on WordNet glosses (evaluation texts excluded)")).run()
"""),
("md", """
## 3 · Standard, class-weighted and two-stage fine-tuning over seeds

TF-IDF + logistic regression is shown as a reference for what the task allows at this size. The same
checkpoint and the same stage-2 settings for the three fine-tuning methods; two-stage adds `stage1Epochs`
epochs of head + top-layer training with LDAM and effective-number weights before them
(`FineTuneConfig.builder().optTwoStage(true)` — one option). The class-weighted row applies the
same effective-number weights to ordinary single-stage fine-tuning, to separate the effect of the
weights from the effect of the two stages.
"""),
("code", """
var standard = FineTuneConfig.builder().optEpochs(epochs).optMaxLength(maxLength).optLearningRate(learningRate).build();
var weighted = standard.toBuilder().optClassWeighting(ClassWeighting.EFFECTIVE_NUMBER).build();
var twoStage = standard.toBuilder().optTwoStage(TwoStage.builder().optEpochs(stage1Epochs).build()).build();
var exp = Experiment.builder(data).optSeeds(seedList).optOutputDir(Path.of(outputDir)).build();
exp.run("TF-IDF + LR (reference)", s -> TfIdfLogisticRegression.fit(data.train(), TfIdfConfig.builder().optSeed(s).build()));
exp.runFineTuned("standard", s -> FineTuner.builder().setModel(model).setTokenizer(tokenizer).setData(data)
        .optConfig(standard.toBuilder().optSeed(s).build()).optListener(Live.progress("standard, seed " + s)).run());
exp.runFineTuned("class-weighted (CB)", s -> FineTuner.builder().setModel(model).setTokenizer(tokenizer)
        .setData(data).optConfig(weighted.toBuilder().optSeed(s).build())
        .optListener(Live.progress("class-weighted, seed " + s)).run());
exp.runFineTuned("two-stage (LDAM + CB, then CE)", s -> FineTuner.builder().setModel(model).setTokenizer(tokenizer)
        .setData(data).optConfig(twoStage.toBuilder().optSeed(s).build()).optListener(Live.progress("two-stage, seed " + s))
        .run());
var comparison = exp.comparison();
comparison
"""),
("md", """
## 4 · Did the tail classes gain?
"""),
("code", """
for (String metric : java.util.List.of(Metrics.TEST_TAIL_MACRO_F1, Metrics.TEST_MACRO_F1, Metrics.TEST_ACCURACY)) {
    System.out.println(comparison.difference("two-stage (LDAM + CB, then CE)", "standard", metric));
    System.out.println(comparison.difference("class-weighted (CB)", "standard", metric));
}
"""),
("code", """
model.close();
tokenizer.close();
"""),
]

write(os.path.join(os.path.dirname(__file__), "..", "11-two-stage-fine-tuning.ipynb"), cells)
