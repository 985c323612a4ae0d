package org.plm4j.pretrain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;
import org.plm4j.train.TrainingListener;

/**
 * A pretraining run with everything around it decided: which tokenizer (given, or a WordPiece
 * vocabulary trained on the training split), which model (given to continue it, loaded from a
 * checkpoint to resume, loaded from the pretrained catalogue with its own tokenizer, or created
 * from a preset), what kind of run (pretraining, DAPT, TAPT, resume) and with which settings. A
 * pretrained model that came without a masked-LM head gets a fresh head that is warmed up first
 * (10 % of the steps, unless the settings say otherwise). This is the one recipe behind {@code %pretrain}; a script
 * calls it the same way:
 *
 * <pre>{@code
 * PretrainPlan plan = PretrainPlan.builder().setData(corpus).optVocabSize(8000).optPreset("tiny")
 *         .optConfig(PretrainConfig.builder().optSteps(300).build()).build();   // trains the tokenizer, creates the model
 * PretrainResult result = plan.run(TrainingListener.printing(System.out, 50));
 * plan.tokenizer(); plan.model();                                               // what it made
 * }</pre>
 *
 * <p>{@link Builder#build()} does the preparation (tokenizer training, model creation or
 * loading); {@link #run} trains. The plan owns a model it created or loaded: close it with
 * {@code plan.model().close()} when done with the model.
 */
public final class PretrainPlan {

    private final CorpusSplit split;
    private final String corpusName;
    private final Tokenizer tokenizer;
    private final boolean tokenizerTrained;
    private final MaskedLanguageModel model;
    private final boolean modelCreated;
    private final Adaptation adaptation;
    private final TrainingCheckpoint checkpoint;
    private final PretrainConfig config;
    private final List<String> steps;

    private PretrainPlan(Builder b, CorpusSplit split, Tokenizer tokenizer, boolean tokenizerTrained,
                         MaskedLanguageModel model, boolean modelCreated, Adaptation adaptation,
                         TrainingCheckpoint checkpoint, PretrainConfig config, List<String> steps) {
        this.split = split;
        this.corpusName = b.corpus.name();
        this.tokenizer = tokenizer;
        this.tokenizerTrained = tokenizerTrained;
        this.model = model;
        this.modelCreated = modelCreated;
        this.adaptation = checkpoint != null ? checkpoint.adaptation() : adaptation;
        this.checkpoint = checkpoint;
        this.config = config;
        this.steps = List.copyOf(steps);
    }

    /** A new plan; {@code setData} is required, the rest optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs the planned training on the calling thread (see {@link Pretrainer.Builder#run()}). */
    public PretrainResult run(TrainingListener listener) {
        Pretrainer.Builder b = Pretrainer.builder().setModel(model).setTokenizer(tokenizer).setData(split)
                .optConfig(config).optAdaptation(adaptation).optListener(listener);
        if (checkpoint != null) {
            b.optResumeFrom(checkpoint);
        }
        return b.run();
    }

    /** The tokenizer: the given one, or the one trained for this plan. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Whether {@link #tokenizer()} was trained by this plan. */
    public boolean tokenizerTrained() {
        return tokenizerTrained;
    }

    /** The model: the given one (trained in place), one loaded from the checkpoint, or a new one. */
    public MaskedLanguageModel model() {
        return model;
    }

    /** Whether {@link #model()} was created by this plan (rather than given or loaded). */
    public boolean modelCreated() {
        return modelCreated;
    }

    /** The kind of run. */
    public Adaptation adaptation() {
        return adaptation;
    }

    /** The settings the run uses (a resumed run keeps its checkpoint's). */
    public PretrainConfig config() {
        return config;
    }

    /** The training/held-out split of the corpus. */
    public CorpusSplit split() {
        return split;
    }

    /** A short title, e.g. "pretraining tiny on wordnet-glosses" or "DAPT of tiny on foldoc". */
    public String title() {
        String what = checkpoint != null ? "resuming" : adaptation == Adaptation.PRETRAIN ? "pretraining"
                : adaptation == Adaptation.SELF_PRETRAINING ? adaptation.key()
                : adaptation.key().toUpperCase(java.util.Locale.ROOT) + " of";
        return what + " " + model.config().preset() + " on " + corpusName;
    }

    /** What the plan did and will do, one line per step. */
    @Override
    public String toString() {
        return String.join("\n", steps);
    }

    /** Collects a plan's inputs; {@link #build()} resolves them. */
    public static final class Builder {
        private Corpus corpus;
        private Tokenizer tokenizer;
        private int vocabSize = WordPieceConfig.DEFAULT_VOCAB_SIZE;
        private MaskedLanguageModel model;
        private String preset = "tiny";
        private Adaptation adaptation = Adaptation.PRETRAIN;
        private Path resumeFrom;
        private String pretrained;
        private PretrainConfig config = PretrainConfig.builder().build();

        private Builder() {}

        /** The text (split by the settings' {@code heldOutFraction} and seed). */
        public Builder setData(Corpus corpus) {
            this.corpus = corpus;
            return this;
        }

