package org.plm4j.extension.magic;

import java.nio.file.Path;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.datasets.WordNet;
import org.plm4j.extension.progress.TrainingProgressDisplay;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.session.Session;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.Adaptation;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.PretrainPlan;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;

/**
 * {@code %pretrain}: masked-LM pretraining from a notebook line. A thin parser over
 * {@link PretrainPlan}: the session resolves the corpus, tokenizer and model names, the plan decides
 * what to train, create or resume; the run shows a live progress display, the result is shown and
 * bound with {@code --as}.
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
            .option("head-warmup", "N", DEFAULTS.headWarmupSteps(),
                    "train only the masked-LM head for the first N steps (a pretrained model without one gets 10 % by default)")
            .option("steps", "N", DEFAULTS.steps(), "optimiser steps")
            .option("batch", "N", DEFAULTS.batchSize(), "sequences per step")
            .option("seq", "N", DEFAULTS.sequenceLength(), "tokens per sequence")
            .option("lr", "RATE", DEFAULTS.learningRate(), "peak learning rate (AdamW, linear warm-up and decay)")
            .option("seed", "N", DEFAULTS.seed(), "seed for split, initialisation, masking and batching")
            .option("eval-every", "N", DEFAULTS.evalEvery(), "steps between held-out evaluations")
            .option("out", "DIR", null, "write run.json, history and the final checkpoint here")
            .option("checkpoint-every", "N", DEFAULTS.checkpointEvery(),
                    "write a resumable training checkpoint to OUT/checkpoints every N steps (needs --out)")
            .flag("keep-checkpoints", "keep every checkpoint from step 0 (the initialisation) on instead of only the "
                    + "newest: the series %probe reads (needs --checkpoint-every)")
            .option("resume", "DIR", null,
                    "resume the run whose checkpoints are in DIR (its settings are used; --corpus must be the same)")
            .option("adapt", "dapt|tapt", null,
                    "record this run as domain- (dapt) or task-adaptive (tapt) continued pretraining of --model")
            .flag("whole-word", "mask whole words (all ## pieces of a word together)")
            .flag("line-by-line", "one text per sequence instead of packing texts into full sequences")
            .option("accumulate", "N", DEFAULTS.gradientAccumulation(), "micro-batches per optimiser step")
            .option("patience", "N", DEFAULTS.patience(),
                    "stop after N evaluations without a lower held-out loss (0: never)")
            .option("as", "NAME", null, "bind the PretrainResult to this variable")
            .javaCall("""
                    Corpus corpus = WordNet.load().corpus();      // --corpus: a variable, wordnet-glosses or a file
                    PretrainConfig config = PretrainConfig.builder().optSteps(steps).optBatchSize(batch)
                            .optSequenceLength(seq).optLearningRate(lr).optSeed(seed).optEvalEvery(evalEvery)
                            .optWholeWordMasking(wholeWord).optPacking(!lineByLine).optGradientAccumulation(accumulate)
                            .optPatience(patience).optCheckpointEvery(checkpointEvery)
                            .optKeepCheckpoints(keepCheckpoints).optHeadWarmupSteps(headWarmup).build();
                    PretrainPlan plan = PretrainPlan.builder().setData(corpus)
                            .optTokenizer(tokenizer)                      // null: train WordPiece with optVocabSize(vocab)
                            .optModel(model).optPreset("tiny")            // null model: create one from the preset
                            .optPretrained(null)                          // --from all-MiniLM-L6-v2: its model and tokenizer
                            .optAdaptation(Adaptation.PRETRAIN)           // --adapt dapt|tapt: DAPT, TAPT
                            .optResumeFrom(null)                          // --resume DIR: Path.of(dir)
                            .optConfig(config).build();
                    PretrainResult result = plan.run(org.plm4j.extension.Live.progress(plan.title()));""")
            .build();

    public PretrainMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        SessionResolver resolve = new SessionResolver(session, "pretrain");
        String as = p.identifier("as");
        String tokenizerVar = p.identifier("tokenizer");
        String modelVar = p.identifier("model");
        Adaptation adaptation = Adaptation.PRETRAIN;
        if (p.string("adapt") != null) {
            adaptation = switch (p.string("adapt").toLowerCase(Locale.ROOT)) {
                case "dapt" -> Adaptation.DAPT;
                case "tapt" -> Adaptation.TAPT;
                default -> throw p.error("--adapt must be dapt or tapt, got '" + p.string("adapt") + "'");
            };
        }
        String from = p.string("from");
        if (from != null && modelVar == null) {
            throw p.error("--from " + from + " loads a pretrained model: name the variable that will hold the adapted "
                    + "model with --model VAR");
        }
        MaskedLanguageModel existing = from != null ? null : resolve.modelIfDefined(modelVar);
        Tokenizer tokenizer = from != null ? null : resolve.tokenizerIfDefined(tokenizerVar);
        PretrainPlan plan;
        try {
            PretrainConfig.Builder cb = PretrainConfig.builder()
                    .optSteps(p.integer("steps")).optBatchSize(p.integer("batch")).optSequenceLength(p.integer("seq"))
                    .optLearningRate((float) p.real("lr")).optSeed(p.longValue("seed"))
                    .optEvalEvery(p.integer("eval-every")).optWholeWordMasking(p.flag("whole-word"))
                    .optPacking(!p.flag("line-by-line")).optGradientAccumulation(p.integer("accumulate"))
                    .optPatience(p.integer("patience")).optCheckpointEvery(p.integer("checkpoint-every"))
                    .optKeepCheckpoints(p.flag("keep-checkpoints")).optHeadWarmupSteps(p.integer("head-warmup"));
            if (p.string("out") != null) {
                cb.optOutputDir(Path.of(p.string("out")));
            }
            plan = PretrainPlan.builder().setData(resolve.corpus(p.string("corpus"))).optTokenizer(tokenizer)
                    .optVocabSize(p.integer("vocab")).optModel(existing).optPreset(p.required("preset"))
                    .optAdaptation(adaptation).optPretrained(from)
                    .optResumeFrom(p.string("resume") == null ? null : Path.of(p.string("resume")))
                    .optConfig(cb.build()).build();
        } catch (IllegalArgumentException | org.plm4j.model.CheckpointException e) {
            throw p.error(e.getMessage());
        }
        System.out.println(plan);
        PretrainResult result = plan.run(new TrainingProgressDisplay(ProgressDisplay.forKernel(kernel, plan.title())));
        kernel.display(kernel.getRenderer().render(result));
        kernel.display(kernel.getRenderer().render(result.lossChart()));
        if (plan.tokenizerTrained() && tokenizerVar != null) {
            session.bind(tokenizerVar, plan.tokenizer(), WordPieceTokenizer.class);
        } else if (from != null && tokenizerVar != null) {
            session.bind(tokenizerVar, plan.tokenizer(), Tokenizer.class);
        }
        if (existing == null && modelVar != null) {
            session.bind(modelVar, plan.model(), MaskedLanguageModel.class);
        }
        if (as != null) {
            session.bind(as, result, PretrainResult.class);
        }
    }
}
