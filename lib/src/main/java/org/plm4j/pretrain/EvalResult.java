package org.plm4j.pretrain;

/**
 * Held-out masked-LM evaluation.
 *
 * @param step training steps done when evaluated (0 = before training)
 * @param loss mean cross-entropy (natural log) over all masked tokens
 * @param perplexity {@code exp(loss)}
 * @param maskedTokens number of predicted tokens
 * @param sequences number of evaluated sequences
 */
public record EvalResult(int step, double loss, double perplexity, long maskedTokens, int sequences) {

    @Override
    public String toString() {
        return String.format("EvalResult[step %d: loss %.4f, perplexity %.2f over %d masked tokens in %d sequences]",
                step, loss, perplexity, maskedTokens, sequences);
    }
}
