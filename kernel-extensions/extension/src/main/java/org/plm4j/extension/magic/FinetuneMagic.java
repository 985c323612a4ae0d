package org.plm4j.extension.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.extension.progress.FineTuneProgress;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.session.Session;
import org.plm4j.finetune.ClassWeighting;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.finetune.FineTuner;
import org.plm4j.finetune.LossFunction;
import org.plm4j.finetune.Pooling;
import org.plm4j.finetune.TwoStage;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * {@code %finetune}: sequence classification on a labelled dataset from a notebook line. A thin
 * parser over {@link FineTuner#fineTune}: it resolves the checkpoint (a session variable or a
 * directory), the tokenizer and the dataset, runs with a live progress display, shows the history
 * and the validation/test evaluations and binds the {@link FineTuneResult} with {@code --as}.
 */
public final class FinetuneMagic extends OptionsMagic {

    private static final FineTuneConfig DEFAULTS = FineTuneConfig.defaults();

    static final MagicOptions OPTIONS = MagicOptions.builder("finetune",
                    "fine-tune an encoder for classification (standard or two-stage for class imbalance)")
            .option("model", "VAR|NAME|DIR", null, "a MaskedLanguageModel variable (the checkpoint is copied, never changed), "
                    + "or a pretrained model by name (all-MiniLM-L6-v2) or Hugging Face directory, with its own tokenizer")
            .option("checkpoint", "DIR", null, "or a saved checkpoint directory (model.save(dir), or a pretraining --out)")
            .option("tokenizer", "VAR", null, "the Tokenizer variable the checkpoint was trained with (required unless --model names a pretrained model)")
            .option("dataset", "NAME|VAR", Datasets.FOLDOC_TOPICS,
                    "a task (foldoc-topics, wordnet-supersenses) or a LabeledDataset variable")
            .option("epochs", "N", DEFAULTS.epochs(), "maximum epochs (stage 2 when --two-stage)")
            .option("lr", "RATE", DEFAULTS.learningRate(), "peak learning rate (linear warm-up and decay)")
            .option("batch", "N", DEFAULTS.batchSize(), "examples per step")
            .option("max-length", "N", DEFAULTS.maxLength(), "longest input in tokens; longer texts are truncated")
            .option("pooling", "cls|mean", DEFAULTS.pooling().name().toLowerCase(Locale.ROOT), "what the head sees")
            .option("dropout", "P", DEFAULTS.classifierDropout(), "dropout before the classifier layer")
            .option("patience", "N", DEFAULTS.patience(), "stop after N epochs without a better validation macro-F1 (0: never)")
            .option("freeze", "none|head|top:K", "none",
                    "none: everything trains; head: only the head; top:K: the top K layers and the head")
            .option("class-weights", "none|inverse|effective", "none", "class weights of the loss")
            .option("beta", "B", DEFAULTS.beta(), "effective-number beta (Cui et al. 2019)")
            .option("loss", "ce|ldam", "ce", "cross-entropy or the LDAM margin loss")
            .flag("two-stage", "two-stage fine-tuning: stage 1 trains head + top layer with class-balanced LDAM, stage 2 everything")
            .option("stage1-epochs", "N", TwoStage.DEFAULT.epochs(), "stage-1 epochs with --two-stage")
            .option("stage1-lr", "RATE", TwoStage.DEFAULT.learningRate(), "stage-1 learning rate with --two-stage")
            .option("seed", "N", DEFAULTS.seed(), "seed for the head, data order and dropout")
            .option("out", "DIR", null, "write the classifier, run.json and history.csv here")
            .option("as", "NAME", null, "bind the FineTuneResult to this variable (result.classifier().predict(text))")
            .javaCall("""
                    LabeledDataset data = Datasets.task("foldoc-topics");
                    FineTuneConfig config = FineTuneConfig.builder().optEpochs(epochs).optLearningRate(lr)
                            .optBatchSize(batch).optMaxLength(maxLength).optPooling(Pooling.CLS).optSeed(seed)
                            // --freeze head|top:K       .optTrainableLayers(0 | K)
                            // --class-weights effective .optClassWeighting(ClassWeighting.EFFECTIVE_NUMBER)
                            // --loss ldam               .optLoss(LossFunction.LDAM)
                            // --two-stage               .optTwoStage(TwoStage.DEFAULT.withEpochs(n).withLearningRate(r))
                            .build();
                    FineTuneResult result = FineTuner.fineTune(model, tokenizer, data, config,
                            FineTuneListener.printing(System.out));
                    result.classifier().predict("a protocol for sending electronic mail");
                    // --model all-MiniLM-L6-v2: try (PretrainedModel pm = Pretrained.load("all-MiniLM-L6-v2")) {
                    //   FineTuner.fineTune(pm.model(), pm.tokenizer(), data, config, listener); }""")
            .build();

