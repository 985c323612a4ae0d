package org.plm4j.pretrain;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.plm4j.train.OptimizerSettings;
import org.plm4j.train.TrainingLoop;

/**
 * Settings of a masked-language-model pretraining run (also used for continued pretraining:
 * DAPT/TAPT start from a loaded model with the same settings).
 *
 * <p>Immutable; build with {@link #builder()}, whose field initialisers hold every default.
 * Learning rate: linear warm-up over {@code warmupFraction} of the steps to {@code learningRate}, then
 * linear decay towards 0 at {@code steps}. Optimiser: AdamW with decoupled weight decay (not applied to
 * biases and LayerNorm parameters), global gradient-norm clipping at {@code maxGradNorm}
 * (0 disables it). Masking: {@code maskProbability} of the non-special tokens of each sequence
 * (at least one), of which {@code maskTokenFraction} become [MASK], {@code randomTokenFraction}
 * a random non-special token, and the rest stay unchanged.
 *
 * @param steps optimiser steps
 * @param batchSize sequences per step
 * @param sequenceLength tokens per sequence including [CLS] and [SEP]
 * @param learningRate peak learning rate
 * @param warmupFraction share of the steps spent in linear warm-up
 * @param weightDecay decoupled AdamW weight decay
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param epsilon AdamW epsilon
 * @param maxGradNorm global gradient-norm clip, 0 for none
 * @param maskProbability share of non-special tokens selected for prediction
 * @param maskTokenFraction share of selected tokens replaced by [MASK]
 * @param randomTokenFraction share of selected tokens replaced by a random token
 * @param seed seed of data order, masking, held-out split and dropout
 * @param evalEvery evaluate the held-out loss every this many steps (and at the end)
 * @param evalBatches number of held-out batches per evaluation
 * @param heldOutFraction share of the corpus' texts held out for evaluation
 * @param outputDir where to write {@code run.json} and the final checkpoint, or null for nowhere
 * @param checkpointEvery write a resumable training checkpoint to {@code outputDir/checkpoints} every this
 *     many steps, at the end and when cancelled; 0 writes none (needs {@code outputDir})
 * @param keepCheckpoints keep every training checkpoint instead of only the newest, starting with step 0
 *     (the initialisation, written before the first step): the series that
 *     {@code org.plm4j.probe.ProbeSeries} probes (needs {@code checkpointEvery})
 * @param wholeWordMasking select whole words: all pieces of a word ({@code ##} continuations) are
 *     masked together
 * @param packing pack texts into full sequences ({@code true}) or one text per sequence, padded
 *     and truncated (line by line)
 * @param gradientAccumulation micro-batches of {@code batchSize} per optimiser step
 * @param headWarmupSteps for this many first steps only the masked-LM head trains (the encoder
 *     is frozen and runs without recording gradients), then everything trains: continued
 *     pretraining of a checkpoint that came without an MLM head warms its new head up first; 0 for none
 * @param javaDropout draw dropout masks in Java, seeded per micro-batch (the default), instead of with
 *     PyTorch's seeded generator, whose CPU sampler runs serially on one core (one uniform draw per
 *     element; see {@code MaskedLanguageModel.hiddenStates(..., SplittableRandom)}); the masks have the
 *     same distribution, so only the random numbers differ
 * @param patience stop when the held-out loss has not improved for this many evaluations in a
 *     row; 0 never stops early
 */
