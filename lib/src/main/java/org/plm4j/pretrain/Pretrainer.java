package org.plm4j.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.model.CheckpointException;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.train.Evaluation;
import org.plm4j.train.Seeds;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingLoop;
import org.plm4j.train.TrainingOutcome;
import org.plm4j.train.TrainingRequest;
import org.plm4j.record.RunRecord;
import org.plm4j.model.Lineage;
import org.plm4j.record.Metrics;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Masked-language-model pretraining (from scratch, or continued for DAPT/TAPT on a loaded model).
 *
 * <p>One call runs the whole loop on the calling thread:
 * <pre>{@code
 * try (MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 42)) {
 *     PretrainResult r = Pretrainer.builder().setModel(model).setTokenizer(tok).setData(corpus)
 *             .optConfig(PretrainConfig.builder().optSteps(300).build())
 *             .optListener(TrainingListener.printing(System.out, 50)).run();
 *     System.out.println(r);             // held-out perplexity before -> after
 * }
 * }</pre>
 *
 * <p>What it does: tokenises the corpus, holds out {@code heldOutFraction} of the texts
 * (seeded; or takes a given {@link CorpusSplit}), packs texts into full sequences per epoch in a seeded order (batches do not overlap
 * within an epoch), masks each batch dynamically (seeded, split per step), and trains with
 * AdamW, linear warm-up and decay and gradient clipping. The held-out set is evaluated with
 * fixed masks before the first step, every {@code evalEvery} steps and after the last. Every
 * step's native arrays live in a sub-manager closed at the end of the step.
 *
 * <p>Cancellation: between steps the loop checks the thread's interrupt flag and the optional
 * {@code cancel} signal; it then stops, frees its resources and throws
 * {@link PretrainCancelledException} carrying the partial result (the interrupt flag stays set).
 * With {@code outputDir} configured it writes {@code run.json}, {@code history.csv} and, when
 * completed, the final checkpoint to {@code outputDir/checkpoint}.
 */
public final class Pretrainer {

    private Pretrainer() {}

    /** A new pretraining request; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One pretraining request: the model ({@code setModel}), its tokenizer ({@code setTokenizer})
     * and the text ({@code setData}) are required; the settings, the kind of adaptation, a
     * listener, a cancellation signal and a checkpoint to resume from are optional.
     * {@link #run()} trains the model in place on the calling thread.
     */
    public static final class Builder extends TrainingRequest<Builder> {
        private MaskedLanguageModel model;
        private Tokenizer tokenizer;
        private Corpus corpus;
        private TextSource train;
        private Corpus heldOut;
        private PretrainConfig config = PretrainConfig.builder().build();
        private Adaptation adaptation = Adaptation.PRETRAIN;
        private TrainingCheckpoint resumeFrom;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** The model to train in place (a fresh one, or a loaded one to continue). */
        public Builder setModel(MaskedLanguageModel model) {
            this.model = model;
            return this;
        }

        /** The tokenizer the model's vocabulary belongs to. */
        public Builder setTokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /** Trains on {@code corpus} minus {@code heldOutFraction} of its texts (seeded), held out for evaluation. */
        public Builder setData(Corpus corpus) {
            this.corpus = corpus;
            this.train = null;
            this.heldOut = null;
            return this;
        }

        /** Trains on {@code split.train()}, evaluating on {@code split.heldOut()}. */
        public Builder setData(CorpusSplit split) {
            return setData(TextSource.of(split.train()), split.heldOut());
        }

        /**
         * Trains on a (possibly larger than memory) {@code train} source, streamed from disk in
         * shuffled windows of {@link TextSource#SHUFFLE_WINDOW} texts, evaluating on {@code heldOut}.
         */
        public Builder setData(TextSource train, Corpus heldOut) {
            this.corpus = null;
            this.train = train;
            this.heldOut = heldOut;
            return this;
        }

