package org.plm4j.finetune;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.plm4j.train.OptimizerSettings;

/**
 * Settings of one fine-tuning run. Build with {@link #builder()}; every default is in
 * {@link Builder}. The learning rate warms up linearly over {@code warmupFraction} of all steps and
 * decays linearly to 0; AdamW with decoupled weight decay and gradient clipping; after every epoch
 * the validation split is evaluated and the weights with the best validation macro-F1 are kept
 * (training stops after {@code patience} epochs without improvement, 0 = never).
 *
 * @param pooling how the head sees the sequence
 * @param classifierDropout dropout before the classifier layer (the encoder keeps its own dropout)
 * @param learningRate peak learning rate (stage 2 when {@code twoStage} is set)
 * @param epochs maximum passes over the training data
 * @param batchSize training examples per step
 * @param evalBatchSize examples per forward pass when predicting
 * @param maxLength longest input in tokens including [CLS] and [SEP]; longer texts are truncated
 * @param warmupFraction share of the steps spent warming up
 * @param weightDecay AdamW decoupled weight decay (not on biases and LayerNorm)
 * @param maxGradNorm gradient-norm clipping, 0 for none
 * @param patience epochs without a better validation macro-F1 before stopping, 0 to run all epochs
 * @param trainableLayers -1: everything trains (embeddings too); 0: only the head; k: the top k
 *     encoder layers and the head (the rest is frozen and runs without recording gradients)
 * @param classWeighting class weights of the loss
 * @param beta effective-number beta for {@link ClassWeighting#EFFECTIVE_NUMBER}
 * @param loss the loss
 * @param ldamMaxMargin largest LDAM margin (the rarest class's)
 * @param ldamScale factor on the logits in LDAM (the authors' fine-tuning code uses 1 on raw logits;
 *     Cao et al. use 30 on normalised features)
 * @param twoStage stage 1 of two-stage fine-tuning, or null for standard fine-tuning
 * @param head the classification head ({@link Head#LINEAR} by default)
 * @param prototypeScale factor on the negative squared distances of a prototypical head
 * @param privacy the differential-privacy budget (DP-SGD), or null for non-private fine-tuning.
 *     With a budget the run follows DP-RAFT (Panda et al. 2022): it trains the linear head's
 *     classifier layer, initialised at zero, and the top {@code trainableLayers} encoder layers
 *     (0: the classifier layer alone, a linear probe; -1 is refused), without dropout, on
 *     Poisson-sampled batches of expected size {@code batchSize}, for a fixed
 *     {@code epochs * ceil(n / batchSize)} steps (no early stopping), each clipping every
 *     example's gradient to norm C and adding Gaussian noise of standard deviation sigma * C
 * @param seed seeds the head's initialisation, data order and dropout
 * @param outputDir where the classifier, run.json and history.csv go, or null to keep them in memory
 */
