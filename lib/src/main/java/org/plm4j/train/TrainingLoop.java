package org.plm4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;
import org.plm4j.internal.EngineSetup;

/**
 * The one training skeleton: pretraining, adaptation and fine-tuning run their steps through it,
 * and later variants (private, prototypical) plug in the same way. DJL's {@code EasyTrain} drives
 * a {@code Block} through a {@code Trainer}; plm4j's models are plain named tensors with their own
 * optimiser and its tasks need stage-wise freezing, micro-batches and resumable state, so the
 * loop is written here once.
 *
 * <p>The loop owns: the step loop with one native-memory scope per step (closed on every path),
 * cancellation (the thread's interrupt flag and a signal, polled before each step), gradient
 * accumulation over micro-batches, the optimiser (AdamW with global-norm clipping) and the
 * learning-rate schedule, a check that the loss stays finite, scheduled evaluation (every k steps
 * or at each epoch's end, and after the last step), early stopping on one metric, resumable
 * checkpoints, and the listener calls. The {@link Task} owns the model-specific forward and
 * backward pass and what an evaluation measures.
 */
public final class TrainingLoop {

    /** The model-specific part of a run. */
    public interface Task {

        /**
         * Forward and backward pass of micro-batch {@code micro} of step {@code step}: gradients
         * accumulate on the optimised tensors. Arrays belong to {@code scope}, closed after the step.
         *
         * @param lossScale 1/micro-batches as an array of {@code scope} (multiply the loss by it
         *     before backward), or null with one micro-batch
         * @return the unscaled loss of this micro-batch and its count of real tokens
         */
        MicroBatch forwardBackward(NDManager scope, int step, int micro, NDArray lossScale);

        /** Measures the model at a scheduled point ({@code epoch} 0 for step-scheduled evaluations). */
        Evaluation evaluate(int step, int epoch);

        /** After each completed step ({@code loss}: mean over its micro-batches). */
        default void afterStep(int step, double loss, double learningRate) {}

        /** After an evaluation that improved the monitored metric, e.g. to keep the best weights. */
        default void onImproved(Evaluation evaluation) {}

        /** Writes a resumable checkpoint of {@code state}; call {@code loop.saveOptimizer(file)} for the moments. */
        default void checkpoint(TrainingLoop loop, LoopState state) {}
    }

    /**
     * One micro-batch's outcome.
     *
     * @param loss its unscaled loss
     * @param tokens its count of real (non-padding) tokens
     */
    public record MicroBatch(double loss, long tokens) {}

    /**
     * The loop's resumable state after a step.
     *
     * @param step steps done in this stage
     * @param tokens real tokens trained on
     * @param trainNanos nanoseconds spent in steps (evaluations excluded)
     * @param best best value of the monitored metric so far (NaN: none yet)
     * @param evaluationsWithoutImprovement evaluations since it last improved
     * @param stoppedEarly whether early stopping ended the run
     */
    public record LoopState(int step, long tokens, long trainNanos, double best, int evaluationsWithoutImprovement,
                            boolean stoppedEarly) {

        /** The state before the first step. */
        public static final LoopState START = new LoopState(0, 0, 0, Double.NaN, 0, false);

        /** Tokens per second of training so far. */
        public double tokensPerSecond() {
            return trainNanos == 0 ? 0 : tokens / (trainNanos / 1e9);
        }
    }

    /** How a run ended. */
    public enum Status {
        /** All planned steps ran. */
        COMPLETED,
        /** Early stopping ended it. */
        STOPPED_EARLY,
        /** Interrupted or cancelled; the weights are those of the last finished step. */
        CANCELLED;

        /** The status as run records write it ({@code completed}, {@code stopped-early}, {@code cancelled}). */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What a run returns.
     *
     * @param status how it ended
     * @param state the loop state after the last finished step
     * @param initial the evaluation before the first step, or null
     * @param last the newest evaluation, or null
     * @param checkpoint the newest resumable checkpoint written, or null
     */
    public record Result(Status status, LoopState state, Evaluation initial, Evaluation last, Path checkpoint) {}