        /** The settings (default: {@code PretrainConfig.builder().build()}); a resumed run keeps its own. */
        public Builder optConfig(PretrainConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Continued pretraining of an already trained model (DAPT on a domain corpus, TAPT on the
         * task's unlabeled text): the same loop, recorded as {@code adaptation} in the run record and
         * in the model's lineage. Default {@link Adaptation#PRETRAIN}.
         */
        public Builder optAdaptation(Adaptation adaptation) {
            this.adaptation = adaptation;
            return this;
        }



        /**
         * Resumes an interrupted (or finished) run from its checkpoint: the model's weights, the
         * optimizer moments, step, data order and masking stream are restored, the remaining steps
         * run with the checkpoint's settings and adaptation, and the history covers the whole run.
         * With the same data this gives exactly the losses of an uninterrupted run. The model must
         * have the checkpoint's architecture (e.g. {@code checkpoint.loadModel()}).
         */
        public Builder optResumeFrom(TrainingCheckpoint checkpoint) {
            this.resumeFrom = checkpoint;
            return this;
        }

        /**
         * Runs the request.
         *
         * @return the result with history and run record
         * @throws PretrainCancelledException when cancelled (carries the partial result)
         * @throws IllegalArgumentException when something required is missing, or tokenizer, model,
         *     data and settings do not fit together
         * @throws CheckpointException when resuming from a corrupt checkpoint, one for another
         *     architecture, or one trained on other data
         * @throws IllegalStateException when the loss diverges (NaN)
         */
        public PretrainResult run() {
            if (model == null || tokenizer == null) {
                throw new IllegalArgumentException("pretraining needs a model and its tokenizer: "
                        + "Pretrainer.builder().setModel(model).setTokenizer(tokenizer).setData(corpus).run()");
            }
            if (corpus == null && train == null) {
                throw new IllegalArgumentException("pretraining needs text: setData(corpus), setData(split) or "
                        + "setData(textSource, heldOut)");
            }
            TextSource source = train;
            Corpus held = heldOut;
            PretrainConfig cfg = resumeFrom != null ? resumeFrom.config() : config;
            if (corpus != null) {
                checkCorpus(corpus);
                CorpusSplit split = corpus.split(cfg.heldOutFraction(), cfg.seed());
                source = TextSource.of(split.train());
                held = split.heldOut();
            }
            if (resumeFrom == null) {
                return Pretrainer.run(model, tokenizer, source, held, cfg, listener, cancel, adaptation, null);
            }
            if (!MaskedLanguageModel.sameArchitecture(model.config(), resumeFrom.modelConfig())) {
                throw new CheckpointException("the checkpoint " + resumeFrom.path() + " holds "
                        + resumeFrom.modelConfig() + " but the model is " + model.config()
                        + "; load it with checkpoint.loadModel()");
            }
            String sha = source.sha256();
            if (!sha.equals(resumeFrom.state().trainSha256)) {
                throw new CheckpointException("the training texts '" + source.name() + "' (sha256 " + sha
                        + ") differ from those of the checkpoint ('" + resumeFrom.state().trainCorpus + "', sha256 "
                        + resumeFrom.state().trainSha256 + "); resume with the same corpus and split");
            }
            try (MaskedLanguageModel saved = resumeFrom.loadModel()) {
                model.copyWeightsFrom(saved);
            }
            return Pretrainer.run(model, tokenizer, source, held, cfg, listener, cancel, resumeFrom.adaptation(),
                    resumeFrom);
        }
    }

    /**
     * Self-pretraining (Krishna et al. 2022): a plan that pretrains a new model from scratch on the
     * task's own training text only (its train split, {@link LabeledDataset#taptCorpus()}; never its
     * validation or test texts), with a WordPiece vocabulary trained on that text, recorded as
     * {@link Adaptation#SELF_PRETRAINING} in the model's lineage and the run record. The
     * settings' held-out part for perplexity is taken from the training texts too.
     *
     * <pre>{@code
     * PretrainPlan plan = Pretrainer.selfPretrain(task, PretrainConfig.builder().optSteps(300).build());
     * PretrainResult r = plan.run(listener);         // plan.model(), plan.tokenizer(): what it made
     * Corpus control = Pretrainer.equalTokenCorpus(WordNet.load().corpus(), plan.tokenizer(),
     *         Pretrainer.tokenCount(plan.split().train(), plan.tokenizer()), 7);
     * }</pre>
     * The plan owns the model: close {@code plan.model()} when done.
     *
     * @throws IllegalArgumentException when the task's train split has fewer than two texts
     */
    public static PretrainPlan selfPretrain(LabeledDataset task, PretrainConfig config) {
        return PretrainPlan.builder().setData(task.taptCorpus().withName(task.name() + "-self"))
                .optAdaptation(Adaptation.SELF_PRETRAINING).optConfig(config).build();
    }

    /** Tokens of {@code corpus} under {@code tokenizer} (each text's own tokens, no special tokens). */
    public static long tokenCount(Corpus corpus, Tokenizer tokenizer) {
        long n = 0;
        for (int[] ids : tokenizer.encodeBatch(corpus.texts())) {
            n += ids.length;
        }
        return n;
    }

    /**
     * The control of self-pretraining: a seeded sample of whole texts of {@code general} holding
     * {@code tokens} tokens under {@code tokenizer} ({@link #tokenCount}), or just above (less than
     * one text more). Texts are drawn in a seeded random order until the count is reached; the
     * corpus is named {@code general.name() + "-" + count + "-tokens"} with the count it holds.
     *
     * @throws IllegalArgumentException when {@code general} holds fewer than {@code tokens} tokens
     */
    public static Corpus equalTokenCorpus(Corpus general, Tokenizer tokenizer, long tokens, long seed) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("tokens must be > 0, got " + tokens);
        }
        List<String> texts = general.texts();
        int[] order = Seeds.permutation(texts.size(), new SplittableRandom(seed));
        List<String> kept = new ArrayList<>();
        long count = 0;
        int chunk = 256;
        for (int from = 0; from < order.length && count < tokens; from += chunk) {
            List<String> batch = new ArrayList<>();
            for (int i = from; i < Math.min(order.length, from + chunk); i++) {
                batch.add(texts.get(order[i]));
            }
            int[][] enc = tokenizer.encodeBatch(batch);
            for (int i = 0; i < enc.length && count < tokens; i++) {
                kept.add(batch.get(i));
                count += enc[i].length;
            }
        }
        if (count < tokens) {
            throw new IllegalArgumentException("the corpus '" + general.name() + "' holds " + count + " tokens, fewer"
                    + " than the " + tokens + " asked for; use a larger general corpus or fewer tokens");
        }
        return Corpus.of(general.name() + "-" + count + "-tokens", kept);
    }

