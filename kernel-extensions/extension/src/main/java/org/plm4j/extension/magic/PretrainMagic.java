package org.plm4j.extension.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.corpus.Corpora;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.WordNet;
import org.plm4j.extension.progress.PretrainProgress;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.session.Session;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.Adaptation;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.pretrain.TrainingCheckpoint;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/**
 * {@code %pretrain}: masked-LM pretraining from a notebook line. A thin parser over
 * {@link Pretrainer#pretrain}: it resolves the corpus, tokenizer and model (existing session
 * variables are reused — continuing a trained model on a new corpus is DAPT, on a task's text
 * TAPT), runs with a live progress display, shows the result and binds it with {@code --as}.
 */
public final class PretrainMagic extends OptionsMagic {

    private static final PretrainConfig DEFAULTS = PretrainConfig.builder().build();

    static final MagicOptions OPTIONS = MagicOptions.builder("pretrain",
                    "masked-language-model pretraining (from scratch, or continued = DAPT/TAPT)")
            .option("corpus", "NAME|PATH|VAR", WordNet.CORPUS_NAME,
                    "a Corpus/LabeledTexts variable, the dataset wordnet-glosses, or a text file (one document per line)")
            .option("tokenizer", "VAR", null,
                    "a Tokenizer variable to use; if no such variable exists, a WordPiece vocabulary is trained and bound to it")
            .option("vocab", "N", WordPieceConfig.DEFAULT_VOCAB_SIZE, "vocabulary size when a tokenizer is trained")
            .option("model", "VAR", null,
                    "a MaskedLanguageModel variable to continue training (DAPT/TAPT); if none exists, a new model is created and bound to it")
            .option("preset", "tiny|mini|small", "tiny", "encoder size for a new model")
            .option("from", "NAME|DIR", null,
                    "continue a pretrained model (all-MiniLM-L6-v2, or a Hugging Face directory) with its own tokenizer; "
                            + "--model VAR receives it (DAPT unless --adapt tapt)")
            .option("steps", "N", DEFAULTS.steps(), "optimiser steps")
            .option("batch", "N", DEFAULTS.batchSize(), "sequences per step")
            .option("seq", "N", DEFAULTS.sequenceLength(), "tokens per sequence")
            .option("lr", "RATE", DEFAULTS.learningRate(), "peak learning rate (AdamW, linear warm-up and decay)")
            .option("seed", "N", DEFAULTS.seed(), "seed for split, initialisation, masking and batching")
            .option("eval-every", "N", DEFAULTS.evalEvery(), "steps between held-out evaluations")
            .option("out", "DIR", null, "write run.json, history and the final checkpoint here")
            .option("checkpoint-every", "N", DEFAULTS.checkpointEvery(),
                    "write a resumable training checkpoint to OUT/checkpoints every N steps (needs --out)")
            .option("resume", "DIR", null,
                    "resume the run whose checkpoints are in DIR (its settings are used; --corpus must be the same)")
            .option("adapt", "dapt|tapt", null,
                    "record this run as domain- (dapt) or task-adaptive (tapt) continued pretraining of --model")
            .flag("whole-word", "mask whole words (all ## pieces of a word together)")
            .flag("line-by-line", "one text per sequence instead of packing texts into full sequences")
            .option("accumulate", "N", DEFAULTS.gradientAccumulation(), "micro-batches per optimiser step")
            .option("patience", "N", DEFAULTS.earlyStoppingPatience(),
                    "stop after N evaluations without a lower held-out loss (0: never)")
            .option("as", "NAME", null, "bind the PretrainResult to this variable")
            .javaCall("""
                    Corpus corpus = WordNet.load().corpus();            // or Corpora.lines(Path.of(file))
                    CorpusSplit split = corpus.split(0.05, seed);
                    WordPieceTokenizer tokenizer = WordPieceTrainer.train(split.train(),
                            WordPieceConfig.builder().optVocabSize(vocab).build());
                    MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()), seed);
                    PretrainConfig config = PretrainConfig.builder().optSteps(steps).optBatchSize(batch)
                            .optSequenceLength(seq).optLearningRate(lr).optSeed(seed).build();
                    PretrainResult result = Pretrainer.pretrain(model, tokenizer, split, config,
                            org.plm4j.extension.Live.progress("pretraining"));
                    // --adapt dapt: Pretrainer.continuePretraining(model, tokenizer, Adaptation.DAPT, split, config, listener, null)
                    // --from all-MiniLM-L6-v2: PretrainedModel pm = Pretrained.load("all-MiniLM-L6-v2");
                    //   Pretrainer.continuePretraining(pm.model(), pm.tokenizer(), Adaptation.DAPT, split, config, listener, null)
                    // --resume DIR: TrainingCheckpoint ck = TrainingCheckpoint.latest(Path.of(dir));
                    //               Pretrainer.resume(ck.loadModel(), tokenizer, split, ck, listener, null)
                    // --whole-word --line-by-line --accumulate N --patience N --checkpoint-every N:
                    //   .optWholeWordMasking(true).optPacking(false).optGradientAccumulation(n)
                    //   .optEarlyStoppingPatience(n).optCheckpointEvery(n)""")
            .build();