    public FinetuneMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        FineTuneConfig config = config(p);
        LabeledDataset data = dataset(session, p.required("dataset"), "%finetune");
        String modelSpec = p.string("model");
        PretrainedModel pretrained = null;
        if (modelSpec != null && session.variable(modelSpec).isEmpty()) {
            try {
                pretrained = Files.isDirectory(Path.of(modelSpec)) ? Pretrained.load(Path.of(modelSpec))
                        : Pretrained.load(modelSpec);
            } catch (IllegalArgumentException | CheckpointException e) {
                throw p.error("--model " + modelSpec + ": no such variable, and " + e.getMessage());
            }
        }
        try {
            fineTune(kernel, session, p, config, data, pretrained);
        } finally {
            if (pretrained != null) {
                // the classifier holds a copy of the encoder, but the tokenizer itself
                pretrained.model().close();
                if (p.identifier("as") == null) {
                    pretrained.tokenizer().close();
                }
            }
        }
    }

    private void fineTune(BaseKernel kernel, Session session, MagicOptions.Parsed p, FineTuneConfig config,
                          LabeledDataset data, PretrainedModel pretrained) {
        String as = p.identifier("as");
        Tokenizer tokenizer = pretrained != null && p.string("tokenizer") == null ? pretrained.tokenizer()
                : tokenizer(session, p);
        String modelVar = pretrained == null ? p.identifier("model") : null;
        MaskedLanguageModel model;
        boolean loaded = false;
        if (pretrained != null) {
            model = pretrained.model();
        } else if (modelVar != null) {
            model = session.variable(modelVar, MaskedLanguageModel.class, "--model").orElseThrow(() -> p.error(
                    "--model " + modelVar + ": no such variable; pretrain one with %pretrain --model " + modelVar
                            + ", or pass --checkpoint DIR"));
        } else if (p.string("checkpoint") != null) {
            model = MaskedLanguageModel.load(Path.of(p.string("checkpoint")));
            loaded = true;
        } else {
            throw p.error("name the checkpoint to fine-tune: --model VAR or --checkpoint DIR");
        }
        try {
            String title = String.format(Locale.ROOT, "%s %s on %s", config.twoStage() == null ? "fine-tuning"
                    : "two-stage fine-tuning", model.config().preset(), data.name());
            FineTuneProgress progress = new FineTuneProgress(ProgressDisplay.forKernel(kernel, title));
            FineTuneResult result;
            try {
                result = FineTuner.fineTune(model, tokenizer, data.train(), data.validation(), data.test(), config,
                        progress, () -> false);
            } catch (IllegalArgumentException e) {
                throw p.error(e.getMessage());
            }
            kernel.display(kernel.getRenderer().render(result));
            kernel.display(kernel.getRenderer().render(result.chart()));
            if (as != null) {
                session.bind(as, result, FineTuneResult.class);
            }
        } finally {
            if (loaded) {
                model.close();
            }
        }
    }

    static FineTuneConfig config(MagicOptions.Parsed p) {
        try {
            FineTuneConfig.Builder b = FineTuneConfig.builder().optEpochs(p.integer("epochs")).optLearningRate(p.real("lr"))
                    .optBatchSize(p.integer("batch")).optMaxLength(p.integer("max-length"))
                    .optPooling(Pooling.parse(p.required("pooling"))).optClassifierDropout((float) p.real("dropout"))
                    .optPatience(p.integer("patience")).optTrainableLayers(trainableLayers(p, p.required("freeze")))
                    .optClassWeighting(ClassWeighting.parse(p.required("class-weights"))).optBeta(p.real("beta"))
                    .optLoss(LossFunction.parse(p.required("loss"))).optSeed(p.longValue("seed"));
            if (p.flag("two-stage")) {
                b.optTwoStage(TwoStage.DEFAULT.withEpochs(p.integer("stage1-epochs"))
                        .withLearningRate(p.real("stage1-lr")));
            }
            if (p.string("out") != null) {
                b.optOutputDir(Path.of(p.string("out")));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
    }

    private static int trainableLayers(MagicOptions.Parsed p, String freeze) {
        String f = freeze.trim().toLowerCase(Locale.ROOT);
        if (f.equals("none")) {
            return -1;
        }
        if (f.equals("head")) {
            return 0;
        }
        if (f.startsWith("top:")) {
            try {
                int k = Integer.parseInt(f.substring(4));
                if (k > 0) {
                    return k;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw p.error("--freeze must be none, head or top:K with K > 0, got '" + freeze + "'");
    }

    static Tokenizer tokenizer(Session session, MagicOptions.Parsed p) {
        String var = p.identifier("tokenizer");
        if (var == null) {
            throw p.error("--tokenizer VAR is required: the tokenizer the checkpoint was trained with");
        }
        return session.variable(var, Tokenizer.class, "--tokenizer").orElseThrow(() -> p.error(
                "--tokenizer " + var + ": no such variable; train one with %tokenizer --as " + var
                        + " or %pretrain --tokenizer " + var));
    }

    static LabeledDataset dataset(Session session, String spec, String magic) {
        var v = session.variable(spec);
        if (v.isPresent()) {
            if (v.get() instanceof LabeledDataset d) {
                return d;
            }
            throw new MagicUsageException(magic + ": --dataset " + spec + " holds a " + v.get().getClass().getName()
                    + "; pass a LabeledDataset variable or a task name (" + Datasets.FOLDOC_TOPICS + ", "
                    + Datasets.WORDNET_SUPERSENSES + ")");
        }
        if (!spec.equals(Datasets.FOLDOC_TOPICS) && !spec.equals(Datasets.WORDNET_SUPERSENSES)) {
            throw new MagicUsageException(magic + ": --dataset " + spec + " is neither a LabeledDataset variable nor a"
                    + " task; use " + Datasets.FOLDOC_TOPICS + " or " + Datasets.WORDNET_SUPERSENSES
                    + " (or LabeledDataset.of(texts) in a cell)");
        }
        return Datasets.task(spec);
    }
}