public record PretrainConfig(
        int steps,
        int batchSize,
        int sequenceLength,
        float learningRate,
        double warmupFraction,
        float weightDecay,
        float beta1,
        float beta2,
        float epsilon,
        float maxGradNorm,
        double maskProbability,
        double maskTokenFraction,
        double randomTokenFraction,
        long seed,
        int evalEvery,
        int evalBatches,
        double heldOutFraction,
        Path outputDir,
        int checkpointEvery,
        boolean keepCheckpoints,
        boolean wholeWordMasking,
        boolean packing,
        int gradientAccumulation,
        int patience,
        int headWarmupSteps,
        boolean javaDropout) {

    /** Validates like {@link Builder#build()}. */
    public PretrainConfig {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0: no training checkpoints), got "
                    + checkpointEvery);
        }
        if (checkpointEvery > 0 && outputDir == null) {
            throw new IllegalArgumentException("checkpointEvery " + checkpointEvery
                    + " needs an outputDir to write the checkpoints to; set optOutputDir(dir)");
        }
        if (keepCheckpoints && checkpointEvery == 0) {
            throw new IllegalArgumentException("keepCheckpoints needs checkpoints to keep: set optCheckpointEvery(k)"
                    + " (k > 0) and optOutputDir(dir), got checkpointEvery 0");
        }
        positive("gradientAccumulation", gradientAccumulation);
        if (headWarmupSteps < 0 || headWarmupSteps >= steps) {
            throw new IllegalArgumentException("headWarmupSteps must be in [0, steps=" + steps + "), got "
                    + headWarmupSteps + " (0: the whole model trains from the first step)");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0 (0: never stop early), got " + patience);
        }
        positive("steps", steps);
        positive("batchSize", batchSize);
        if (sequenceLength < 3) {
            throw new IllegalArgumentException("sequenceLength must be >= 3 ([CLS] token [SEP]), got " + sequenceLength);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        if (!(warmupFraction >= 0 && warmupFraction <= 1)) {
            throw new IllegalArgumentException("warmupFraction must be in [0, 1], got " + warmupFraction);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        unit("beta1", beta1);
        unit("beta2", beta2);
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 disables clipping), got " + maxGradNorm);
        }
        if (!(maskProbability > 0 && maskProbability < 1)) {
            throw new IllegalArgumentException("maskProbability must be in (0, 1), got " + maskProbability + " (BERT uses 0.15)");
        }
        if (!(maskTokenFraction >= 0 && randomTokenFraction >= 0 && maskTokenFraction + randomTokenFraction <= 1)) {
            throw new IllegalArgumentException("maskTokenFraction " + maskTokenFraction + " and randomTokenFraction "
                    + randomTokenFraction + " must be >= 0 and sum to at most 1 (BERT uses 0.8 and 0.1)");
        }
        positive("evalEvery", evalEvery);
        positive("evalBatches", evalBatches);
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in (0, 1), got " + heldOutFraction);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    private static void unit(String field, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }

    /** A builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.steps = steps;
        b.batchSize = batchSize;
        b.sequenceLength = sequenceLength;
        b.learningRate = learningRate;
        b.warmupFraction = warmupFraction;
        b.weightDecay = weightDecay;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.epsilon = epsilon;
        b.maxGradNorm = maxGradNorm;
        b.maskProbability = maskProbability;
        b.maskTokenFraction = maskTokenFraction;
        b.randomTokenFraction = randomTokenFraction;
        b.seed = seed;
        b.evalEvery = evalEvery;
        b.evalBatches = evalBatches;
        b.heldOutFraction = heldOutFraction;
        b.outputDir = outputDir;
        b.checkpointEvery = checkpointEvery;
        b.keepCheckpoints = keepCheckpoints;
        b.wholeWordMasking = wholeWordMasking;
        b.packing = packing;
        b.gradientAccumulation = gradientAccumulation;
        b.patience = patience;
        b.javaDropout = javaDropout;
        b.headWarmupSteps = headWarmupSteps;
        return b;
    }

    /** Warm-up steps: {@code warmupFraction} of {@code steps}, rounded down. */
    public int warmupSteps() {
        return (int) Math.floor(warmupFraction * steps);
    }

    /** Learning rate of step {@code step} (1-based): {@link TrainingLoop#linearWarmupDecay}. */
    public float learningRateAt(int step) {
        return (float) TrainingLoop.linearWarmupDecay(learningRate, warmupSteps(), steps).applyAsDouble(step);
    }

    /** The optimiser settings of this configuration. */
    public OptimizerSettings optimizer() {
        return new OptimizerSettings(beta1, beta2, epsilon, weightDecay, maxGradNorm);
    }

    /** The settings as a flat map for run records. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("batchSize", batchSize);
        m.put("sequenceLength", sequenceLength);
        m.put("learningRate", learningRate);
        m.put("warmupFraction", warmupFraction);
        m.put("weightDecay", weightDecay);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("epsilon", epsilon);
        m.put("maxGradNorm", maxGradNorm);
        m.put("maskProbability", maskProbability);
        m.put("maskTokenFraction", maskTokenFraction);
        m.put("randomTokenFraction", randomTokenFraction);
        m.put("seed", seed);
        m.put("evalEvery", evalEvery);
        m.put("evalBatches", evalBatches);
        m.put("heldOutFraction", heldOutFraction);
        m.put("outputDir", outputDir == null ? null : outputDir.toString());
        m.put("checkpointEvery", checkpointEvery);
        m.put("keepCheckpoints", keepCheckpoints);
        m.put("wholeWordMasking", wholeWordMasking);
        m.put("packing", packing);
        m.put("gradientAccumulation", gradientAccumulation);
        m.put("patience", patience);
        m.put("headWarmupSteps", headWarmupSteps);
        m.put("javaDropout", javaDropout);
        return m;
    }

    /** Rebuilds a configuration from {@link #toMap()} output (as read back from JSON). */
    public static PretrainConfig fromMap(Map<String, ?> m) {
        Builder b = new Builder();
        b.steps = num(m, "steps").intValue();
        b.batchSize = num(m, "batchSize").intValue();
        b.sequenceLength = num(m, "sequenceLength").intValue();
        b.learningRate = num(m, "learningRate").floatValue();
        // records written before warm-up became a fraction hold warmupSteps
        b.warmupFraction = m.containsKey("warmupFraction") ? num(m, "warmupFraction").doubleValue()
                : num(m, "warmupSteps").doubleValue() / b.steps;
        b.weightDecay = num(m, "weightDecay").floatValue();
        b.beta1 = num(m, "beta1").floatValue();
        b.beta2 = num(m, "beta2").floatValue();
        b.epsilon = num(m, "epsilon").floatValue();
        b.maxGradNorm = num(m, "maxGradNorm").floatValue();
        b.maskProbability = num(m, "maskProbability").doubleValue();
        b.maskTokenFraction = num(m, "maskTokenFraction").doubleValue();
        b.randomTokenFraction = num(m, "randomTokenFraction").doubleValue();
        b.seed = num(m, "seed").longValue();
        b.evalEvery = num(m, "evalEvery").intValue();
        b.evalBatches = num(m, "evalBatches").intValue();
        b.heldOutFraction = num(m, "heldOutFraction").doubleValue();
        Object out = m.get("outputDir");
        b.outputDir = out == null ? null : Path.of(out.toString());
        b.checkpointEvery = num(m, "checkpointEvery").intValue();
        b.keepCheckpoints = Boolean.parseBoolean(String.valueOf(m.get("keepCheckpoints")));
        b.wholeWordMasking = Boolean.parseBoolean(String.valueOf(m.get("wholeWordMasking")));
        b.packing = Boolean.parseBoolean(String.valueOf(m.get("packing")));
        b.gradientAccumulation = num(m, "gradientAccumulation").intValue();
        b.patience = num(m, m.containsKey("patience") ? "patience" : "earlyStoppingPatience").intValue();
        // records written before the key existed were trained with PyTorch's generator
        b.javaDropout = Boolean.parseBoolean(String.valueOf(m.get("javaDropout")));
        b.headWarmupSteps = m.containsKey("headWarmupSteps") ? num(m, "headWarmupSteps").intValue() : 0;
        return b.build();
    }

    private static Number num(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof String s) {
            return Double.parseDouble(s);
        }
        throw new IllegalArgumentException("pretraining settings lack the number '" + key + "' (found " + v + ")");
    }

    /** Sequences per optimiser step: {@code batchSize * gradientAccumulation}. */
    public int effectiveBatchSize() {
        return batchSize * gradientAccumulation;
    }

    /**
     * Builds a {@link PretrainConfig}. Defaults: 300 steps, batch 32, length 64, learning rate
     * 5e-4, warm-up 10 % of the steps, weight decay 0.01, betas 0.9/0.999, epsilon
     * 1e-6, clip 1.0, masking 0.15 with 80/10/10, seed 42, evaluation every 50 steps on 4
     * batches, 5 % held out, no output directory, no training checkpoints (only the newest kept when on),
     * token-level masking, packing on, no gradient accumulation, no early stopping.
     */
    public static final class Builder {
        private int steps = 300;
        private int batchSize = 32;
        private int sequenceLength = 64;
        private float learningRate = 5e-4f;
        private double warmupFraction = 0.1;
        private float weightDecay = OptimizerSettings.PRETRAINING.weightDecay();
        private float beta1 = OptimizerSettings.PRETRAINING.beta1();
        private float beta2 = OptimizerSettings.PRETRAINING.beta2();
        private float epsilon = OptimizerSettings.PRETRAINING.epsilon();
        private float maxGradNorm = (float) OptimizerSettings.PRETRAINING.maxGradNorm();
        private double maskProbability = 0.15;
        private double maskTokenFraction = 0.8;
        private double randomTokenFraction = 0.1;
        private long seed = 42;
        private int evalEvery = 50;
        private int evalBatches = 4;
        private double heldOutFraction = 0.05;
        private Path outputDir;
        private int checkpointEvery = 0;
        private boolean keepCheckpoints = false;
        private boolean wholeWordMasking = false;
        private boolean packing = true;
        private int gradientAccumulation = 1;
        private int patience = 0;
        private boolean javaDropout = true;
        private int headWarmupSteps = 0;

        private Builder() {}

        public Builder optSteps(int v) { steps = v; return this; }
        public Builder optBatchSize(int v) { batchSize = v; return this; }
        public Builder optSequenceLength(int v) { sequenceLength = v; return this; }
        public Builder optLearningRate(float v) { learningRate = v; return this; }
        /** Share of the steps spent in linear warm-up (default 0.1). */
        public Builder optWarmupFraction(double v) { warmupFraction = v; return this; }
        public Builder optWeightDecay(float v) { weightDecay = v; return this; }
        public Builder optBetas(float b1, float b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder optEpsilon(float v) { epsilon = v; return this; }
        public Builder optMaxGradNorm(float v) { maxGradNorm = v; return this; }
        public Builder optMaskProbability(double v) { maskProbability = v; return this; }
        public Builder optMaskFractions(double maskToken, double randomToken) {
            maskTokenFraction = maskToken;
            randomTokenFraction = randomToken;
            return this;
        }
        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optEvalEvery(int v) { evalEvery = v; return this; }
        public Builder optEvalBatches(int v) { evalBatches = v; return this; }
        public Builder optHeldOutFraction(double v) { heldOutFraction = v; return this; }
        public Builder optOutputDir(Path v) { outputDir = v; return this; }
        /** Resumable training checkpoints every {@code v} steps into {@code outputDir/checkpoints} (0: none). */
        public Builder optCheckpointEvery(int v) { checkpointEvery = v; return this; }
        /** Keep every training checkpoint, from step 0 (the initialisation) on, instead of only the newest. */
        public Builder optKeepCheckpoints(boolean v) { keepCheckpoints = v; return this; }
        /** Mask whole words (all {@code ##} pieces of a word together). */
        public Builder optWholeWordMasking(boolean v) { wholeWordMasking = v; return this; }
        /** Pack texts into full sequences (default) or, with false, one text per padded sequence. */
        public Builder optPacking(boolean v) { packing = v; return this; }
        /** Micro-batches per optimiser step. */
        public Builder optGradientAccumulation(int v) { gradientAccumulation = v; return this; }
        /** Stop after {@code v} evaluations without a lower held-out loss (0: never). */
        public Builder optPatience(int v) { patience = v; return this; }
        /** Draw dropout masks in Java (slightly cheaper than the default masks from PyTorch's uniform draws) instead of with PyTorch (default). */
        public Builder optJavaDropout(boolean v) { javaDropout = v; return this; }
        /** Train only the masked-LM head for the first {@code v} steps, then everything (0: none). */
        public Builder optHeadWarmupSteps(int v) { headWarmupSteps = v; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the offending field and value
         */
        public PretrainConfig build() {
            return new PretrainConfig(steps, batchSize, sequenceLength, learningRate, warmupFraction, weightDecay, beta1,
                    beta2, epsilon, maxGradNorm, maskProbability, maskTokenFraction, randomTokenFraction, seed,
                    evalEvery, evalBatches, heldOutFraction, outputDir, checkpointEvery, keepCheckpoints,
                    wholeWordMasking, packing, gradientAccumulation, patience, headWarmupSteps, javaDropout);
        }
    }
}
