package org.plm4j.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage 1 of two-stage fine-tuning for class-imbalanced data (ValizadehAslani et al. 2022): before
 * the whole model is fine-tuned (stage 2, the {@link FineTuneConfig} itself, plain cross-entropy in
 * the paper), only the head (pooler and classifier) and the top {@code trainableLayers} encoder
 * layers are trained with a class-balanced loss, so the head starts stage 2 already tilted towards
 * the rare classes instead of the frequent ones.
 *
 * @param epochs passes over the training data in stage 1
 * @param learningRate peak learning rate of stage 1 (the authors use 10x stage 2's)
 * @param trainableLayers encoder layers trained in stage 1 besides the head (the authors' code: 1)
 * @param weighting class weights of the stage-1 loss
 * @param beta effective-number beta (Cui et al. 2019)
 * @param loss stage-1 loss: LDAM (the authors') or weighted cross-entropy
 */
public record TwoStage(int epochs, double learningRate, int trainableLayers, ClassWeighting weighting, double beta,
                       LossFunction loss) {

    /** The defaults: 2 epochs at 1e-3, head + top layer, effective-number weights (beta 0.9999), LDAM. */
    public static final TwoStage DEFAULT = new TwoStage(2, 1e-3, 1, ClassWeighting.EFFECTIVE_NUMBER, 0.9999,
            LossFunction.LDAM);

    public TwoStage {
        if (epochs < 1) {
            throw new IllegalArgumentException("two-stage: stage-1 epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("two-stage: stage-1 learning rate must be > 0, got " + learningRate);
        }
        if (trainableLayers < 0) {
            throw new IllegalArgumentException("two-stage: stage-1 trainable layers must be >= 0, got " + trainableLayers);
        }
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("two-stage: beta must lie in [0, 1), got " + beta);
        }
        if (weighting == null || loss == null) {
            throw new IllegalArgumentException("two-stage: weighting and loss are required");
        }
    }

    /** A builder holding the defaults of {@link #DEFAULT}. */
    public static Builder builder() {
        return DEFAULT.toBuilder();
    }

    /** A builder holding this stage's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.learningRate = learningRate;
        b.trainableLayers = trainableLayers;
        b.weighting = weighting;
        b.beta = beta;
        b.loss = loss;
        return b;
    }

    /** Builds a {@link TwoStage}; every field is optional and starts at {@link #DEFAULT}'s value. */
    public static final class Builder {
        private int epochs;
        private double learningRate;
        private int trainableLayers;
        private ClassWeighting weighting;
        private double beta;
        private LossFunction loss;

        private Builder() {}

        public Builder optEpochs(int e) { epochs = e; return this; }
        public Builder optLearningRate(double lr) { learningRate = lr; return this; }
        public Builder optTrainableLayers(int k) { trainableLayers = k; return this; }
        public Builder optWeighting(ClassWeighting w) { weighting = w; return this; }
        public Builder optBeta(double b) { beta = b; return this; }
        public Builder optLoss(LossFunction l) { loss = l; return this; }

        /** Validates and builds; a bad value is named with what was found. */
        public TwoStage build() {
            return new TwoStage(epochs, learningRate, trainableLayers, weighting, beta, loss);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("learningRate", learningRate);
        m.put("trainableLayers", trainableLayers);
        m.put("weighting", weighting.name());
        m.put("beta", beta);
        m.put("loss", loss.name());
        return m;
    }
}