    private static void checkCorpus(Corpus corpus) {
        if (corpus.size() < 2) {
            throw new IllegalArgumentException("corpus '" + corpus.name() + "' has " + corpus.size()
                    + " texts; pretraining needs at least 2 (one is held out)");
        }
    }

    private static PretrainResult run(MaskedLanguageModel model, Tokenizer tokenizer, TextSource trainSource,
                                      Corpus heldOut,
                                      PretrainConfig config, TrainingListener listener, BooleanSupplier cancel,
                                      Adaptation adaptation, TrainingCheckpoint resumeFrom) {
        if (listener == null) {
            listener = TrainingListener.NONE;
        }
        if (cancel == null) {
            cancel = () -> false;
        }
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " ids but the model only "
                    + model.config().vocabSize() + " embeddings; create the model with vocabSize "
                    + tokenizer.vocabSize());
        }
        if (config.sequenceLength() > model.config().maxPositions()) {
            throw new IllegalArgumentException("sequenceLength " + config.sequenceLength() + " exceeds the model's "
                    + "maxPositions " + model.config().maxPositions() + "; use a shorter sequenceLength");
        }
        Corpus trainCorpus = trainSource.corpus().orElse(null);
        if (trainCorpus != null && trainCorpus.size() == 0) {
            throw new IllegalArgumentException("the training corpus '" + trainCorpus.name()
                    + "' is empty; give pretraining some text");
        }
        Instant start = Instant.now();
        Engine engine = EngineSetup.engine();
        EngineSetup.noGradOnThisThread();

        List<int[]> train = trainCorpus == null ? null : encode(tokenizer, trainCorpus);
        List<int[]> held = encode(tokenizer, heldOut);
        long trainTokens = train == null ? -1 : train.stream().mapToLong(a -> a.length).sum();
        long heldTokens = held.stream().mapToLong(a -> a.length).sum();
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom dataRng = root.split();
        SplittableRandom maskRng = root.split();
        List<int[]> heldSeqs = config.packing()
                ? Packing.pack(held, config.sequenceLength(), tokenizer, true)
                : Packing.lineByLine(held, config.sequenceLength(), tokenizer);
        int maxEval = config.evalBatches() * config.batchSize();
        if (heldSeqs.size() > maxEval) {
            heldSeqs = heldSeqs.subList(0, maxEval);
        }
        if (heldSeqs.isEmpty()) {
            throw new IllegalArgumentException("the held-out texts ('" + heldOut.name()
                    + "') contain no tokens; hold out more text (heldOutFraction " + config.heldOutFraction() + ")");
        }
        Masking masking = new Masking(tokenizer, config);
        Batches batches = train != null ? new BatchStream(train, config, tokenizer, dataRng)
                : new StreamingBatches(trainSource, config, tokenizer, dataRng);

        TrainingCheckpoint.State st = resumeFrom != null ? resumeFrom.state() : new TrainingCheckpoint.State();
        List<PretrainResult.Row> rows = new ArrayList<>();
        if (resumeFrom != null) {
            // replay the data order and the masking stream: both are pure Java and cheap
            for (long i = 0; i < st.batchesDrawn; i++) {
                batches.next();
                maskRng.split();
            }
            for (double[] r : st.rows) {
                rows.add(new PretrainResult.Row((int) r[0], r[1], r[2], r[3], r[4]));
            }
        } else {
            st.pretrainConfig = config.toMap();
            st.modelConfig = model.config().toHuggingFaceMap();
            st.adaptation = adaptation.name();
            st.trainCorpus = trainSource.name();
            st.trainSha256 = trainSource.sha256();
            st.heldOutSha256 = heldOut.sha256();
        }
        MlmRun mlm = new MlmRun(model, config, engine, masking, batches, maskRng, heldSeqs, st, rows,
                resumeFrom == null ? null : new EvalResult[] {eval(st.initialEval), eval(st.lastEval)});
        // Stage 1 (head warm-up): only the MLM head trains, the encoder runs without gradients.
        // Stage 2: everything trains. Without a warm-up there is only stage 2.
        int warm = config.headWarmupSteps();
        int resumedAt = resumeFrom == null ? 0 : st.step;
        TrainingLoop.Result lr = null;
        try {
            if (warm > 0 && resumedAt < warm) {
                Map<String, NDArray> head = new LinkedHashMap<>();
                model.parameters().forEach((n, t) -> {
                    if (n.startsWith(MLM_HEAD_PREFIX)) {
                        head.put(n, t);
                    }
                });
                TrainingLoop.Builder b1 = mlm.loop(head, 0, warm).optListener(listener).optCancel(cancel);
                if (resumeFrom != null) {
                    b1.optResume(mlm.loopState(0), evaluation(mlm.evals[0]), evaluation(mlm.evals[1]),
                            resumeFrom.optimizerFile(), st.optimizerSteps);
                } else {
                    b1.optEvaluateAtStart(true);
                }
                lr = b1.build().run(mlm.stage(0, true));
                // the tied decoder collected gradients on the word embeddings it did not update
                zeroGradients(model);
            }
            if (lr == null || lr.status() == TrainingLoop.Status.COMPLETED) {
                TrainingLoop.Builder b2 = mlm.loop(model.parameters(), warm, config.steps() - warm)
                        .optListener(listener).optCancel(cancel);
                if (lr != null) {
                    TrainingLoop.LoopState s1 = lr.state();
                    b2.optResume(new TrainingLoop.LoopState(0, s1.tokens(), s1.trainNanos(), s1.best(),
                            s1.evaluationsWithoutImprovement(), false), lr.initial(), lr.last(), null, 0);
                } else if (resumeFrom != null && resumedAt > warm) {
                    b2.optResume(mlm.loopState(warm), evaluation(mlm.evals[0]), evaluation(mlm.evals[1]),
                            resumeFrom.optimizerFile(), st.optimizerSteps);
                } else if (resumeFrom != null) {
                    // saved at the end of the warm-up: the whole model starts with a fresh optimiser, as it did
                    b2.optResume(mlm.loopState(warm), evaluation(mlm.evals[0]), evaluation(mlm.evals[1]), null, 0);
                } else {
                    b2.optEvaluateAtStart(true);
                }
                TrainingLoop.Result r2 = b2.build().run(mlm.stage(warm, false));
                lr = new TrainingLoop.Result(r2.status(), new TrainingLoop.LoopState(warm + r2.state().step(),
                        r2.state().tokens(), r2.state().trainNanos(), r2.state().best(),
                        r2.state().evaluationsWithoutImprovement(), r2.state().stoppedEarly()),
                        r2.initial(), r2.last(), r2.checkpoint() != null ? r2.checkpoint() : lr == null ? null
                        : lr.checkpoint());
            }
        } finally {
            if (batches instanceof StreamingBatches sb) {
                sb.close();
            }
        }
        boolean cancelled = lr.status() == TrainingLoop.Status.CANCELLED;
        EvalResult initial = result(lr.initial());
        EvalResult last = result(lr.last());
        int stepsDone = lr.state().step();
        Path trainingCheckpoint = lr.checkpoint();
        // Clear the interrupt flag while writing files (interruptible I/O would fail), restore it after.
        boolean interrupted = Thread.interrupted();
        try {
            double tps = lr.state().tokensPerSecond();
            Path checkpoint = null;
            if (!cancelled) {
                model.recordLineage(Lineage.Step.training(adaptation.key(), trainSource.name(), trainSource.sha256(),
                        stepsDone));
            }
            if (config.outputDir() != null && !cancelled) {
                checkpoint = config.outputDir().resolve("checkpoint");
                model.save(checkpoint);
            }
            boolean stoppedEarly = lr.state().stoppedEarly();
            RunRecord record = record(model, trainSource, heldOut, config, cancelled, initial, last, stepsDone, tps, rows,
                    trainTokens, heldTokens, checkpoint, trainingCheckpoint, adaptation, stoppedEarly, start);
            PretrainResult result = new PretrainResult(config, stepsDone, initial, last, rows, tps, record);
            if (config.outputDir() != null) {
                record.write(config.outputDir());
                result.history().write().csv(config.outputDir().resolve("history.csv").toFile());
            }
            listener.onEnd(new TrainingOutcome(lr.status().key(), stepsDone, config.steps(), result.completed()
                    ? String.format(java.util.Locale.ROOT, "done: held-out perplexity %.2f → %.2f",
                            result.perplexityBefore(), result.perplexityAfter())
                    : "stopped after " + stepsDone + " of " + config.steps() + " steps"));
            if (cancelled) {
                throw new PretrainCancelledException("pretraining cancelled after " + stepsDone + " of "
                        + config.steps() + " steps; the model keeps the weights of step " + stepsDone
                        + (trainingCheckpoint == null ? "" : "; resume from " + trainingCheckpoint), result);
            }
            return result;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The metric name of the held-out masked-LM loss in evaluations and early stopping. */
    public static final String HELDOUT_LOSS = "heldout_loss";
    /** The metric name of the held-out perplexity in evaluations. */
    public static final String HELDOUT_PERPLEXITY = "heldout_perplexity";
    /** The metric name of the held-out masked-token accuracy in evaluations. */
    public static final String HELDOUT_ACCURACY = "heldout_masked_accuracy";

    private static Evaluation evaluation(EvalResult e) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(HELDOUT_LOSS, e.loss());
        m.put(HELDOUT_PERPLEXITY, e.perplexity());
        m.put(HELDOUT_ACCURACY, e.accuracy());
        m.put("masked_tokens", (double) e.maskedTokens());
        m.put("sequences", (double) e.sequences());
        return new Evaluation(e.step(), 1, 0, m);
    }

    private static EvalResult result(Evaluation e) {
        return new EvalResult(e.step(), e.metric(HELDOUT_LOSS), e.metric(HELDOUT_PERPLEXITY),
                (long) e.metric("masked_tokens"), (int) e.metric("sequences"), e.metric(HELDOUT_ACCURACY));
    }

    /** Names of the masked-LM head's own tensors (its decoder is tied to the word embeddings). */
    static final String MLM_HEAD_PREFIX = "cls.predictions.";

    private static void zeroGradients(MaskedLanguageModel model) {
        EngineSetup.noGradOnThisThread();
        try (NDManager sm = model.manager().newSubManager()) {
            for (NDArray p : model.parameters().values()) {
                NDArray g = p.getGradient();
                g.attach(sm);
                g.muli(0f);
            }
        }
    }

    /** The masked-LM side of a run, shared by its stages: batches, masking, history, checkpoint state. */
    private static final class MlmRun {
        private final MaskedLanguageModel model;
        private final PretrainConfig config;
        private final Engine engine;
        private final Masking masking;
        private final Batches batches;
        private final SplittableRandom maskRng;
        private final List<int[]> evalSeqs;
        private final TrainingCheckpoint.State state;
        private final List<PretrainResult.Row> rows;
        /** {initial, newest} held-out evaluation, kept for the checkpoint's state. */
        private final EvalResult[] evals;

        MlmRun(MaskedLanguageModel model, PretrainConfig config, Engine engine, Masking masking, Batches batches,
               SplittableRandom maskRng, List<int[]> evalSeqs, TrainingCheckpoint.State state,
               List<PretrainResult.Row> rows, EvalResult[] resumedEvals) {
            this.model = model;
            this.config = config;
            this.engine = engine;
            this.masking = masking;
            this.batches = batches;
            this.maskRng = maskRng;
            this.evalSeqs = evalSeqs;
            this.state = state;
            this.rows = rows;
            this.evals = resumedEvals == null ? new EvalResult[2] : resumedEvals;
        }

        /** A loop over {@code steps} steps after {@code offset}, training {@code params}. */
        TrainingLoop.Builder loop(Map<String, NDArray> params, int offset, int steps) {
            return TrainingLoop.builder()
                    .setSteps(steps)
                    .setOptimizer(model.manager(), params, config.optimizer(), MaskedLanguageModel::noWeightDecay)
                    .setLearningRate(step -> config.learningRateAt(offset + step))
                    .optGradientAccumulation(config.gradientAccumulation())
                    .optEvaluateEvery(config.evalEvery())
                    .optEarlyStopping(HELDOUT_LOSS, false, config.patience())
                    .optCheckpointEvery(config.checkpointEvery())
                    .optCheckpointAtStart(config.keepCheckpoints())
                    .optStageOffset(offset, config.steps());
        }

        /** The saved loop state, its step counted from {@code offset}. */
        TrainingLoop.LoopState loopState(int offset) {
            return new TrainingLoop.LoopState(state.step - offset, state.tokens, state.trainNanos, state.bestEvalLoss,
                    state.evalsWithoutImprovement, state.stoppedEarly);
        }

        /** The task of one stage: steps after {@code offset}; {@code headOnly}: the encoder runs without gradients. */
        TrainingLoop.Task stage(int offset, boolean headOnly) {
            return new TrainingLoop.Task() {
                @Override
                public TrainingLoop.MicroBatch forwardBackward(NDManager sm, int step, int micro, NDArray scale) {
                    MaskedBatch mb = masking.mask(batches.next(), maskRng.split());
                    state.batchesDrawn++;
                    // dropout draws from a stream seeded per micro-batch, so a resumed run draws the same masks
                    engine.setRandomSeed((int) Seeds.mix(config.seed(), state.batchesDrawn));
                    Shape shape = new Shape(mb.batchSize(), mb.length());
                    NDArray ids = sm.create(mb.inputIds(), shape);
                    NDArray mask = sm.create(mb.attentionMask(), shape);
                    NDArray pos = sm.create(mb.maskedPositions());
                    NDArray lab = sm.create(mb.labels());
                    NDArray frozen = null;
                    if (headOnly) {
                        EngineSetup.noGradOnThisThread();
                        frozen = hidden(ids, mask);
                    }
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray hidden = headOnly ? frozen : hidden(ids, mask);
                        NDArray lossArray = model.maskedLmLoss(hidden, pos, lab);
                        gc.backward(scale == null ? lossArray : lossArray.mul(scale));
                        return new TrainingLoop.MicroBatch(lossArray.getFloat(), mb.realTokens());
                    }
                }

                private NDArray hidden(NDArray ids, NDArray mask) {
                    return config.javaDropout()
                            ? model.hiddenStates(ids, mask,
                                    new SplittableRandom(Seeds.mix(config.seed() ^ DROPOUT_SALT, state.batchesDrawn)))
                            : model.hiddenStates(ids, mask, true);
                }

                @Override
                public Evaluation evaluate(int step, int epoch) {
                    int global = offset + step;
                    EvalResult e = Perplexity.evaluate(model, masking, evalSeqs, config.batchSize(), config.seed(),
                            global);
                    evals[1] = e;
                    if (global == 0) {
                        evals[0] = e;
                        rows.add(new PretrainResult.Row(0, Double.NaN, 0, e.loss(), e.perplexity()));
                    } else {
                        PretrainResult.Row r = rows.get(rows.size() - 1);
                        rows.set(rows.size() - 1, new PretrainResult.Row(global, r.loss(), r.learningRate(), e.loss(),
                                e.perplexity()));
                    }
                    return evaluation(e);
                }

                @Override
                public void afterStep(int step, double loss, double lr) {
                    rows.add(new PretrainResult.Row(offset + step, loss, lr, Double.NaN, Double.NaN));
                }

                @Override
                public void checkpoint(TrainingLoop loop, TrainingLoop.LoopState s) {
                    state.step = offset + s.step();
                    state.tokens = s.tokens();
                    state.trainNanos = s.trainNanos();
                    state.bestEvalLoss = s.best();
                    state.evalsWithoutImprovement = s.evaluationsWithoutImprovement();
                    state.stoppedEarly = s.stoppedEarly();
                    state.optimizerSteps = loop.optimizerSteps();
                    state.rows = rowsArray(rows);
                    state.initialEval = evalArray(evals[0]);
                    state.lastEval = evalArray(evals[1]);
                    loop.checkpointWritten(TrainingCheckpoint.write(config.outputDir(), state, model, loop,
                            config.keepCheckpoints()));
                }
            };
        }
    }

    private static final long DROPOUT_SALT = 0x5DEECE66DL;

    private static double[] evalArray(EvalResult e) {
        return new double[] {e.step(), e.loss(), e.perplexity(), e.maskedTokens(), e.sequences(), e.accuracy()};
    }

    private static EvalResult eval(double[] a) {
        return new EvalResult((int) a[0], a[1], a[2], (long) a[3], (int) a[4], a.length > 5 ? a[5] : Double.NaN);
    }

    private static double[][] rowsArray(List<PretrainResult.Row> rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            PretrainResult.Row r = rows.get(i);
            out[i] = new double[] {r.step(), r.loss(), r.learningRate(), r.evalLoss(), r.perplexity()};
        }
        return out;
    }

    private static List<int[]> encode(Tokenizer tokenizer, Corpus corpus) {
        return java.util.Arrays.asList(tokenizer.encodeBatch(corpus.texts()));
    }

    private static RunRecord record(MaskedLanguageModel model, TextSource tr, Corpus ho, PretrainConfig config,
                                    boolean cancelled, EvalResult initial, EvalResult last, int stepsDone, double tps,
                                    List<PretrainResult.Row> rows, long trainTokens, long heldTokens,
                                    Path checkpoint, Path trainingCheckpoint, Adaptation adaptation,
                                    boolean stoppedEarly, Instant start) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", model.config().toHuggingFaceMap());
        cfg.put("pretrain", config.toMap());
        Map<String, String> artifacts = new LinkedHashMap<>();
        model.loadedFrom().ifPresent(p -> artifacts.put("base_checkpoint", p.toString()));
        if (checkpoint != null) {
            artifacts.put("checkpoint", checkpoint.toAbsolutePath().toString());
        }
        if (trainingCheckpoint != null) {
            artifacts.put("training_checkpoint", trainingCheckpoint.toAbsolutePath().toString());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.INITIAL_LOSS, initial.loss());
        metrics.put(Metrics.INITIAL_PERPLEXITY, initial.perplexity());
        metrics.put(Metrics.FINAL_LOSS, last.loss());
        metrics.put(Metrics.FINAL_PERPLEXITY, last.perplexity());
        metrics.put(Metrics.STEPS_DONE, (double) stepsDone);
        metrics.put(Metrics.TOKENS_PER_SECOND, tps);
        metrics.put("parameters", (double) model.parameterCount());
        metrics.put(Metrics.STOPPED_EARLY, stoppedEarly ? 1.0 : 0.0);
        int tail = Math.min(10, rows.size() - 1);
        double trainTail = rows.subList(rows.size() - tail, rows.size()).stream()
                .mapToDouble(PretrainResult.Row::loss).average().orElse(Double.NaN);
        metrics.put("final_train_loss_mean10", trainTail);
        List<RunRecord.DataSet> data = List.of(
                new RunRecord.DataSet("train", tr.name(), tr.sha256(), tr.corpus().map(Corpus::size).orElse(-1),
                        trainTokens),
                new RunRecord.DataSet("heldout", ho.name(), ho.sha256(), ho.size(), heldTokens));
        return RunRecord.of(adaptation.key(), cancelled ? "cancelled" : stoppedEarly ? "stopped-early" : "completed", cfg,
                config.seed(), data, model.lineage(), artifacts, metrics,
                RunRecord.Timings.between(start, Instant.now()));
    }

    /** Endless batches: each epoch packs the training texts in a new seeded order; no overlap within an epoch. */
    interface Batches {
        int[][] next();
    }

    /**
     * Batches from a streamed source: reads {@link TextSource#SHUFFLE_WINDOW} texts, shuffles them
     * (seeded), packs them and serves the sequences in a seeded order; at the end of the source a
     * new pass starts. Memory: one window.
     */
    static final class StreamingBatches implements Batches {
        private final TextSource source;
        private final PretrainConfig config;
        private final Tokenizer tokenizer;
        private final SplittableRandom rng;
        private TextSource.Pass pass;
        private List<int[]> window = List.of();
        private int cursor;
        private boolean anyInPass;

        StreamingBatches(TextSource source, PretrainConfig config, Tokenizer tokenizer, SplittableRandom rng) {
            this.source = source;
            this.config = config;
            this.tokenizer = tokenizer;
            this.rng = rng;
            this.pass = source.open();
        }

        private void fill() {
            while (true) {
                List<String> texts = new ArrayList<>(TextSource.SHUFFLE_WINDOW);
                while (texts.size() < TextSource.SHUFFLE_WINDOW && pass.hasNext()) {
                    texts.add(pass.next());
                }
                if (texts.isEmpty()) {
                    pass.close();
                    if (!anyInPass) {
                        throw new IllegalArgumentException("the training source '" + source.name()
                                + "' contains no tokens; give pretraining some text");
                    }
                    pass = source.open();
                    anyInPass = false;
                    continue;
                }
                int[][] enc = tokenizer.encodeBatch(texts);
                int[] order = Seeds.permutation(enc.length, rng.split());
                List<int[]> ordered = new ArrayList<>(enc.length);
                for (int i : order) {
                    ordered.add(enc[i]);
                }
                window = config.packing() ? Packing.pack(ordered, config.sequenceLength(), tokenizer, false)
                        : Packing.lineByLine(ordered, config.sequenceLength(), tokenizer);
                cursor = 0;
                if (!window.isEmpty()) {
                    anyInPass = true;
                    return;
                }
            }
        }

        void close() {
            pass.close();
        }

        @Override
        public int[][] next() {
            int b = config.batchSize();
            if (cursor >= window.size() || (cursor > 0 && cursor + b > window.size())) {
                fill();
            }
            int to = Math.min(window.size(), cursor + b);
            int[][] batch = window.subList(cursor, to).toArray(new int[0][]);
            cursor = to;
            return batch;
        }
    }

    static final class BatchStream implements Batches {
        private final List<int[]> texts;
        private final PretrainConfig config;
        private final Tokenizer tokenizer;
        private final SplittableRandom rng;
        private List<int[]> epoch = List.of();
        private int cursor;
        private int epochs;

        BatchStream(List<int[]> texts, PretrainConfig config, Tokenizer tokenizer, SplittableRandom rng) {
            this.texts = texts;
            this.config = config;
            this.tokenizer = tokenizer;
            this.rng = rng;
            newEpoch();
            if (epoch.isEmpty()) {
                throw new IllegalArgumentException("the training texts contain no tokens");
            }
        }

        private void newEpoch() {
            int[] order = Seeds.permutation(texts.size(), rng.split());
            List<int[]> ordered = new ArrayList<>(texts.size());
            for (int i : order) {
                ordered.add(texts.get(i));
            }
            epoch = config.packing() ? Packing.pack(ordered, config.sequenceLength(), tokenizer, false)
                    : Packing.lineByLine(ordered, config.sequenceLength(), tokenizer);
            cursor = 0;
            epochs++;
        }

        @Override
        public int[][] next() {
            int b = config.batchSize();
            if (cursor > 0 && cursor + b > epoch.size()) {
                newEpoch();
            }
            int to = Math.min(epoch.size(), cursor + b);
            int[][] batch = epoch.subList(cursor, to).toArray(new int[0][]);
            cursor = to;
            return batch;
        }

        int epochs() {
            return epochs;
        }
    }
}
