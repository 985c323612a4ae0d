package org.plm4j.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.optim.AdamW;
import org.plm4j.record.RunRecord;
import org.plm4j.record.Versions;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Masked-language-model pretraining (from scratch, or continued for DAPT/TAPT on a loaded model).
 *
 * <p>One call runs the whole loop on the calling thread:
 * <pre>{@code
 * try (MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 42)) {
 *     PretrainResult r = Pretrainer.pretrain(model, tok, corpus, PretrainConfig.builder().optSteps(300).build(),
 *             PretrainListener.printing(System.out, 50));
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

    /** Pretrains on {@code corpus}, holding out {@code heldOutFraction} of it (seeded), without progress reporting. */
    public static PretrainResult pretrain(MaskedLanguageModel model, Tokenizer tokenizer, Corpus corpus,
                                          PretrainConfig config) {
        return pretrain(model, tokenizer, corpus, config, PretrainListener.NONE, () -> false);
    }

    /** Pretrains on {@code corpus}, holding out {@code heldOutFraction} of it (seeded), reporting to {@code listener}. */
    public static PretrainResult pretrain(MaskedLanguageModel model, Tokenizer tokenizer, Corpus corpus,
                                          PretrainConfig config, PretrainListener listener) {
        return pretrain(model, tokenizer, corpus, config, listener, () -> false);
    }

    /**
     * Pretrains on {@code corpus} after splitting off {@code config.heldOutFraction()} of its
     * texts (seeded by {@code config.seed()}) for evaluation.
     *
     * @see #pretrain(MaskedLanguageModel, Tokenizer, CorpusSplit, PretrainConfig, PretrainListener, BooleanSupplier)
     */
    public static PretrainResult pretrain(MaskedLanguageModel model, Tokenizer tokenizer, Corpus corpus,
                                          PretrainConfig config, PretrainListener listener, BooleanSupplier cancel) {
        checkCorpus(corpus);
        return pretrain(model, tokenizer, corpus.split(config.heldOutFraction(), config.seed()), config, listener,
                cancel);
    }

    /** Pretrains on {@code split.train()}, evaluating on {@code split.heldOut()}; {@code listener} may be null. */
    public static PretrainResult pretrain(MaskedLanguageModel model, Tokenizer tokenizer, CorpusSplit split,
                                          PretrainConfig config, PretrainListener listener) {
        return pretrain(model, tokenizer, split, config, listener, () -> false);
    }

    /**
     * Pretrains {@code model} in place on {@code split.train()}; the held-out loss is measured
     * on (at most {@code evalBatches * batchSize} sequences of) {@code split.heldOut()}.
     *
     * @param listener progress receiver, called on this thread (null for none)
     * @param cancel polled between steps; {@code true} stops the run (null for none)
     * @return the result with history and run record
     * @throws PretrainCancelledException when cancelled (carries the partial result)
     * @throws IllegalArgumentException when tokenizer, model, data and settings do not fit together
     * @throws IllegalStateException when the loss diverges (NaN)
     */
    public static PretrainResult pretrain(MaskedLanguageModel model, Tokenizer tokenizer, CorpusSplit split,
                                          PretrainConfig config, PretrainListener listener, BooleanSupplier cancel) {
        return run(model, tokenizer, TextSource.of(split.train()), split.heldOut(), config, listener, cancel,
                Adaptation.PRETRAIN, null);
    }

    /**
     * Pretrains on a (possibly larger than memory) {@code train} source, streamed from disk in
     * shuffled windows of {@link TextSource#SHUFFLE_WINDOW} texts, evaluating on {@code heldOut}.
     */
    public static PretrainResult pretrain(MaskedLanguageModel model, Tokenizer tokenizer, TextSource train,
                                          Corpus heldOut, PretrainConfig config, PretrainListener listener,
                                          BooleanSupplier cancel) {
        return run(model, tokenizer, train, heldOut, config, listener, cancel, Adaptation.PRETRAIN, null);
    }

    /**
     * Continued pretraining of an already trained {@code model} (DAPT on a domain corpus, TAPT on
     * the task's unlabeled text): the same loop as {@link #pretrain}, recorded as {@code adaptation}
     * in the run record and appended to the model's {@link MaskedLanguageModel#lineage()} with the
     * corpus name and sha256. {@code corpus} is split by {@code config.heldOutFraction()}.
     */
    public static PretrainResult continuePretraining(MaskedLanguageModel model, Tokenizer tokenizer,
                                                     Adaptation adaptation, Corpus corpus, PretrainConfig config,
                                                     PretrainListener listener) {
        checkCorpus(corpus);
        return continuePretraining(model, tokenizer, adaptation, corpus.split(config.heldOutFraction(), config.seed()),
                config, listener, null);
    }

    /** Continued pretraining on a given split; see {@link #continuePretraining(MaskedLanguageModel, Tokenizer, Adaptation, Corpus, PretrainConfig, PretrainListener)}. */
    public static PretrainResult continuePretraining(MaskedLanguageModel model, Tokenizer tokenizer,
                                                     Adaptation adaptation, CorpusSplit split, PretrainConfig config,
                                                     PretrainListener listener, BooleanSupplier cancel) {
        return run(model, tokenizer, TextSource.of(split.train()), split.heldOut(), config, listener, cancel,
                adaptation, null);
    }

    /**
     * Resumes an interrupted (or finished) run from its checkpoint: the model's weights and the
     * optimizer moments, step, data order and masking stream are restored from {@code checkpoint},
     * the remaining steps run with the checkpoint's settings, and the result's history covers
     * the whole run. With the same data this gives exactly the losses of an uninterrupted run.
     *
     * @param model a model of the checkpoint's architecture (e.g. {@code checkpoint.loadModel()});
     *     its weights are overwritten by the checkpoint's
     * @throws CheckpointException if the checkpoint is corrupt or for another architecture, or the
     *     training data differ from the checkpoint's
     */
    public static PretrainResult resume(MaskedLanguageModel model, Tokenizer tokenizer, CorpusSplit split,
                                        TrainingCheckpoint checkpoint, PretrainListener listener,
                                        BooleanSupplier cancel) {
        return resume(model, tokenizer, TextSource.of(split.train()), split.heldOut(), checkpoint, listener, cancel);
    }

    /** Resumes a run whose training text is a {@link TextSource}; see {@link #resume(MaskedLanguageModel, Tokenizer, CorpusSplit, TrainingCheckpoint, PretrainListener, BooleanSupplier)}. */
    public static PretrainResult resume(MaskedLanguageModel model, Tokenizer tokenizer, TextSource train,
                                        Corpus heldOut, TrainingCheckpoint checkpoint, PretrainListener listener,
                                        BooleanSupplier cancel) {
        if (!MaskedLanguageModel.sameArchitecture(model.config(), checkpoint.modelConfig())) {
            throw new CheckpointException("the checkpoint " + checkpoint.path() + " holds " + checkpoint.modelConfig()
                    + " but the model is " + model.config() + "; load it with checkpoint.loadModel()");
        }
        String sha = train.sha256();
        if (!sha.equals(checkpoint.state().trainSha256)) {
            throw new CheckpointException("the training texts '" + train.name() + "' (sha256 " + sha
                    + ") differ from those of the checkpoint ('" + checkpoint.state().trainCorpus + "', sha256 "
                    + checkpoint.state().trainSha256 + "); resume with the same corpus and split");
        }
        try (MaskedLanguageModel saved = checkpoint.loadModel()) {
            if (saved != model) {
                model.copyWeightsFrom(saved);
            }
        }
        return run(model, tokenizer, train, heldOut, checkpoint.config(), listener, cancel, checkpoint.adaptation(),
                checkpoint);
    }

    private static void checkCorpus(Corpus corpus) {
        if (corpus.size() < 2) {
            throw new IllegalArgumentException("corpus '" + corpus.name() + "' has " + corpus.size()
                    + " texts; pretraining needs at least 2 (one is held out)");
        }
    }

    private static PretrainResult run(MaskedLanguageModel model, Tokenizer tokenizer, TextSource trainSource,
                                      Corpus heldOut,
                                      PretrainConfig config, PretrainListener listener, BooleanSupplier cancel,
                                      Adaptation adaptation, TrainingCheckpoint resumeFrom) {
        if (listener == null) {
            listener = PretrainListener.NONE;
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

        TrainingCheckpoint.State st = new TrainingCheckpoint.State();
        List<PretrainResult.Row> rows = new ArrayList<>();
        EvalResult initial;
        EvalResult last;
        int firstStep = 1;
        if (resumeFrom != null) {
            TrainingCheckpoint.State saved = resumeFrom.state();
            // replay the data order and the masking stream: both are pure Java and cheap
            for (long i = 0; i < saved.batchesDrawn; i++) {
                batches.next();
                maskRng.split();
            }
            st = saved;
            for (double[] r : saved.rows) {
                rows.add(new PretrainResult.Row((int) r[0], r[1], r[2], r[3], r[4]));
            }
            initial = eval(saved.initialEval);
            last = eval(saved.lastEval);
            firstStep = saved.step + 1;
            listener.onStart(config, initial);
        } else {
            initial = Perplexity.evaluate(model, masking, heldSeqs, config.batchSize(), config.seed(), 0);
            rows.add(new PretrainResult.Row(0, Double.NaN, 0, initial.loss(), initial.perplexity()));
            listener.onStart(config, initial);
            listener.onEval(initial);
            last = initial;
            st.pretrainConfig = config.toMap();
            st.modelConfig = model.config().toHuggingFaceMap();
            st.adaptation = adaptation.name();
            st.trainCorpus = trainSource.name();
            st.trainSha256 = trainSource.sha256();
            st.heldOutSha256 = heldOut.sha256();
            st.initialEval = evalArray(initial);
            st.bestEvalLoss = initial.loss();
        }

        boolean cancelled = false;
        long loopStart = System.nanoTime();
        Path trainingCheckpoint = null;
        try (AdamW optimizer = new AdamW(model, config.adamW())) {
            if (resumeFrom != null) {
                optimizer.load(resumeFrom.optimizerFile(), st.optimizerSteps);
            }
            int acc = config.gradientAccumulation();
            for (int step = firstStep; step <= config.steps() && !st.stoppedEarly; step++) {
                if (Thread.currentThread().isInterrupted() || cancel.getAsBoolean()) {
                    cancelled = true;
                    break;
                }
                long t0 = System.nanoTime();
                float lr = config.learningRateAt(step);
                double loss = 0;
                int realTokens = 0;
                try (NDManager sm = model.manager().newSubManager()) {
                    // the loss of each micro-batch is scaled by 1/acc with a manager-owned array (see NativeMemorySafetyTest)
                    NDArray scale = acc == 1 ? null : sm.create(1f / acc);
                    for (int micro = 0; micro < acc; micro++) {
                        MaskedBatch mb = masking.mask(batches.next(), maskRng.split());
                        st.batchesDrawn++;
                        realTokens += mb.realTokens();
                        // dropout draws from a stream seeded per micro-batch, so a resumed run draws the same masks
                        engine.setRandomSeed((int) mix(config.seed(), st.batchesDrawn));
                        Shape shape = new Shape(mb.batchSize(), mb.length());
                        NDArray ids = sm.create(mb.inputIds(), shape);
                        NDArray mask = sm.create(mb.attentionMask(), shape);
                        NDArray pos = sm.create(mb.maskedPositions());
                        NDArray lab = sm.create(mb.labels());
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray hidden = config.javaDropout()
                                ? model.hiddenStates(ids, mask,
                                        new SplittableRandom(mix(config.seed() ^ DROPOUT_SALT, st.batchesDrawn)))
                                : model.hiddenStates(ids, mask, true);
                            NDArray lossArray = model.maskedLmLoss(hidden, pos, lab);
                            gc.backward(scale == null ? lossArray : lossArray.mul(scale));
                            loss += lossArray.getFloat() / acc;
                        }
                    }
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the loss became " + loss + " at step " + step
                                + "; try a lower learning rate (now " + config.learningRate()
                                + "), more warm-up steps or gradient clipping (maxGradNorm " + config.maxGradNorm() + ")");
                    }
                    optimizer.step(sm, lr);
                }
                st.trainNanos += System.nanoTime() - t0;
                st.tokens += realTokens;
                st.step = step;
                st.optimizerSteps = optimizer.stepCount();
                rows.add(new PretrainResult.Row(step, loss, lr, Double.NaN, Double.NaN));
                long elapsed = System.nanoTime() - loopStart;
                int doneHere = step - firstStep + 1;
                long remaining = (long) ((double) elapsed / doneHere * (config.steps() - step));
                listener.onStep(new TrainingProgress(step, config.steps(), loss, lr, st.tokens / (st.trainNanos / 1e9),
                        Duration.ofNanos(elapsed), Duration.ofNanos(remaining)));
                if (step % config.evalEvery() == 0 || step == config.steps()) {
                    last = Perplexity.evaluate(model, masking, heldSeqs, config.batchSize(), config.seed(), step);
                    rows.set(rows.size() - 1, new PretrainResult.Row(step, loss, lr, last.loss(), last.perplexity()));
                    listener.onEval(last);
                    if (last.loss() < st.bestEvalLoss) {
                        st.bestEvalLoss = last.loss();
                        st.evalsWithoutImprovement = 0;
                    } else {
                        st.evalsWithoutImprovement++;
                        if (config.earlyStoppingPatience() > 0
                                && st.evalsWithoutImprovement >= config.earlyStoppingPatience()) {
                            st.stoppedEarly = true;
                        }
                    }
                }
                st.lastEval = evalArray(last);
                if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
                    st.rows = rowsArray(rows);
                    trainingCheckpoint = TrainingCheckpoint.write(config.outputDir(), st, model, optimizer);
                }
            }
            if (config.checkpointEvery() > 0 && st.step > 0 && (trainingCheckpoint == null
                    || !trainingCheckpoint.getFileName().toString().equals(String.format("step-%06d", st.step)))) {
                // at cancellation, early stop or a last partial interval: keep the newest state
                boolean flag = Thread.interrupted();
                try {
                    st.lastEval = evalArray(last);
                    st.rows = rowsArray(rows);
                    trainingCheckpoint = TrainingCheckpoint.write(config.outputDir(), st, model, optimizer);
                } finally {
                    if (flag) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } finally {
            EngineSetup.noGradOnThisThread();
            if (batches instanceof StreamingBatches sb) {
                sb.close();
            }
        }
        int stepsDone = st.step;
        // Clear the interrupt flag while writing files (interruptible I/O would fail), restore it after.
        boolean interrupted = Thread.interrupted();
        try {
            double tps = st.trainNanos == 0 ? 0 : st.tokens / (st.trainNanos / 1e9);
            Path checkpoint = null;
            if (!cancelled) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("kind", adaptation.key());
                entry.put("corpus", trainSource.name());
                entry.put("sha256", trainSource.sha256());
                entry.put("steps", Integer.toString(stepsDone));
                model.appendLineage(entry);
            }
            if (config.outputDir() != null && !cancelled) {
                checkpoint = config.outputDir().resolve("checkpoint");
                model.save(checkpoint);
            }
            RunRecord record = record(model, trainSource, heldOut, config, cancelled, initial, last, stepsDone, tps, rows,
                    trainTokens, heldTokens, checkpoint, trainingCheckpoint, adaptation, st.stoppedEarly, start);
            PretrainResult result = new PretrainResult(config, stepsDone, initial, last, rows, tps, record);
            if (config.outputDir() != null) {
                record.write(config.outputDir());
                result.history().write().csv(config.outputDir().resolve("history.csv").toFile());
            }
            listener.onEnd(result);
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

    private static final long DROPOUT_SALT = 0x5DEECE66DL;

    private static long mix(long seed, long n) {
        long z = seed + n * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & 0x7fffffffL;
    }

    private static double[] evalArray(EvalResult e) {
        return new double[] {e.step(), e.loss(), e.perplexity(), e.maskedTokens(), e.sequences()};
    }

    private static EvalResult eval(double[] a) {
        return new EvalResult((int) a[0], a[1], a[2], (long) a[3], (int) a[4]);
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
        Map<String, String> lineage = new LinkedHashMap<>();
        model.loadedFrom().ifPresent(p -> lineage.put("baseCheckpoint", p.toString()));
        lineage.put("adaptation", adaptation.key());
        List<Map<String, String>> chain = model.lineage();
        for (int i = 0; i < chain.size(); i++) {
            Map<String, String> e = chain.get(i);
            lineage.put("step" + (i + 1), e.get("kind") + " corpus=" + e.get("corpus") + " sha256=" + e.get("sha256")
                    + " steps=" + e.get("steps"));
        }
        if (checkpoint != null) {
            lineage.put("checkpoint", checkpoint.toAbsolutePath().toString());
        }
        if (trainingCheckpoint != null) {
            lineage.put("trainingCheckpoint", trainingCheckpoint.toAbsolutePath().toString());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("initial_loss", initial.loss());
        metrics.put("initial_perplexity", initial.perplexity());
        metrics.put("final_loss", last.loss());
        metrics.put("final_perplexity", last.perplexity());
        metrics.put("steps_done", (double) stepsDone);
        metrics.put("tokens_per_second", tps);
        metrics.put("parameters", (double) model.parameterCount());
        metrics.put("stopped_early", stoppedEarly ? 1.0 : 0.0);
        int tail = Math.min(10, rows.size() - 1);
        double trainTail = rows.subList(rows.size() - tail, rows.size()).stream()
                .mapToDouble(PretrainResult.Row::loss).average().orElse(Double.NaN);
        metrics.put("final_train_loss_mean10", trainTail);
        List<RunRecord.DataSet> data = List.of(
                new RunRecord.DataSet("train", tr.name(), tr.sha256(), tr.corpus().map(Corpus::size).orElse(-1),
                        trainTokens),
                new RunRecord.DataSet("heldout", ho.name(), ho.sha256(), ho.size(), heldTokens));
        return new RunRecord(RunRecord.FORMAT_VERSION, adaptation == Adaptation.PRETRAIN ? "pretrain" : adaptation.key(), cancelled ? "cancelled" : "completed", cfg,
                config.seed(), Versions.current(), data, lineage, metrics, RunRecord.Timings.between(start, Instant.now()));
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
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
                int[] order = permutation(enc.length, rng.split());
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
            int[] order = permutation(texts.size(), rng.split());
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
