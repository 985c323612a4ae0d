package org.plm4j.extension.magic;

import org.plm4j.train.TrainingListener;
import java.nio.file.Path;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.extension.progress.TrainingProgressDisplay;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.session.Session;
import org.plm4j.finetune.ClassWeighting;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.finetune.FineTuner;
import org.plm4j.finetune.Head;
import org.plm4j.finetune.LossFunction;
import org.plm4j.finetune.Pooling;
import org.plm4j.finetune.Privacy;
import org.plm4j.finetune.TwoStage;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * {@code %finetune}: sequence classification on a labelled dataset from a notebook line. A thin
 * parser over {@link FineTuner#builder()}: it resolves the checkpoint (a session variable or a
 * directory), the tokenizer and the dataset, runs with a live progress display, shows the history
 * and the validation/test evaluations and binds the {@link FineTuneResult} with {@code --as}.
 */
public final class FineTuneMagic extends OptionsMagic {

    private static final FineTuneConfig DEFAULTS = FineTuneConfig.defaults();

    static final MagicOptions OPTIONS = MagicOptions.builder("finetune",
                    "fine-tune an encoder for classification (standard or two-stage for class imbalance)")
            .option("model", "VAR|NAME|DIR", null, "a MaskedLanguageModel variable (the checkpoint is copied, never changed), "
                    + "or a pretrained model by name (all-MiniLM-L6-v2) or Hugging Face directory, with its own tokenizer")
            .option("checkpoint", "DIR", null, "or a saved checkpoint directory (model.save(dir), or a pretraining --out)")
            .option("tokenizer", "VAR", null,
                    "the Tokenizer variable the checkpoint was trained with (required unless --model names a pretrained model)")
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
                    "none: everything trains; head: only the head; top:K: the top K layers and the head"
                            + " (head when --dp-epsilon is given)")
            .option("head", "linear|prototypical|mixed", DEFAULTS.head().name().toLowerCase(Locale.ROOT),
                    "linear layer, class prototypes (distance logits), or both weighted by data size")
            .option("prototype-scale", "S", DEFAULTS.prototypeScale(), "factor on the prototypes' negative squared distances")
            .option("dp-epsilon", "EPS", null, "differentially private fine-tuning (DP-SGD) of the head, or of the top K layers too with --freeze top:K,"
                    + " with this epsilon")
            .option("dp-delta", "DELTA", Privacy.DEFAULT_DELTA, "delta of the privacy budget (with --dp-epsilon)")
            .option("clip", "C", Privacy.DEFAULT_CLIP, "per-example gradient norm bound (with --dp-epsilon)")
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
                            // --two-stage               .optTwoStage(TwoStage.builder().optEpochs(n).optLearningRate(r).build())
                            // --head prototypical       .optHead(Head.PROTOTYPICAL)
                            // --dp-epsilon 3 --dp-delta 1e-5 --clip 1.0
                            //                           .optFreezeEncoder().optPrivacy(Privacy.of(3, 1e-5, 1.0))
                            .build();
                    FineTuneResult result = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                            .setData(data).optConfig(config).optListener(TrainingListener.printing(System.out, 50))
                            .run();
                    result.classifier().predict("a protocol for sending electronic mail");
                    // --model all-MiniLM-L6-v2: PretrainedModel pm = Pretrained.load("all-MiniLM-L6-v2");
                    //   FineTuner.builder().setModel(pm.model()).setTokenizer(pm.tokenizer())...""")
            .build();

    public FineTuneMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        String as = p.identifier("as");
        FineTuneConfig config = config(p);
        SessionResolver resolve = new SessionResolver(session, "finetune");
        LabeledDataset data = resolve.dataset(p.required("dataset"));
        PretrainedModel pretrained = resolve.pretrainedUnlessVariable(p.string("model"));
        Tokenizer tokenizer = pretrained != null && p.string("tokenizer") == null ? pretrained.tokenizer()
                : resolve.tokenizer(p.identifier("tokenizer"));
        MaskedLanguageModel model;
        boolean loaded = pretrained != null;
        if (pretrained != null) {
            model = pretrained.model();
        } else if (p.string("model") != null) {
            model = resolve.model(p.identifier("model"));
        } else if (p.string("checkpoint") != null) {
            model = MaskedLanguageModel.load(Path.of(p.string("checkpoint")));
            loaded = true;
        } else {
            throw p.error("name the checkpoint to fine-tune: --model VAR|NAME|DIR or --checkpoint DIR");
        }
        boolean bound = false;
        try {
            String title = String.format(Locale.ROOT, "%s %s on %s", config.twoStage() == null ? "fine-tuning"
                    : "two-stage fine-tuning", pretrained != null ? pretrained.name() : model.config().preset(),
                    data.name());
            TrainingProgressDisplay progress = new TrainingProgressDisplay(ProgressDisplay.forKernel(kernel, title));
            FineTuneResult result;
            try {
                result = FineTuner.builder().setModel(model).setTokenizer(tokenizer)
                        .setData(data.train(), data.validation(), data.test()).optConfig(config)
                        .optListener(progress).run();
            } catch (IllegalArgumentException e) {
                throw p.error(e.getMessage());
            }
            kernel.display(kernel.getRenderer().render(result));
            kernel.display(kernel.getRenderer().render(result.chart()));
            if (as != null) {
                session.bind(as, result, FineTuneResult.class);
                bound = true;
            }
        } finally {
            if (loaded) {
                // the classifier holds its own copy of the encoder; it keeps using the tokenizer
                model.close();
            }
            if (pretrained != null && !bound && p.string("tokenizer") == null) {
                pretrained.tokenizer().close();
            }
        }
    }

    static FineTuneConfig config(MagicOptions.Parsed p) {
        try {
            FineTuneConfig.Builder b = FineTuneConfig.builder().optEpochs(p.integer("epochs")).optLearningRate(p.real("lr"))
                    .optBatchSize(p.integer("batch")).optMaxLength(p.integer("max-length"))
                    .optPooling(Pooling.parse(p.required("pooling"))).optClassifierDropout((float) p.real("dropout"))
                    .optPatience(p.integer("patience"))
                    .optTrainableLayers(p.string("dp-epsilon") != null && !p.has("freeze") ? 0
                            : trainableLayers(p, p.required("freeze")))
                    .optHead(Head.parse(p.required("head"))).optPrototypeScale(p.real("prototype-scale"))
                    .optClassWeighting(ClassWeighting.parse(p.required("class-weights"))).optBeta(p.real("beta"))
                    .optLoss(LossFunction.parse(p.required("loss"))).optSeed(p.longValue("seed"));
            if (p.flag("two-stage")) {
                b.optTwoStage(TwoStage.builder().optEpochs(p.integer("stage1-epochs"))
                        .optLearningRate(p.real("stage1-lr")).build());
            }
            if (p.string("dp-epsilon") != null) {
                b.optPrivacy(Privacy.of(p.real("dp-epsilon"), p.real("dp-delta"), p.real("clip")));
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
}