        /** The tokenizer to use (null: train a WordPiece vocabulary on the training split). */
        public Builder optTokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /** The vocabulary size of a trained tokenizer. */
        public Builder optVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** The model to continue (null: create one from the preset, or load the checkpoint's to resume). */
        public Builder optModel(MaskedLanguageModel model) {
            this.model = model;
            return this;
        }

        /** The preset of a new model: tiny, mini or small ({@link EncoderConfig#presets}). */
        public Builder optPreset(String preset) {
            this.preset = preset;
            return this;
        }

        /**
         * Continue a pretrained model, by catalogue name (e.g. {@code all-MiniLM-L6-v2}) or Hugging Face
         * directory, with its own tokenizer ({@link Pretrained#load}); the run is DAPT unless
         * {@link #optAdaptation} says TAPT.
         */
        public Builder optPretrained(String nameOrDirectory) {
            this.pretrained = nameOrDirectory;
            return this;
        }

        /** DAPT or TAPT continue a given model; SELF_PRETRAINING starts from scratch like PRETRAIN (the default). */
        public Builder optAdaptation(Adaptation adaptation) {
            this.adaptation = adaptation;
            return this;
        }

        /** Resume the run whose checkpoints are under {@code dir} (its settings and adaptation are used). */
        public Builder optResumeFrom(Path dir) {
            this.resumeFrom = dir;
            return this;
        }

        /** The run's settings. */
        public Builder optConfig(PretrainConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Resolves the plan: trains the tokenizer if none was given, loads or creates the model.
         *
         * @throws IllegalArgumentException naming what is missing or inconsistent and what to do
         * @throws CheckpointException if the checkpoint to resume is missing or corrupt
         */
        public PretrainPlan build() {
            if (corpus == null) {
                throw new IllegalArgumentException("a pretraining plan needs text: setData(corpus)");
            }
            boolean fromScratch = adaptation == Adaptation.PRETRAIN || adaptation == Adaptation.SELF_PRETRAINING;
            if (adaptation == Adaptation.SELF_PRETRAINING && (model != null || pretrained != null)) {
                throw new IllegalArgumentException("self-pretraining starts from scratch: drop optModel/optPretrained"
                        + " (or use Adaptation.TAPT to continue a trained model on the task's text)");
            }
            if (!fromScratch && model == null && resumeFrom == null && pretrained == null) {
                throw new IllegalArgumentException(adaptation.key() + " continues a trained model: give it with "
                        + "optModel(model) (in %pretrain: --model VAR naming a trained model)");
            }
            List<String> steps = new ArrayList<>();
            MaskedLanguageModel givenModel = model;
            Tokenizer givenTokenizer = tokenizer;
            Adaptation adapt = adaptation;
            TrainingCheckpoint checkpoint = resumeFrom == null ? null : TrainingCheckpoint.latest(resumeFrom);
            PretrainConfig cfg = checkpoint != null ? checkpoint.config() : config;
            if (pretrained != null) {
                if (model != null || tokenizer != null || checkpoint != null) {
                    throw new IllegalArgumentException("optPretrained(\"" + pretrained + "\") brings its own model and "
                            + "tokenizer: do not also give optModel, optTokenizer or optResumeFrom");
                }
                java.nio.file.Path dir = java.nio.file.Path.of(pretrained);
                PretrainedModel pm = java.nio.file.Files.isDirectory(dir) ? Pretrained.load(dir, cfg.seed())
                        : Pretrained.load(pretrained, cfg.seed());
                givenModel = pm.model();
                givenTokenizer = pm.tokenizer();
                steps.add("loaded " + pm.name() + ": " + givenModel + " with its tokenizer (" + givenTokenizer.vocabSize()
                        + " ids)");
                if (adapt == Adaptation.PRETRAIN) {
                    adapt = Adaptation.DAPT;
                }
                if (givenModel.mlmHeadInitialised() && cfg.headWarmupSteps() == 0 && cfg.steps() > 1) {
                    int warm = Math.max(1, cfg.steps() / 10);
                    cfg = cfg.toBuilder().optHeadWarmupSteps(warm).build();
                    steps.add("its masked-LM head is new: the first " + warm + " steps train only the head");
                }
            }
            if (corpus.size() < 2) {
                throw new IllegalArgumentException("corpus '" + corpus.name() + "' has " + corpus.size()
                        + " texts; pretraining needs at least 2 (one is held out)");
            }
            CorpusSplit split = corpus.split(cfg.heldOutFraction(), cfg.seed());
            Tokenizer tok = givenTokenizer;
            if (tok == null) {
                WordPieceTokenizer trained = WordPieceTrainer.train(split.train(),
                        WordPieceConfig.builder().optVocabSize(vocabSize).build());
                steps.add("trained " + trained);
                tok = trained;
            }
            MaskedLanguageModel m = givenModel;
            if (m == null && checkpoint != null) {
                m = checkpoint.loadModel();
                steps.add("resuming " + checkpoint);
            } else if (m == null) {
                m = MaskedLanguageModel.create(EncoderConfig.preset(preset, tok.vocabSize()), cfg.seed());
                steps.add("created " + m);
            } else {
                steps.add("continuing " + m + " on " + corpus.name() + " (" + corpus.size() + " texts)");
            }
            return new PretrainPlan(this, split, tok, givenTokenizer == null, m, givenModel == null && checkpoint == null,
                    adapt, checkpoint, cfg, steps);
        }
    }
}
