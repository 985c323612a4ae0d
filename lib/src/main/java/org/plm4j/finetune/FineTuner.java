package org.plm4j.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.evaluate.ClassificationEvaluation;
import org.plm4j.internal.EncodedBatch;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.privacy.PrivacyAccountant;
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
 * Fine-tunes an encoder checkpoint for sequence classification.
 *
 * <pre>{@code
 * LabeledDataset data = Datasets.task("foldoc-topics");
 * FineTuneResult r = FineTuner.builder().setModel(model).setTokenizer(tokenizer).setData(data)
 *         .optConfig(FineTuneConfig.builder().optEpochs(5).optSeed(1).build())
 *         .optListener(TrainingListener.printing(System.out, 50)).run();
 * r.classifier().predict("a protocol for sending electronic mail");
 * }</pre>
 *
 * <p>The checkpoint is copied, never changed. Each epoch ends with an evaluation of the validation
 * split (through Tribuo, {@link ClassificationEvaluation}); the weights with the best validation
 * macro-F1 are kept. Two-stage fine-tuning ({@link FineTuneConfig#twoStage()}) first trains the
 * head and the top layer(s) with a class-balanced loss, then everything with the configured loss.
 * Same seed, data and configuration give the same weights and metrics.
 *
 * <p>With a {@link Privacy} budget ({@link FineTuneConfig#privacy()}) the run is DP-SGD on the
 * head's classifier layer and the top k encoder layers (DP-RAFT's recipe, see there): each step samples every training example
 * with probability q = batchSize / n, clips each example's gradient to norm C, adds Gaussian noise
 * of standard deviation sigma * C to the sum and divides by the expected batch size; sigma is the
 * smallest noise multiplier that {@link PrivacyAccountant#sigma} finds for the budget over the
 * planned steps. The run record carries epsilon (spent), delta, sigma, C, q and the steps.
 * A {@link Head#PROTOTYPICAL} or {@link Head#MIXED} head starts with its prototypes at the class
 * means of the pooled training embeddings under the checkpoint.
 */
public final class FineTuner {

    /** The metric that selects the kept epoch and drives early stopping. */
    public static final String VALIDATION_MACRO_F1 = Metrics.VALIDATION_MACRO_F1;

    private FineTuner() {
    }

    /** A new fine-tuning request; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One fine-tuning request: the checkpoint ({@code setModel}), its tokenizer and the labelled
     * data ({@code setData}) are required; settings, a listener and a cancellation signal are
     * optional. {@link #run()} trains a copy of the checkpoint on the calling thread.
     */
    public static final class Builder extends TrainingRequest<Builder> {
        private MaskedLanguageModel checkpoint;
        private Tokenizer tokenizer;
        private LabeledTexts train;
        private LabeledTexts validation;
        private LabeledTexts test;
        private FineTuneConfig config = FineTuneConfig.builder().build();

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** The encoder checkpoint to start from; it is copied, never changed. */
        public Builder setModel(MaskedLanguageModel checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /** The tokenizer the checkpoint's vocabulary belongs to. */
        public Builder setTokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /** Trains on {@code data.train()}, selects on {@code data.validation()}, evaluates on {@code data.test()}. */
        public Builder setData(LabeledDataset data) {
            return setData(data.train(), data.validation(), data.test());
        }

        /** Trains on {@code train} and keeps the weights with the best macro-F1 on {@code validation}. */
        public Builder setData(LabeledTexts train, LabeledTexts validation) {
            return setData(train, validation, null);
        }

        /** As {@link #setData(LabeledTexts, LabeledTexts)}, then evaluates the kept weights on {@code test} (may be null). */
        public Builder setData(LabeledTexts train, LabeledTexts validation, LabeledTexts test) {
            this.train = train;
            this.validation = validation;
            this.test = test;
            return this;
        }

        /** The settings (default: {@code FineTuneConfig.builder().build()}). */
        public Builder optConfig(FineTuneConfig config) {
            this.config = config;
            return this;
        }



        /**
         * Runs the request.
         *
         * @throws IllegalArgumentException for a missing model, tokenizer or data, and for unusable
         *     data: an empty or single-label training split, an empty validation split, validation or
         *     test labels never seen in training, a tokenizer that does not belong to the checkpoint
         */
        public FineTuneResult run() {
            if (checkpoint == null || tokenizer == null) {
                throw new IllegalArgumentException("fine-tuning needs a checkpoint and its tokenizer: "
                        + "FineTuner.builder().setModel(model).setTokenizer(tokenizer).setData(dataset).run()");
            }
            return fineTune(checkpoint, tokenizer, train, validation, test, config, listener, cancel);
        }
    }

    private static FineTuneResult fineTune(MaskedLanguageModel checkpoint, Tokenizer tokenizer, LabeledTexts train,
                                           LabeledTexts validation, LabeledTexts test, FineTuneConfig config,
                                           TrainingListener listener, BooleanSupplier cancel) {
        checkData(train, validation, test);
        SequenceClassifier.checkVocabulary(checkpoint, tokenizer);
        if (config.trainableLayers() > checkpoint.config().layers()) {
            throw new IllegalArgumentException("trainableLayers " + config.trainableLayers() + " exceeds the model's "
                    + checkpoint.config().layers() + " layers; use -1 to train everything");
        }
        Instant start = Instant.now();
        // a new thread (a notebook cell's) starts with PyTorch recording; fine-tuning switches it on only inside
        // its GradientCollector
        EngineSetup.noGradOnThisThread();
        List<String> labels = new ArrayList<>(new TreeSet<>(train.labelOfEach()));
        SequenceClassifier clf = SequenceClassifier.create(checkpoint, tokenizer, labels, config);
        try {
            return new Run(clf, tokenizer, train, validation, test, config, listener, cancel, start).run();
        } catch (FineTuneCancelledException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            clf.close();
            throw e;
        }
    }

    static void checkData(LabeledTexts train, LabeledTexts validation, LabeledTexts test) {
        if (train == null || train.size() == 0) {
            throw new IllegalArgumentException("the training split is empty; fine-tuning needs labelled examples");
        }
        Set<String> known = new TreeSet<>(train.labelOfEach());
        if (known.size() < 2) {
            throw new IllegalArgumentException("the training split has only the label " + known
                    + "; a classifier needs at least 2 labels");
        }
        if (validation == null || validation.size() == 0) {
            throw new IllegalArgumentException("the validation split is empty; fine-tuning selects the epoch by validation"
                    + " macro-F1. Hold some training examples out, e.g. LabeledSplit s = train.split(0.1, seed);"
                    + " then fineTune(model, tok, s.train(), s.test(), config, listener)");
        }
        unseen(known, validation, "validation");
        if (test != null) {
            unseen(known, test, "test");
        }
    }

    private static void unseen(Set<String> known, LabeledTexts split, String role) {
        Set<String> missing = new LinkedHashSet<>(split.labelOfEach());
        missing.removeAll(known);
        if (!missing.isEmpty()) {
            long n = split.labelOfEach().stream().filter(missing::contains).count();
            throw new IllegalArgumentException("the " + role + " split has labels never seen in training: " + missing
                    + " (" + n + " of " + split.size() + " examples); a classifier cannot predict them. Split the data"
                    + " stratified (Datasets do), or drop those examples with " + role
                    + ".filterLabels(l -> trainLabels.contains(l))");
        }
    }

    /** A stage of training: which tensors learn, for how long, at which rate, with which loss. */
    private record Stage(int number, int epochs, double learningRate, int trainableLayers, ClassWeighting weighting,
                         double beta, LossFunction loss, boolean selectBest) {}

    /** One fine-tuning run's state. */
    private static final class Run {
        private final SequenceClassifier clf;
        private final Tokenizer tokenizer;
        private final LabeledTexts train;
        private final LabeledTexts validation;
        private final LabeledTexts test;
        private final FineTuneConfig config;
        private final TrainingListener listener;
        private final BooleanSupplier cancel;
        private final Instant start;
        private final MaskedLanguageModel encoder;
        private final Engine engine = EngineSetup.engine();
        private final int[][] encoded;
        private final int[] targets;
        private final int[] counts;
        private final List<FineTuneResult.Row> rows = new ArrayList<>();
        private int globalStep;
        private int totalSteps;
        private double samplingRate;
        private double sigma;
        private long tokens;
        private long trainNanos;

        Run(SequenceClassifier clf, Tokenizer tokenizer, LabeledTexts train, LabeledTexts validation, LabeledTexts test,
            FineTuneConfig config, TrainingListener listener, BooleanSupplier cancel, Instant start) {
            this.clf = clf;
            this.tokenizer = tokenizer;
            this.train = train;
            this.validation = validation;
            this.test = test;
            this.config = config;
            this.listener = listener == null ? TrainingListener.NONE : listener;
            this.cancel = cancel == null ? () -> false : cancel;
            this.start = start;
            this.encoder = clf.encoder();
            this.encoded = tokenizer.encodeBatch(train.texts());
            List<String> labels = clf.labels();
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                index.put(labels.get(i), i);
            }
            targets = new int[train.size()];
            counts = new int[labels.size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = index.get(train.label(i));
                counts[targets[i]]++;
            }
        }

        FineTuneResult run() {
            List<Stage> stages = new ArrayList<>();
            TwoStage ts = config.twoStage();
            if (ts != null) {
                stages.add(new Stage(1, ts.epochs(), ts.learningRate(), ts.trainableLayers(), ts.weighting(), ts.beta(),
                        ts.loss(), false));
            }
            stages.add(new Stage(ts == null ? 1 : 2, config.epochs(), config.learningRate(), config.trainableLayers(),
                    config.classWeighting(), config.beta(), config.loss(), true));
            int stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
            for (Stage s : stages) {
                totalSteps += s.epochs() * stepsPerEpoch;
            }
            Privacy privacy = config.privacy();
            if (privacy != null) {
                samplingRate = Math.min(1.0, (double) config.batchSize() / train.size());
                sigma = PrivacyAccountant.sigma(samplingRate, privacy.epsilon(), totalSteps, privacy.delta());
            }
            if (config.head().hasPrototypes()) {
                clf.initPrototypes(encoded, targets);
            }
            Best best = new Best();
            boolean cancelled = false;
            boolean stoppedEarly = false;
            for (Stage s : stages) {
                Outcome o = train(s, stepsPerEpoch, best);
                cancelled = o == Outcome.CANCELLED;
                stoppedEarly = o == Outcome.STOPPED_EARLY;
                if (cancelled) {
                    break;
                }
            }
            if (best.values != null) {
                restore(best);
            }
            ClassificationEvaluation val = ClassificationEvaluation.of(clf, validation);
            ClassificationEvaluation tst = test == null ? null : ClassificationEvaluation.of(clf, test);
            RunRecord record = record(cancelled, best.epoch, stoppedEarly, val, tst);
            FineTuneResult result = new FineTuneResult(clf, rows, best.epoch, stoppedEarly, val, tst, record);
            if (config.outputDir() != null) {
                write(result);
            }
            listener.onEnd(new TrainingOutcome(cancelled ? "cancelled" : stoppedEarly ? "stopped-early" : "completed",
                    globalStep, totalSteps, String.format(java.util.Locale.ROOT,
                            "done: kept epoch %d, validation macro-F1 %.3f", best.epoch, val.macroF1())));
            if (cancelled) {
                throw new FineTuneCancelledException("fine-tuning cancelled after " + globalStep + " of " + totalSteps
                        + " steps; the classifier keeps the weights of its best validated epoch ("
                        + (best.epoch == 0 ? "none: the weights are those of the interruption" : "epoch " + best.epoch)
                        + ")", result);
            }
            return result;
        }

        private enum Outcome { COMPLETED, STOPPED_EARLY, CANCELLED }

        /** The best epoch of the selecting stage and the values of the tensors that stage trains (the rest do not move). */
        private static final class Best {
            double macroF1 = Double.NEGATIVE_INFINITY;
            int epoch;
            Map<String, NDArray> tensors;
            Map<String, float[]> values;
        }

        private Outcome train(Stage stage, int stepsPerEpoch, Best best) {
            int layers = encoder.config().layers();
            int k = stage.trainableLayers();
            boolean embeddingsTrain = k < 0;
            int firstTrainable = k < 0 ? 0 : Math.max(0, layers - k);
            Map<String, NDArray> trainable = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : encoder.parameters().entrySet()) {
                String n = e.getKey();
                if (n.startsWith("bert.embeddings.") ? embeddingsTrain : layerOf(n) >= firstTrainable) {
                    trainable.put(n, e.getValue());
                }
            }
            trainable.putAll(clf.headParameters());
            boolean dp = config.privacy() != null;
            if (dp) {
                // DP-RAFT's head is the classifier layer: the pooler stays as initialised
                trainable.remove(SequenceClassifier.POOLER_W);
                trainable.remove(SequenceClassifier.POOLER_B);
            }
            double[] classWeights = stage.weighting().weights(counts, stage.beta());
            float[] margins = LossFunction.ldamMargins(counts, config.ldamMaxMargin());
            int stageSteps = stage.epochs() * stepsPerEpoch;
            int warmup = (int) Math.floor(config.warmupFraction() * stageSteps);
            int offset = globalStep;
            TrainingLoop.Builder lb = TrainingLoop.builder()
                    .setSteps(stageSteps)
                    .setOptimizer(encoder.manager(), trainable, config.optimizer(), MaskedLanguageModel::noWeightDecay)
                    .setLearningRate(TrainingLoop.linearWarmupDecay(stage.learningRate(), warmup, stageSteps))
                    .optEvaluateEachEpoch(stepsPerEpoch)
                    .optStageOffset(offset, totalSteps)
                    .optListener(listener)
                    .optCancel(cancel);
            if (stage.selectBest()) {
                // a private run takes all the steps its budget was computed for
                lb.optEarlyStopping(VALIDATION_MACRO_F1, true, dp ? 0 : config.patience());
            }
            TrainingLoop.Task task = new TrainingLoop.Task() {
                private int[] order;
                private double lossSum;
                private int batches;
                private long epochStart = System.nanoTime();

                @Override
                public TrainingLoop.MicroBatch forwardBackward(NDManager sm, int step, int micro, NDArray scale) {
                    if (dp) {
                        globalStep = offset + step;
                        return privateStep(sm, poissonSample(step), trainable, firstTrainable, classWeights, margins,
                                stage);
                    }
                    int epoch = (step - 1) / stepsPerEpoch + 1;
                    int from = (step - 1) % stepsPerEpoch * config.batchSize();
                    if (from == 0) {
                        order = Seeds.permutation(train.size(), Seeds.mix(config.seed(), stage.number() * 1000L + epoch));
                    }
                    globalStep = offset + step;
                    int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + config.batchSize()));
                    return step(sm, rows, firstTrainable, embeddingsTrain, stage, classWeights, margins);
                }

                @Override
                public void afterStep(int step, double loss, double lr) {
                    lossSum += loss;
                    batches++;
                }

                @Override
                public Evaluation evaluate(int step, int epoch) {
                    ClassificationEvaluation val = ClassificationEvaluation.of(clf, validation);
                    FineTuneResult.Row row = new FineTuneResult.Row(stage.number(), epoch, lossSum / batches,
                            val.accuracy(), val.macroF1(), (System.nanoTime() - epochStart) / 1e9);
                    rows.add(row);
                    lossSum = 0;
                    batches = 0;
                    epochStart = System.nanoTime();
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("train_loss", row.trainLoss());
                    m.put(Metrics.VALIDATION_ACCURACY, row.validationAccuracy());
                    m.put(VALIDATION_MACRO_F1, row.validationMacroF1());
                    m.put("epoch_seconds", row.seconds());
                    return new Evaluation(offset + step, stage.number(), epoch, m);
                }

                @Override
                public void onImproved(Evaluation e) {
                    best.macroF1 = e.metric(VALIDATION_MACRO_F1);
                    best.epoch = e.epoch();
                    snapshot(best, trainable);
                }
            };
            TrainingLoop.Result r = lb.build().run(task);
            tokens += r.state().tokens();
            trainNanos += r.state().trainNanos();
            return switch (r.status()) {
                case CANCELLED -> Outcome.CANCELLED;
                case STOPPED_EARLY -> Outcome.STOPPED_EARLY;
                case COMPLETED -> Outcome.COMPLETED;
            };
        }

        private TrainingLoop.MicroBatch step(NDManager sm, int[] rows, int firstTrainable, boolean embeddingsTrain,
                                             Stage stage, double[] classWeights, float[] margins) {
            int layers = encoder.config().layers();
            EncodedBatch batch = EncodedBatch.of(tokenizer, encoded, rows, clf.maxLength());
            long batchTokens = 0;
            for (float m : batch.mask()) {
                batchTokens += (long) m;
            }
            double weightSum = 0;
            for (int row : rows) {
                weightSum += classWeights[targets[row]];
            }
            engine.setRandomSeed((int) Seeds.mix(config.seed() ^ 0xD809L, globalStep));
            NDArray ids = batch.idsArray(sm);
            NDArray mask = batch.maskArray(sm);
            NDArray frozen = null;
            if (!embeddingsTrain) {
                // the frozen bottom runs without recording: no graph, no backward through it
                EngineSetup.noGradOnThisThread();
                frozen = encoder.encoderLayers(encoder.embeddings(ids, true), mask, 0, firstTrainable, true);
            }
            NDArray norm = sm.create((float) (1.0 / weightSum));
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray x = embeddingsTrain
                        ? encoder.encoderLayers(encoder.embeddings(ids, true), mask, 0, layers, true)
                        : encoder.encoderLayers(frozen, mask, firstTrainable, layers, true);
                NDArray loss = exampleLosses(sm, clf.logits(x, mask, true), rows, stage, classWeights, margins)
                        .sum().mul(norm);
                gc.backward(loss);
                return new TrainingLoop.MicroBatch(loss.getFloat(), batchTokens);
            }
        }

        /** Each example's weighted loss, {@code [batch]}, from its logits (LDAM margins applied here). */
        private NDArray exampleLosses(NDManager sm, NDArray logits, int[] rows, Stage stage, double[] classWeights,
                                      float[] margins) {
            int b = rows.length;
            int c = counts.length;
            float[] onehot = new float[b * c];
            float[] sampleWeights = new float[b];
            float[] marginShift = new float[b * c];
            for (int i = 0; i < b; i++) {
                int y = targets[rows[i]];
                onehot[i * c + y] = 1f;
                sampleWeights[i] = (float) classWeights[y];
                marginShift[i * c + y] = margins[y];
            }
            // Java numbers enter the graph only as arrays of the step's manager (see NativeMemorySafetyTest)
            if (stage.loss() == LossFunction.LDAM) {
                logits = logits.sub(sm.create(marginShift, new Shape(b, c))).mul(sm.create((float) config.ldamScale()));
            }
            NDArray nll = logits.logSoftmax(1).mul(sm.create(onehot, new Shape(b, c))).sum(new int[] {1}).neg();
            return nll.mul(sm.create(sampleWeights));
        }

        /** Poisson sampling: each training row joins step {@code step}'s batch with probability q, seeded. */
        private int[] poissonSample(int step) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(Seeds.mix(config.seed() ^ 0xD9L, step));
            return java.util.stream.IntStream.range(0, train.size()).filter(i -> rng.nextDouble() < samplingRate)
                    .toArray();
        }

        /**
         * A DP-SGD step on the top layers from {@code firstTrainable} and the classifier layer: the
         * frozen bottom runs without recording, nothing runs with dropout, {@link DpSgd} watches the
         * trainable part and its clipped, noised gradient replaces each trained tensor's gradient.
         */
        private TrainingLoop.MicroBatch privateStep(NDManager sm, int[] rows, Map<String, NDArray> trainable,
                                                    int firstTrainable, double[] classWeights, float[] margins,
                                                    Stage stage) {
            engine.setRandomSeed((int) Seeds.mix(config.seed() ^ 0xD809L, globalStep));
            Privacy privacy = config.privacy();
            double expected = samplingRate * train.size();
            Map<String, NDArray> grads;
            double loss = 0;
            long batchTokens = 0;
            if (rows.length == 0) {
                Map<String, NDArray> zero = new LinkedHashMap<>();
                trainable.forEach((name, t) -> zero.put(name, sm.zeros(t.getShape())));
                grads = DpSgd.noisyMean(zero, sigma * privacy.clip(), expected);
            } else {
                EncodedBatch batch = EncodedBatch.of(tokenizer, encoded, rows, clf.maxLength());
                for (float m : batch.mask()) {
                    batchTokens += (long) m;
                }
                EngineSetup.noGradOnThisThread();
                NDArray mask = batch.maskArray(sm);
                NDArray frozen = encoder.encoderLayers(encoder.embeddings(batch.idsArray(sm), false), mask, 0,
                        firstTrainable, false);
                DpSgd taps = new DpSgd();
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray hidden = encoder.encoderLayers(frozen, mask, firstTrainable, encoder.config().layers(),
                            false, taps);
                    Map<String, NDArray> head = clf.headParameters();
                    NDArray logits = taps.linear(clf.classifierInput(clf.pooled(hidden, mask)),
                            head.get(SequenceClassifier.CLASSIFIER_W), head.get(SequenceClassifier.CLASSIFIER_B));
                    // summed, not averaged: each probe's gradient is then each example's own
                    NDArray sum = exampleLosses(sm, logits, rows, stage, classWeights, margins).sum();
                    gc.backward(sum);
                    loss = sum.getFloat() / rows.length;
                }
                EngineSetup.noGradOnThisThread();
                // the frozen pooler was in the graph: drop what it accumulated
                for (String frozenHead : List.of(SequenceClassifier.POOLER_W, SequenceClassifier.POOLER_B)) {
                    NDArray g = clf.headParameters().get(frozenHead).getGradient();
                    g.attach(sm);
                    g.muli(0f);
                }
                grads = DpSgd.privateGradients(taps.traces(), privacy.clip(), sigma, expected);
            }
            EngineSetup.noGradOnThisThread();
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                NDArray value = grads.get(e.getKey());
                if (value == null) {
                    throw new IllegalStateException("no private gradient for '" + e.getKey() + "'; DP-SGD covers"
                            + " linear layers and LayerNorms only");
                }
                NDArray g = e.getValue().getGradient();
                g.attach(sm);
                g.set(new ai.djl.ndarray.index.NDIndex("..."), value);
            }
            return new TrainingLoop.MicroBatch(loss, batchTokens);
        }

        private static int layerOf(String name) {
            String p = "bert.encoder.layer.";
            if (!name.startsWith(p)) {
                return Integer.MIN_VALUE; // the MLM head (cls.predictions.*) never trains for classification
            }
            int end = name.indexOf('.', p.length());
            return Integer.parseInt(name.substring(p.length(), end));
        }

        private static void snapshot(Best best, Map<String, NDArray> trainable) {
            Map<String, float[]> values = new LinkedHashMap<>();
            trainable.forEach((k, v) -> values.put(k, v.toFloatArray()));
            best.tensors = trainable;
            best.values = values;
        }

        private static void restore(Best best) {
            EngineSetup.noGradOnThisThread();
            best.tensors.forEach((k, v) -> v.set(best.values.get(k)));
        }

        private RunRecord record(boolean cancelled, int bestEpoch, boolean stoppedEarly, ClassificationEvaluation val,
                                 ClassificationEvaluation tst) {
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("model", encoder.config().toHuggingFaceMap());
            cfg.put("finetune", config.toMap());
            cfg.put("labels", clf.labels());
            Map<String, String> artifacts = new LinkedHashMap<>();
            clf.baseCheckpoint().ifPresent(p -> artifacts.put("base_checkpoint", p));
            if (config.outputDir() != null) {
                artifacts.put("classifier", config.outputDir().resolve("classifier").toString());
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(Metrics.VALIDATION_ACCURACY, val.accuracy());
            metrics.put(Metrics.VALIDATION_MACRO_F1, val.macroF1());
            metrics.put(Metrics.VALIDATION_MICRO_F1, val.microF1());
            if (tst != null) {
                metrics.put(Metrics.TEST_ACCURACY, tst.accuracy());
                metrics.put(Metrics.TEST_MACRO_F1, tst.macroF1());
                metrics.put(Metrics.TEST_MICRO_F1, tst.microF1());
                var ht = tst.headTail(train.labelCounts());
                metrics.put(Metrics.TEST_HEAD_MACRO_F1, ht.headMacroF1());
                metrics.put(Metrics.TEST_TAIL_MACRO_F1, ht.tailMacroF1());
            }
            metrics.put(Metrics.BEST_EPOCH, (double) bestEpoch);
            metrics.put(Metrics.STOPPED_EARLY, stoppedEarly ? 1.0 : 0.0);
            metrics.put(Metrics.STEPS_DONE, (double) globalStep);
            metrics.put(Metrics.TOKENS_PER_SECOND, tokens / Math.max(1e-9, trainNanos / 1e9));
            Privacy privacy = config.privacy();
            if (privacy != null) {
                metrics.put(Metrics.DP_EPSILON, globalStep == 0 ? 0.0
                        : PrivacyAccountant.epsilon(samplingRate, sigma, globalStep, privacy.delta()));
                metrics.put(Metrics.DP_DELTA, privacy.delta());
                metrics.put(Metrics.DP_SIGMA, sigma);
                metrics.put(Metrics.DP_CLIP, privacy.clip());
                metrics.put(Metrics.DP_SAMPLING_RATE, samplingRate);
                metrics.put(Metrics.DP_STEPS, (double) globalStep);
            }
            List<RunRecord.DataSet> data = new ArrayList<>();
            data.add(RunRecord.DataSet.of("train", train));
            data.add(RunRecord.DataSet.of("validation", validation));
            if (test != null) {
                data.add(RunRecord.DataSet.of("test", test));
            }
            return RunRecord.of("finetune", cancelled ? "cancelled" : stoppedEarly ? "stopped-early" : "completed", cfg,
                    config.seed(), data, encoder.lineage(), artifacts, metrics,
                    RunRecord.Timings.between(start, Instant.now()));
        }

        private void write(FineTuneResult result) {
            Path dir = config.outputDir();
            try {
                java.nio.file.Files.createDirectories(dir);
                clf.save(dir.resolve("classifier"));
                result.historyTable().write().csv(dir.resolve("history.csv").toFile());
                result.record().write(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the fine-tuning run to " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
