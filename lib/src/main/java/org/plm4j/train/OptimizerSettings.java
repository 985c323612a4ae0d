package org.plm4j.train;

/**
 * AdamW's hyper-parameters (the learning rate is scheduled per step). The two presets are the one
 * place the optimiser's defaults are written; configs take them and override single fields.
 *
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon added to the denominator
 * @param weightDecay decoupled weight decay (not applied to biases and LayerNorm parameters)
 * @param maxGradNorm global gradient-norm clipping threshold, 0 for none
 */
public record OptimizerSettings(float beta1, float beta2, float epsilon, float weightDecay, double maxGradNorm) {

    /** BERT pretraining's AdamW (Devlin et al. 2019): epsilon 1e-6, weight decay 0.01, clipping at 1. */
    public static final OptimizerSettings PRETRAINING = new OptimizerSettings(0.9f, 0.999f, 1e-6f, 0.01f, 1.0);
    /** Fine-tuning's AdamW (as in Hugging Face's Trainer): epsilon 1e-8, weight decay 0.01, clipping at 1. */
    public static final OptimizerSettings FINE_TUNING = new OptimizerSettings(0.9f, 0.999f, 1e-8f, 0.01f, 1.0);

    /** Validates every field, naming the one that is out of range. */
    public OptimizerSettings {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0 (0: no clipping), got " + maxGradNorm);
        }
    }
}