public record FineTuneConfig(
        Pooling pooling,
        float classifierDropout,
        double learningRate,
        int epochs,
        int batchSize,
        int evalBatchSize,
        int maxLength,
        double warmupFraction,
        float weightDecay,
        double maxGradNorm,
        int patience,
        int trainableLayers,
        ClassWeighting classWeighting,
        double beta,
        LossFunction loss,
        double ldamMaxMargin,
        double ldamScale,
        TwoStage twoStage,
        Head head,
        double prototypeScale,
        Privacy privacy,
        long seed,
        Path outputDir) {

    public FineTuneConfig {
        require(pooling != null && classWeighting != null && loss != null, "pooling, classWeighting and loss are required");
        require(classifierDropout >= 0 && classifierDropout < 1, "classifierDropout must lie in [0, 1), got " + classifierDropout);
        require(learningRate > 0, "learningRate must be > 0, got " + learningRate);
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(batchSize >= 1 && evalBatchSize >= 1, "batch sizes must be >= 1, got " + batchSize + ", " + evalBatchSize);
        require(maxLength >= 2, "maxLength must be >= 2 ([CLS] and [SEP]), got " + maxLength);
        require(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction must lie in [0, 1), got " + warmupFraction);
        require(weightDecay >= 0 && maxGradNorm >= 0, "weightDecay and maxGradNorm must be >= 0");
        require(patience >= 0, "patience must be >= 0 (0 = no early stopping), got " + patience);
        require(trainableLayers >= -1, "trainableLayers must be -1 (all), 0 (head only) or k > 0, got " + trainableLayers);
        require(beta >= 0 && beta < 1, "beta must lie in [0, 1), got " + beta);
        require(ldamMaxMargin > 0 && ldamScale > 0, "LDAM margin and scale must be > 0");
        require(head != null, "head is required (Head.LINEAR, PROTOTYPICAL or MIXED)");
        require(prototypeScale > 0 && Double.isFinite(prototypeScale),
                "prototypeScale must be a finite number > 0, got " + prototypeScale);
        if (privacy != null) {
            require(trainableLayers >= 0, "differentially private fine-tuning trains the head and the top k"
                    + " encoder layers (per-example gradients of the embeddings are not implemented); got"
                    + " trainableLayers " + trainableLayers + ". Use optFreezeEncoder() or optTrainableLayers(k)"
                    + " (--freeze head or top:K)");
            require(head == Head.LINEAR, "differentially private fine-tuning needs the linear head, got " + head
                    + "; use optHead(Head.LINEAR) (--head linear)");
            require(twoStage == null, "differentially private fine-tuning has a single stage; drop optTwoStage"
                    + " (--two-stage)");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default configuration. */
    public static FineTuneConfig defaults() {
        return builder().build();
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.pooling = pooling;
        b.classifierDropout = classifierDropout;
        b.learningRate = learningRate;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.evalBatchSize = evalBatchSize;
        b.maxLength = maxLength;
        b.warmupFraction = warmupFraction;
        b.weightDecay = weightDecay;
        b.maxGradNorm = maxGradNorm;
        b.patience = patience;
        b.trainableLayers = trainableLayers;
        b.classWeighting = classWeighting;
        b.beta = beta;
        b.loss = loss;
        b.ldamMaxMargin = ldamMaxMargin;
        b.ldamScale = ldamScale;
        b.twoStage = twoStage;
        b.head = head;
        b.prototypeScale = prototypeScale;
        b.privacy = privacy;
        b.seed = seed;
        b.outputDir = outputDir;
        return b;
    }

    /**
     * The optimiser settings: {@link OptimizerSettings#FINE_TUNING} with this weight decay and clipping
     * (none under a privacy budget: per-example clipping replaces it).
     */
    public OptimizerSettings optimizer() {
        OptimizerSettings d = OptimizerSettings.FINE_TUNING;
        return new OptimizerSettings(d.beta1(), d.beta2(), d.epsilon(), weightDecay, privacy == null ? maxGradNorm : 0);
    }

    /** The settings as a flat map for run records. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pooling", pooling.name());
        m.put("classifierDropout", classifierDropout);
        m.put("learningRate", learningRate);
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("maxLength", maxLength);
        m.put("warmupFraction", warmupFraction);
        m.put("weightDecay", weightDecay);
        m.put("maxGradNorm", maxGradNorm);
        m.put("patience", patience);
        m.put("trainableLayers", trainableLayers);
        m.put("classWeighting", classWeighting.name());
        m.put("beta", beta);
        m.put("loss", loss.name());
        m.put("ldamMaxMargin", ldamMaxMargin);
        m.put("ldamScale", ldamScale);
        m.put("twoStage", twoStage == null ? null : twoStage.toMap());
        m.put("head", head.name());
        if (head != Head.LINEAR) {
            m.put("prototypeScale", prototypeScale);
        }
        m.put("privacy", privacy == null ? null : privacy.toMap());
        m.put("seed", seed);
        return m;
    }

    /** Collects settings; every default of fine-tuning lives here. */
    public static final class Builder {
        private Pooling pooling = Pooling.CLS;
        private float classifierDropout = 0.1f;
        private double learningRate = 5e-4;
        private int epochs = 5;
        private int batchSize = 32;
        private int evalBatchSize = 64;
        private int maxLength = 128;
        private double warmupFraction = 0.1;
        private float weightDecay = OptimizerSettings.FINE_TUNING.weightDecay();
        private double maxGradNorm = OptimizerSettings.FINE_TUNING.maxGradNorm();
        private int patience = 2;
        private int trainableLayers = -1;
        private ClassWeighting classWeighting = ClassWeighting.NONE;
        private double beta = 0.9999;
        private LossFunction loss = LossFunction.CROSS_ENTROPY;
        private double ldamMaxMargin = 0.5;
        private double ldamScale = 1.0;
        private TwoStage twoStage;
        private Head head = Head.LINEAR;
        private double prototypeScale = 1.0;
        private Privacy privacy;
        private long seed = 42;
        private Path outputDir;

        private Builder() {
        }

        public Builder optPooling(Pooling p) { this.pooling = p; return this; }
        public Builder optClassifierDropout(float d) { this.classifierDropout = d; return this; }
        public Builder optLearningRate(double lr) { this.learningRate = lr; return this; }
        public Builder optEpochs(int e) { this.epochs = e; return this; }
        public Builder optBatchSize(int b) { this.batchSize = b; return this; }
        public Builder optEvalBatchSize(int b) { this.evalBatchSize = b; return this; }
        public Builder optMaxLength(int n) { this.maxLength = n; return this; }
        public Builder optWarmupFraction(double f) { this.warmupFraction = f; return this; }
        public Builder optWeightDecay(float wd) { this.weightDecay = wd; return this; }
        public Builder optMaxGradNorm(double n) { this.maxGradNorm = n; return this; }
        public Builder optPatience(int p) { this.patience = p; return this; }
        /** -1: train everything; 0: head only; k: top k encoder layers and the head. */
        public Builder optTrainableLayers(int k) { this.trainableLayers = k; return this; }
        /** Trains only the head (a frozen encoder). */
        public Builder optFreezeEncoder() { this.trainableLayers = 0; return this; }
        public Builder optClassWeighting(ClassWeighting w) { this.classWeighting = w; return this; }
        public Builder optBeta(double b) { this.beta = b; return this; }
        public Builder optLoss(LossFunction l) { this.loss = l; return this; }
        public Builder optLdamMaxMargin(double m) { this.ldamMaxMargin = m; return this; }
        public Builder optLdamScale(double s) { this.ldamScale = s; return this; }
        /** Two-stage fine-tuning with the given stage 1, or null for standard fine-tuning. */
        public Builder optTwoStage(TwoStage stage1) { this.twoStage = stage1; return this; }
        /** Two-stage fine-tuning with {@link TwoStage#DEFAULT} (true) or standard fine-tuning (false). */
        public Builder optTwoStage(boolean on) { this.twoStage = on ? TwoStage.DEFAULT : null; return this; }
        /** The classification head (default {@link Head#LINEAR}). */
        public Builder optHead(Head h) { this.head = h; return this; }
        /** Factor on the negative squared distances of a prototypical head (default 1). */
        public Builder optPrototypeScale(double s) { this.prototypeScale = s; return this; }
        /** Differentially private fine-tuning with this budget, or null (the default) for non-private. */
        public Builder optPrivacy(Privacy p) { this.privacy = p; return this; }
        public Builder optSeed(long s) { this.seed = s; return this; }
        public Builder optOutputDir(Path dir) { this.outputDir = dir; return this; }

        public FineTuneConfig build() {
            return new FineTuneConfig(pooling, classifierDropout, learningRate, epochs, batchSize, evalBatchSize,
                    maxLength, warmupFraction, weightDecay, maxGradNorm, patience, trainableLayers, classWeighting,
                    beta, loss, ldamMaxMargin, ldamScale, twoStage, head, prototypeScale, privacy, seed, outputDir);
        }
    }
}