    private final Builder b;
    private AdamW optimizer;
    private Path lastCheckpoint;

    private TrainingLoop(Builder b) {
        this.b = b;
    }

    /** A builder; {@code setSteps}, {@code setOptimizer} and {@code setLearningRate} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Writes the optimiser's moment estimates (for a checkpoint). */
    public void saveOptimizer(Path file) {
        try {
            optimizer.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the optimizer state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Optimiser updates applied so far (including those before a resume). */
    public int optimizerSteps() {
        return optimizer.stepCount();
    }

    /** Records the path of a checkpoint the task wrote, for {@link Result#checkpoint()}. */
    public void checkpointWritten(Path dir) {
        lastCheckpoint = dir;
    }

    /**
     * Runs the remaining steps of {@code task} on the calling thread.
     *
     * @throws IllegalStateException when the loss or the gradient norm stops being finite
     */
    public Result run(Task task) {
        Objects.requireNonNull(task, "task");
        TrainingListener listener = b.listener;
        LoopState s = b.resumeState;
        Evaluation initial = b.resumeInitial;
        Evaluation last = b.resumeLast;
        if (s == LoopState.START && b.evaluateAtStart) {
            initial = task.evaluate(0, 0);
            last = initial;
            s = new LoopState(0, 0, 0, initial.metric(b.monitor), 0, false);
            listener.onEvaluation(initial);
        }
        listener.onStart(b.grandTotal());
        Status status = Status.COMPLETED;
        long loopStart = System.nanoTime();
        int firstStep = s.step() + 1;
        int acc = b.accumulation;
        EngineSetup.noGradOnThisThread();
        try (AdamW opt = new AdamW(b.owner, b.params, b.optimizerSettings, b.noDecay)) {
            optimizer = opt;
            if (b.resumeOptimizer != null) {
                opt.load(b.resumeOptimizer, b.resumeOptimizerSteps);
            }
            if (b.checkpointAtStart && b.checkpointEvery > 0 && s.step() == 0 && b.stepOffset == 0) {
                task.checkpoint(this, s);
            }
            for (int step = firstStep; step <= b.steps; step++) {
                if (Thread.currentThread().isInterrupted() || b.cancel.getAsBoolean()) {
                    status = Status.CANCELLED;
                    break;
                }
                long t0 = System.nanoTime();
                float lr = (float) b.learningRate.applyAsDouble(step);
                double loss = 0;
                long tokens = 0;
                try (NDManager scope = b.owner.newSubManager()) {
                    // the loss scale is an array of the step's scope: a Java number saved by autograd would be freed
                    // before the backward pass reads it
                    NDArray scale = acc == 1 ? null : scope.create(1f / acc);
                    for (int micro = 0; micro < acc; micro++) {
                        MicroBatch mb = task.forwardBackward(scope, step, micro, scale);
                        loss += mb.loss() / acc;
                        tokens += mb.tokens();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the loss became " + loss + " at step " + step
                                + "; try a lower learning rate (now " + lr + "), more warm-up or gradient clipping"
                                + " (maxGradNorm " + b.optimizerSettings.maxGradNorm() + ")");
                    }
                    // the update writes leaves in place: recording must be off
                    EngineSetup.noGradOnThisThread();
                    opt.step(scope, lr);
                }
                s = new LoopState(step, s.tokens() + tokens, s.trainNanos() + System.nanoTime() - t0, s.best(),
                        s.evaluationsWithoutImprovement(), false);
                task.afterStep(step, loss, lr);
                long elapsed = System.nanoTime() - loopStart;
                int done = step - firstStep + 1;
                int global = b.stepOffset + step;
                long remaining = (long) ((double) elapsed / done * (b.grandTotal() - global));
                listener.onStep(new TrainingProgress(global, b.grandTotal(), loss, lr, s.tokensPerSecond(),
                        Duration.ofNanos(elapsed), Duration.ofNanos(Math.max(0, remaining))));
                boolean epochEnd = b.stepsPerEpoch > 0 && (step % b.stepsPerEpoch == 0 || step == b.steps);
                boolean evalDue = b.stepsPerEpoch > 0 ? epochEnd
                        : b.evalEvery > 0 && (global % b.evalEvery == 0 || step == b.steps);
                if (evalDue) {
                    int epoch = b.stepsPerEpoch > 0 ? (step + b.stepsPerEpoch - 1) / b.stepsPerEpoch : 0;
                    last = task.evaluate(step, epoch);
                    listener.onEvaluation(last);
                    s = monitor(task, s, last, step);
                }
                if (b.checkpointEvery > 0 && global % b.checkpointEvery == 0) {
                    task.checkpoint(this, s);
                }
                if (s.stoppedEarly()) {
                    status = step < b.steps ? Status.STOPPED_EARLY : Status.COMPLETED;
                    break;
                }
            }
            if (b.checkpointEvery > 0 && s.step() > 0 && (b.stepOffset + s.step()) % b.checkpointEvery != 0) {
                // at cancellation, early stop or a last partial interval: keep the newest state
                boolean flag = Thread.interrupted();
                try {
                    task.checkpoint(this, s);
                } finally {
                    if (flag) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } finally {
            optimizer = null;
            EngineSetup.noGradOnThisThread();
        }
        return new Result(status, s, initial, last, lastCheckpoint);
    }

    private LoopState monitor(Task task, LoopState s, Evaluation e, int step) {
        if (b.monitor == null) {
            return s;
        }
        double v = e.metric(b.monitor);
        boolean improved = Double.isNaN(s.best()) || (b.higherIsBetter ? v > s.best() : v < s.best());
        if (improved) {
            task.onImproved(e);
            return new LoopState(s.step(), s.tokens(), s.trainNanos(), v, 0, false);
        }
        int without = s.evaluationsWithoutImprovement() + 1;
        boolean stop = b.patience > 0 && without >= b.patience;
        return new LoopState(s.step(), s.tokens(), s.trainNanos(), s.best(), without, stop);
    }

    /** Builds a {@link TrainingLoop}; {@code set*} are required, {@code opt*} optional. */
    public static final class Builder extends TrainingRequest<Builder> {
        private int steps = -1;
        private NDManager owner;
        private Map<String, NDArray> params;
        private OptimizerSettings optimizerSettings;
        private Predicate<String> noDecay = n -> false;
        private IntToDoubleFunction learningRate;
        private int accumulation = 1;
        private int evalEvery;
        private int stepsPerEpoch;
        private boolean evaluateAtStart;
        private String monitor;
        private boolean higherIsBetter;
        private int patience;
        private int checkpointEvery;
        private boolean checkpointAtStart;
        private int stepOffset;
        private int grandTotal = -1;
        private LoopState resumeState = LoopState.START;
        private Evaluation resumeInitial;
        private Evaluation resumeLast;
        private Path resumeOptimizer;
        private int resumeOptimizerSteps;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Optimiser steps of this run (or stage). */
        public Builder setSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * The tensors to train and the optimiser's settings.
         *
         * @param owner the manager under which the optimiser state and the per-step scopes live
         * @param params the tensors to update by name (each must have a gradient attached)
         * @param noDecay names exempt from weight decay
         */
        public Builder setOptimizer(NDManager owner, Map<String, NDArray> params, OptimizerSettings settings,
                                    Predicate<String> noDecay) {
            this.owner = owner;
            this.params = params;
            this.optimizerSettings = settings;
            this.noDecay = noDecay;
            return this;
        }

        /** The learning rate of each step (1-based, within this run or stage). */
        public Builder setLearningRate(IntToDoubleFunction schedule) {
            this.learningRate = schedule;
            return this;
        }

        /** Micro-batches per optimiser step (gradient accumulation); default 1. */
        public Builder optGradientAccumulation(int microBatches) {
            this.accumulation = microBatches;
            return this;
        }

        /** Evaluate every {@code steps} steps (counted over all stages) and after the last one. */
        public Builder optEvaluateEvery(int steps) {
            this.evalEvery = steps;
            return this;
        }

        /** Evaluate at the end of each epoch of {@code stepsPerEpoch} steps (the last may be shorter). */
        public Builder optEvaluateEachEpoch(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        /** Evaluate once before the first step (the baseline of early stopping). */
        public Builder optEvaluateAtStart(boolean value) {
            this.evaluateAtStart = value;
            return this;
        }

        /**
         * Watch {@code metric} of each evaluation: {@link Task#onImproved} on improvement, and stop
         * after {@code patience} evaluations without one (0: never stop early).
         */
        public Builder optEarlyStopping(String metric, boolean higherIsBetter, int patience) {
            this.monitor = metric;
            this.higherIsBetter = higherIsBetter;
            this.patience = patience;
            return this;
        }

        /**
         * Call {@link Task#checkpoint} every {@code steps} steps (counted over all stages) and when the run
         * ends between two (0: never).
         */
        public Builder optCheckpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        /**
         * Also call {@link Task#checkpoint} before the first step of a fresh run that starts at step 0,
         * so the checkpoint series holds the initialisation (default false; needs {@link #optCheckpointEvery}).
         */
        public Builder optCheckpointAtStart(boolean value) {
            this.checkpointAtStart = value;
            return this;
        }



        /** For runs in stages: steps before this stage and steps of all stages, as progress reports them. */
        public Builder optStageOffset(int stepsBefore, int allSteps) {
            this.stepOffset = stepsBefore;
            this.grandTotal = allSteps;
            return this;
        }

        /**
         * Continue from {@code state} (its step counted within this loop): an interrupted run, with the
         * optimiser moments in {@code optimizerFile} after {@code optimizerSteps} updates, or the next
         * stage of a run, with a fresh optimiser ({@code optimizerFile} null) and the counters carried over.
         */
        public Builder optResume(LoopState state, Evaluation initial, Evaluation last, Path optimizerFile,
                                 int optimizerSteps) {
            this.resumeState = state;
            this.resumeInitial = initial;
            this.resumeLast = last;
            this.resumeOptimizer = optimizerFile;
            this.resumeOptimizerSteps = optimizerSteps;
            return this;
        }

        private int grandTotal() {
            return grandTotal < 0 ? steps : grandTotal;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the missing or invalid setting
         */
        public TrainingLoop build() {
            if (steps < 0) {
                throw new IllegalArgumentException("steps must be set and >= 0, got " + steps);
            }
            if (owner == null || params == null || optimizerSettings == null) {
                throw new IllegalArgumentException("the optimizer (tensors and settings) must be set");
            }
            if (learningRate == null) {
                throw new IllegalArgumentException("the learning-rate schedule must be set");
            }
            if (accumulation < 1) {
                throw new IllegalArgumentException("gradient accumulation must be >= 1, got " + accumulation);
            }
            if (evalEvery < 0 || stepsPerEpoch < 0 || checkpointEvery < 0 || patience < 0) {
                throw new IllegalArgumentException("evaluation, epoch, checkpoint and patience intervals must be >= 0");
            }
            if (evaluateAtStart && evalEvery == 0 && stepsPerEpoch == 0) {
                throw new IllegalArgumentException("an evaluation at the start needs an evaluation schedule too");
            }
            return new TrainingLoop(this);
        }
    }

    /**
     * Linear warm-up over {@code warmupSteps} to {@code peak}, then linear decay towards 0 at
     * {@code totalSteps} (BERT's schedule): the rate of step {@code k} (1-based) is
     * {@code peak * k / warmupSteps} during warm-up, then {@code peak * (totalSteps - k + 1) / (totalSteps - warmupSteps)}.
     */
    public static IntToDoubleFunction linearWarmupDecay(double peak, int warmupSteps, int totalSteps) {
        return step -> {
            if (warmupSteps > 0 && step <= warmupSteps) {
                return peak * step / warmupSteps;
            }
            int decaySteps = totalSteps - warmupSteps;
            if (decaySteps <= 0) {
                return peak;
            }
            return peak * Math.max(0.0, (double) (totalSteps - step + 1) / decaySteps);
        };
    }
}