    public PretrainMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        String as = p.identifier("as");
        String tokenizerVar = p.identifier("tokenizer");
        String modelVar = p.identifier("model");

        PretrainConfig.Builder cb = PretrainConfig.builder()
                .optSteps(p.integer("steps")).optBatchSize(p.integer("batch")).optSequenceLength(p.integer("seq"))
                .optLearningRate((float) p.real("lr")).optSeed(p.longValue("seed")).optEvalEvery(p.integer("eval-every"))
                .optWholeWordMasking(p.flag("whole-word")).optPacking(!p.flag("line-by-line"))
                .optGradientAccumulation(p.integer("accumulate")).optEarlyStoppingPatience(p.integer("patience"))
                .optCheckpointEvery(p.integer("checkpoint-every"));
        if (p.string("out") != null) {
            cb.optOutputDir(Path.of(p.string("out")));
        }
        TrainingCheckpoint checkpoint = p.string("resume") == null ? null
                : TrainingCheckpoint.latest(Path.of(p.string("resume")));
        PretrainConfig config;
        try {
            config = checkpoint != null ? checkpoint.config() : cb.build();
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        Adaptation adaptation = Adaptation.PRETRAIN;
        if (p.string("adapt") != null) {
            adaptation = switch (p.string("adapt").toLowerCase(Locale.ROOT)) {
                case "dapt" -> Adaptation.DAPT;
                case "tapt" -> Adaptation.TAPT;
                default -> throw p.error("--adapt must be dapt or tapt, got '" + p.string("adapt") + "'");
            };
            if (modelVar == null) {
                throw p.error("--adapt " + p.string("adapt") + " continues a trained model: name it with --model VAR");
            }
        }

        Corpus corpus = corpus(session, p.string("corpus"));
        CorpusSplit split = corpus.split(config.heldOutFraction(), config.seed());

        if (p.string("from") != null) {
            if (modelVar == null) {
                throw p.error("--from " + p.string("from") + " loads a pretrained model: name the variable that will "
                        + "hold the adapted model with --model VAR");
            }
            fromPretrained(kernel, session, p, split, config, adaptation == Adaptation.PRETRAIN ? Adaptation.DAPT
                    : adaptation, modelVar, tokenizerVar, as);
            return;
        }
        Tokenizer tokenizer = tokenizerVar == null ? null
                : session.variable(tokenizerVar, Tokenizer.class, "--tokenizer").orElse(null);
        boolean newTokenizer = tokenizer == null;
        if (newTokenizer) {
            tokenizer = WordPieceTrainer.train(split.train(), WordPieceConfig.builder().optVocabSize(p.integer("vocab")).build());
            System.out.println("trained " + tokenizer);
        }
        MaskedLanguageModel existing = modelVar == null ? null
                : session.variable(modelVar, MaskedLanguageModel.class, "--model").orElse(null);
        MaskedLanguageModel model = existing;
        if (model == null && checkpoint != null) {
            model = checkpoint.loadModel();
            System.out.println("resuming " + checkpoint);
        }
        boolean newModel = existing == null;
        if (model == null) {
            model = MaskedLanguageModel.create(preset(p, tokenizer.vocabSize()), config.seed());
            System.out.println("created " + model);
        } else {
            System.out.println("continuing " + modelVar + " on " + corpus.name() + " (" + corpus.size() + " texts)");
        }

        String title = String.format(Locale.ROOT, "%s %s on %s", newModel ? "pretraining" : "continued pretraining",
                model.config().preset(), corpus.name());
        PretrainProgress progress = new PretrainProgress(ProgressDisplay.forKernel(kernel, title));
        PretrainResult result;
        if (checkpoint != null) {
            result = Pretrainer.resume(model, tokenizer, split, checkpoint, progress, null);
        } else if (adaptation != Adaptation.PRETRAIN) {
            result = Pretrainer.continuePretraining(model, tokenizer, adaptation, split, config, progress, null);
        } else {
            result = Pretrainer.pretrain(model, tokenizer, split, config, progress);
        }

        kernel.display(kernel.getRenderer().render(result));
        kernel.display(kernel.getRenderer().render(result.lossChart()));
        if (newTokenizer && tokenizerVar != null) {
            session.bind(tokenizerVar, tokenizer, WordPieceTokenizer.class);
        }
        if (newModel && modelVar != null) {
            session.bind(modelVar, model, MaskedLanguageModel.class);
        }
        if (as != null) {
            session.bind(as, result, PretrainResult.class);
        }
    }

