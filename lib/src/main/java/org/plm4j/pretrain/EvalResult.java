package org.plm4j.pretrain;

/**
 * Held-out masked-LM evaluation.
 *
 * @param step training steps done when evaluated (0 = before training)
 * @param loss mean cross-entropy (natural log) over all masked tokens
 * @param perplexity {@code exp(loss)}
 * @param maskedTokens number of predicted tokens
 * @param sequences number of evaluated sequences
 * @param accuracy share of the masked tokens whose most likely prediction is the original token
 *     (NaN when not measured, e.g. in checkpoints written before it was)
 */
public record EvalResult(int step, double loss, double perplexity, long maskedTokens, int sequences,
                         double accuracy) {

    @Override
    public String toString() {
        return String.format("EvalResult[step %d: loss %.4f, perplexity %.2f, accuracy %.4f over %d masked tokens in %d"
                + " sequences]", step, loss, perplexity, accuracy, maskedTokens, sequences);
    }
}
