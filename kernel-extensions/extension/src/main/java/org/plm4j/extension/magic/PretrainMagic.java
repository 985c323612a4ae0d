package org.plm4j.extension.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.plm4j.corpus.Corpora;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.WordNet;
import org.plm4j.extension.progress.PretrainProgress;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.session.Session;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.pretrain.Pretrainer;
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
public final class PretrainMagic implements LineMagic<Void, BaseKernel> {

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
            .option("steps", "N", DEFAULTS.steps(), "optimiser steps")
            .option("batch", "N", DEFAULTS.batchSize(), "sequences per step")
            .option("seq", "N", DEFAULTS.sequenceLength(), "tokens per sequence")
            .option("lr", "RATE", DEFAULTS.learningRate(), "peak learning rate (AdamW, linear warm-up and decay)")
            .option("seed", "N", DEFAULTS.seed(), "seed for split, initialisation, masking and batching")
            .option("eval-every", "N", DEFAULTS.evalEvery(), "steps between held-out evaluations")
            .option("out", "DIR", null, "write run.json, history and the final checkpoint here")
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
                            org.plm4j.extension.Live.progress("pretraining"));""")
            .build();

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        MagicOptions.Parsed p = OPTIONS.parse(args);
        if (p.flag("help")) {
            kernel.display(new org.dflib.jjava.jupyter.kernel.display.DisplayData(OPTIONS.help()));
            return null;
        }
        Session session = new Session(kernel);
        String as = p.identifier("as");
        String tokenizerVar = p.identifier("tokenizer");
        String modelVar = p.identifier("model");

        PretrainConfig.Builder cb = PretrainConfig.builder()
                .optSteps(p.integer("steps")).optBatchSize(p.integer("batch")).optSequenceLength(p.integer("seq"))
                .optLearningRate((float) p.real("lr")).optSeed(p.longValue("seed")).optEvalEvery(p.integer("eval-every"));
        if (p.string("out") != null) {
            cb.optOutputDir(Path.of(p.string("out")));
        }
        PretrainConfig config = cb.build();

        Corpus corpus = corpus(session, p.string("corpus"));
        CorpusSplit split = corpus.split(config.heldOutFraction(), config.seed());

        Tokenizer tokenizer = tokenizerVar == null ? null
                : session.variable(tokenizerVar, Tokenizer.class, "--tokenizer").orElse(null);
        boolean newTokenizer = tokenizer == null;
        if (newTokenizer) {
            tokenizer = WordPieceTrainer.train(split.train(), WordPieceConfig.builder().optVocabSize(p.integer("vocab")).build());
            System.out.println("trained " + tokenizer);
        }
        MaskedLanguageModel model = modelVar == null ? null
                : session.variable(modelVar, MaskedLanguageModel.class, "--model").orElse(null);
        boolean newModel = model == null;
        if (newModel) {
            model = MaskedLanguageModel.create(preset(p, tokenizer.vocabSize()), config.seed());
            System.out.println("created " + model);
        } else {
            System.out.println("continuing " + modelVar + " on " + corpus.name() + " (" + corpus.size() + " texts)");
        }

        String title = String.format(Locale.ROOT, "%s %s on %s", newModel ? "pretraining" : "continued pretraining",
                model.config().preset(), corpus.name());
        PretrainResult result = Pretrainer.pretrain(model, tokenizer, split, config,
                new PretrainProgress(ProgressDisplay.forKernel(kernel, title)));

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
        return null;
    }

    private static EncoderConfig preset(MagicOptions.Parsed p, int vocabSize) {
        return switch (p.required("preset")) {
            case "tiny" -> EncoderConfig.tiny(vocabSize);
            case "mini" -> EncoderConfig.mini(vocabSize);
            case "small" -> EncoderConfig.small(vocabSize);
            default -> throw p.error("--preset must be tiny, mini or small, got '" + p.string("preset") + "'");
        };
    }

    private static Corpus corpus(Session session, String spec) {
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