    /** {@code --from}: continued pretraining of a pretrained model with its own tokenizer. */
    private static void fromPretrained(BaseKernel kernel, Session session, MagicOptions.Parsed p, CorpusSplit split,
                                       PretrainConfig config, Adaptation adaptation, String modelVar,
                                       String tokenizerVar, String as) {
        PretrainedModel pm;
        try {
            String from = p.string("from");
            pm = Files.isDirectory(Path.of(from)) ? Pretrained.load(Path.of(from)) : Pretrained.load(from);
        } catch (IllegalArgumentException | CheckpointException e) {
            throw p.error("--from: " + e.getMessage());
        }
        boolean keep = false;
        try {
            System.out.println("continuing " + pm);
            String title = String.format(Locale.ROOT, "%s of %s", adaptation.name().toLowerCase(Locale.ROOT), pm.name());
            PretrainProgress progress = new PretrainProgress(ProgressDisplay.forKernel(kernel, title));
            PretrainResult result = Pretrainer.continuePretraining(pm.model(), pm.tokenizer(), adaptation, split, config,
                    progress, null);
            kernel.display(kernel.getRenderer().render(result));
            kernel.display(kernel.getRenderer().render(result.lossChart()));
            session.bind(modelVar, pm.model(), MaskedLanguageModel.class);
            keep = true;
            if (tokenizerVar != null) {
                session.bind(tokenizerVar, pm.tokenizer(), Tokenizer.class);
            }
            if (as != null) {
                session.bind(as, result, PretrainResult.class);
            }
        } finally {
            if (!keep) {
                pm.close();
            } else if (tokenizerVar == null) {
                pm.tokenizer().close();
            }
        }
    }

    private static EncoderConfig preset(MagicOptions.Parsed p, int vocabSize) {
        return switch (p.required("preset")) {
            case "tiny" -> EncoderConfig.tiny(vocabSize);
            case "mini" -> EncoderConfig.mini(vocabSize);
            case "small" -> EncoderConfig.small(vocabSize);
            default -> throw p.error("--preset must be tiny, mini or small, got '" + p.string("preset") + "'");
        };
    }

    static Corpus corpus(Session session, String spec) {
        var v = session.variable(spec);
        if (v.isPresent()) {
            Object o = v.get();
            if (o instanceof Corpus c) {
                return c;
            }
            if (o instanceof LabeledTexts t) {
                return t.corpus();
            }
            throw new MagicUsageException("%pretrain: --corpus " + spec + " holds a " + o.getClass().getName()
                    + "; pass a Corpus or LabeledTexts variable, the dataset wordnet-glosses, or a text file");
        }
        if (WordNet.CORPUS_NAME.equals(spec)) {
            return WordNet.load().corpus();
        }
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return Corpora.lines(file);
        }
        throw new MagicUsageException("%pretrain: --corpus " + spec + " is neither a variable of this session, nor the dataset "
                + WordNet.CORPUS_NAME + ", nor a file (looked for " + file.toAbsolutePath() + ")");
    }
}
