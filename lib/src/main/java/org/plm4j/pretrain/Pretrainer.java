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
import org.plm4j.model.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
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
        if (corpus.size() < 2) {
            throw new IllegalArgumentException("corpus '" + corpus.name() + "' has " + corpus.size()
                    + " texts; pretraining needs at least 2 (one is held out)");
        }
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
        Instant start = Instant.now();
        Engine engine = EngineSetup.engine();
        EngineSetup.noGradOnThisThread();

        List<int[]> train = encode(tokenizer, split.train());
        List<int[]> held = encode(tokenizer, split.heldOut());
        long trainTokens = train.stream().mapToLong(a -> a.length).sum();
        long heldTokens = held.stream().mapToLong(a -> a.length).sum();
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom dataRng = root.split();
        SplittableRandom maskRng = root.split();
        List<int[]> heldSeqs = Packing.pack(held, config.sequenceLength(), tokenizer, true);
        int maxEval = config.evalBatches() * config.batchSize();
        if (heldSeqs.size() > maxEval) {
            heldSeqs = heldSeqs.subList(0, maxEval);
        }
        if (heldSeqs.isEmpty()) {
            throw new IllegalArgumentException("the held-out texts ('" + split.heldOut().name()
                    + "') contain no tokens; hold out more text (heldOutFraction " + config.heldOutFraction() + ")");
        }
        Masking masking = new Masking(tokenizer, config);
        BatchStream batches = new BatchStream(train, config, tokenizer, dataRng);
        engine.setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));

        List<PretrainResult.Row> rows = new ArrayList<>();
        EvalResult initial = Perplexity.evaluate(model, masking, heldSeqs, config.batchSize(), config.seed(), 0);
        rows.add(new PretrainResult.Row(0, Double.NaN, 0, initial.loss(), initial.perplexity()));
        listener.onStart(config, initial);
        listener.onEval(initial);
        EvalResult last = initial;

        long trainNanos = 0;
        long tokens = 0;
        int stepsDone = 0;
        boolean cancelled = false;
        long loopStart = System.nanoTime();
        try (AdamW optimizer = new AdamW(model, config)) {
            for (int step = 1; step <= config.steps(); step++) {
                if (Thread.currentThread().isInterrupted() || cancel.getAsBoolean()) {
                    cancelled = true;
                    break;
                }
                long t0 = System.nanoTime();
                MaskedBatch mb = masking.mask(batches.next(), maskRng.split());
                float lr = config.learningRateAt(step);
                double loss;
                try (NDManager sm = model.manager().newSubManager()) {
                    Shape shape = new Shape(mb.batchSize(), mb.length());
                    NDArray ids = sm.create(mb.inputIds(), shape);
                    NDArray mask = sm.create(mb.attentionMask(), shape);
                    NDArray pos = sm.create(mb.maskedPositions());
                    NDArray lab = sm.create(mb.labels());
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray hidden = model.hiddenStates(ids, mask, true);
                        NDArray lossArray = model.maskedLmLoss(hidden, pos, lab);
                        gc.backward(lossArray);
                        loss = lossArray.getFloat();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the loss became " + loss + " at step " + step
                                + "; try a lower learning rate (now " + config.learningRate()
                                + "), more warm-up steps or gradient clipping (maxGradNorm " + config.maxGradNorm() + ")");
                    }
                    optimizer.step(sm, lr);
                }
                trainNanos += System.nanoTime() - t0;
                tokens += mb.realTokens();
                stepsDone = step;
                rows.add(new PretrainResult.Row(step, loss, lr, Double.NaN, Double.NaN));
                long elapsed = System.nanoTime() - loopStart;
                long remaining = (long) ((double) elapsed / step * (config.steps() - step));
                listener.onStep(new TrainingProgress(step, config.steps(), loss, lr, tokens / (trainNanos / 1e9),
                        Duration.ofNanos(elapsed), Duration.ofNanos(remaining)));
                if (step % config.evalEvery() == 0 || step == config.steps()) {
                    last = Perplexity.evaluate(model, masking, heldSeqs, config.batchSize(), config.seed(), step);
                    rows.set(rows.size() - 1, new PretrainResult.Row(step, loss, lr, last.loss(), last.perplexity()));
                    listener.onEval(last);
                }
            }
        } finally {
            EngineSetup.noGradOnThisThread();
        }
        // Clear the interrupt flag while writing files (interruptible I/O would fail), restore it after.
        boolean interrupted = Thread.interrupted();
        try {
            double tps = trainNanos == 0 ? 0 : tokens / (trainNanos / 1e9);
            Path checkpoint = null;
            if (config.outputDir() != null && !cancelled) {
                checkpoint = config.outputDir().resolve("checkpoint");
                model.save(checkpoint);
            }
            RunRecord record = record(model, split, config, cancelled, initial, last, stepsDone, tps, rows,
                    trainTokens, heldTokens, checkpoint, start);
            PretrainResult result = new PretrainResult(config, stepsDone, initial, last, rows, tps, record);
            if (config.outputDir() != null) {
                record.write(config.outputDir());
                result.history().write().csv(config.outputDir().resolve("history.csv").toFile());
            }
            listener.onEnd(result);
            if (cancelled) {
                throw new PretrainCancelledException("pretraining cancelled after " + stepsDone + " of "
                        + config.steps() + " steps; the model keeps the weights of step " + stepsDone, result);
            }
            return result;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<int[]> encode(Tokenizer tokenizer, Corpus corpus) {
        return java.util.Arrays.asList(tokenizer.encodeBatch(corpus.texts()));
    }

    private static RunRecord record(MaskedLanguageModel model, CorpusSplit split, PretrainConfig config,
                                    boolean cancelled, EvalResult initial, EvalResult last, int stepsDone, double tps,
                                    List<PretrainResult.Row> rows, long trainTokens, long heldTokens,
                                    Path checkpoint, Instant start) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", model.config().toHuggingFaceMap());
        cfg.put("pretrain", config.toMap());
        Map<String, String> lineage = new LinkedHashMap<>();
        model.loadedFrom().ifPresent(p -> lineage.put("baseCheckpoint", p.toString()));
        if (checkpoint != null) {
            lineage.put("checkpoint", checkpoint.toAbsolutePath().toString());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("initial_loss", initial.loss());
        metrics.put("initial_perplexity", initial.perplexity());
        metrics.put("final_loss", last.loss());
        metrics.put("final_perplexity", last.perplexity());
        metrics.put("steps_done", (double) stepsDone);
        metrics.put("tokens_per_second", tps);
        metrics.put("parameters", (double) model.parameterCount());
        int tail = Math.min(10, rows.size() - 1);
        double trainTail = rows.subList(rows.size() - tail, rows.size()).stream()
                .mapToDouble(PretrainResult.Row::loss).average().orElse(Double.NaN);
        metrics.put("final_train_loss_mean10", trainTail);
        Corpus tr = split.train();
        Corpus ho = split.heldOut();
        List<RunRecord.DataSet> data = List.of(
                new RunRecord.DataSet("train", tr.name(), tr.sha256(), tr.size(), trainTokens),
                new RunRecord.DataSet("heldout", ho.name(), ho.sha256(), ho.size(), heldTokens));
        return new RunRecord(RunRecord.FORMAT_VERSION, "pretrain", cancelled ? "cancelled" : "completed", cfg,
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
    static final class BatchStream {
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
            epoch = Packing.pack(ordered, config.sequenceLength(), tokenizer, false);
            cursor = 0;
            epochs++;
        }

        int[][] next() {
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
