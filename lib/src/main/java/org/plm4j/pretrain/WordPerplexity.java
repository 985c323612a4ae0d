package org.plm4j.pretrain;

import java.util.Locale;

/**
 * Held-out masked-LM loss per masked word (see {@link Perplexity#perWord}): comparable between
 * models whose tokenizers split the same text into different pieces.
 *
 * @param maskedWords number of masked words
 * @param maskedTokens number of masked pieces (all pieces of each masked word)
 * @param tokenLoss mean cross-entropy (natural log) per masked piece
 * @param wordLoss summed cross-entropy of the masked pieces divided by {@code maskedWords}
 */
public record WordPerplexity(long maskedWords, long maskedTokens, double tokenLoss, double wordLoss) {

    /** {@code exp(wordLoss)}: the perplexity per word. */
    public double perplexity() {
        return Math.exp(wordLoss);
    }

    /** {@code exp(tokenLoss)}: the usual per-piece perplexity, not comparable across vocabularies. */
    public double tokenPerplexity() {
        return Math.exp(tokenLoss);
    }

    /** Mean number of pieces in a masked word. */
    public double piecesPerMaskedWord() {
        return (double) maskedTokens / maskedWords;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "WordPerplexity[per word %.2f, per piece %.2f, %d masked words, %.2f pieces each]",
                perplexity(), tokenPerplexity(), maskedWords, piecesPerMaskedWord());
    }
}
