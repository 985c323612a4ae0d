package org.plm4j.tokenizer;

/**
 * How {@link WordPieceTrainer} ranks the adjacent pairs of pieces it may merge next.
 */
public enum PairScore {
    /**
     * The WordPiece score {@code count(ab) / (count(a) * count(b))}: prefers pairs whose parts
     * rarely occur apart. On its own it merges rare words first (a pair seen twice whose parts are
     * seen only there scores highest), so raise {@code minFrequency} with it.
     */
    WORDPIECE,
    /**
     * The WordPiece score weighted by frequency, {@code count(ab)^2 / (count(a) * count(b))}
     * (= {@code count(ab)} times the WordPiece score): frequent pairs whose parts mostly occur
     * together come first. Gives far fewer pieces per word on real corpora than {@link #WORDPIECE}
     * at the same vocabulary size.
     */
    WEIGHTED_WORDPIECE,
    /** Raw pair frequency {@code count(ab)}, as in BPE and in Hugging Face's WordPiece trainer. */
    FREQUENCY
}
