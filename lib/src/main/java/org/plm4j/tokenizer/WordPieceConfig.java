package org.plm4j.tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * Settings of a WordPiece vocabulary: training target and the normalisation that both training
 * and encoding apply. Build one with {@link #builder()}; {@link Builder#build()} validates and
 * names the offending field and value. All defaults are the {@code DEFAULT_*} constants below and
 * nowhere else.
 *
 * @param vocabSize target vocabulary size, special tokens and alphabet included
 * @param minFrequency a pair of pieces must occur at least this often (weighted by word counts)
 *     to be merged; training stops early, with a smaller vocabulary, when no pair qualifies
 * @param lowercase lower-case text before splitting (BertNormalizer {@code lowercase})
 * @param stripAccents remove accents (NFD, then drop non-spacing marks; BertNormalizer
 *     {@code strip_accents})
 * @param specialTokens special tokens, ids {@code 0..n-1} in this order; the first five must be
 *     the roles [PAD], [UNK], [CLS], [SEP], [MASK]
 * @param continuingSubwordPrefix prefix of pieces that continue a word ({@code ##})
 * @param maxInputCharsPerWord words longer than this (in code points) become [UNK]
 * @param pairScore how the trainer ranks candidate merges (see {@link PairScore})
 */
public record WordPieceConfig(int vocabSize, int minFrequency, boolean lowercase, boolean stripAccents,
        List<String> specialTokens, String continuingSubwordPrefix, int maxInputCharsPerWord, PairScore pairScore) {

    public static final int DEFAULT_VOCAB_SIZE = 8000;
    public static final int DEFAULT_MIN_FREQUENCY = 2;
    public static final boolean DEFAULT_LOWERCASE = true;
    public static final boolean DEFAULT_STRIP_ACCENTS = true;
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    public static final String DEFAULT_CONTINUING_SUBWORD_PREFIX = "##";
    public static final int DEFAULT_MAX_INPUT_CHARS_PER_WORD = 100;
    public static final PairScore DEFAULT_PAIR_SCORE = PairScore.WEIGHTED_WORDPIECE;

    /** Validates (see {@link Builder#build()}); copies the list. */
    public WordPieceConfig {
        Objects.requireNonNull(specialTokens, "specialTokens");
        Objects.requireNonNull(continuingSubwordPrefix, "continuingSubwordPrefix");
        Objects.requireNonNull(pairScore, "pairScore");
        specialTokens = List.copyOf(specialTokens);
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabSize must be >= 1, got " + vocabSize);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
        }
        if (specialTokens.size() < 5) {
            throw new IllegalArgumentException("specialTokens must start with [PAD], [UNK], [CLS], [SEP], [MASK]"
                    + " (5 roles), got " + specialTokens);
        }
        if (specialTokens.stream().distinct().count() != specialTokens.size()) {
            throw new IllegalArgumentException("specialTokens must be distinct, got " + specialTokens);
        }
        for (String s : specialTokens) {
            if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("specialTokens must be non-blank without whitespace, got '" + s + "'");
            }
        }
        if (continuingSubwordPrefix.isEmpty() || continuingSubwordPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("continuingSubwordPrefix must be non-empty without whitespace, got '"
                    + continuingSubwordPrefix + "'");
        }
        if (maxInputCharsPerWord < 1) {
            throw new IllegalArgumentException("maxInputCharsPerWord must be >= 1, got " + maxInputCharsPerWord);
        }
    }

    /** The defaults (8000 pieces, min frequency 2, lower-case, strip accents, BERT specials, "##", 100, weighted WordPiece score). */
    public static WordPieceConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder().optVocabSize(vocabSize).optMinFrequency(minFrequency).optLowercase(lowercase)
                .optStripAccents(stripAccents).optSpecialTokens(specialTokens)
                .optContinuingSubwordPrefix(continuingSubwordPrefix).optMaxInputCharsPerWord(maxInputCharsPerWord).optPairScore(pairScore);
    }

    public String padToken() {
        return specialTokens.get(0);
    }

    public String unkToken() {
        return specialTokens.get(1);
    }

    public String clsToken() {
        return specialTokens.get(2);
    }

    public String sepToken() {
        return specialTokens.get(3);
    }

    public String maskToken() {
        return specialTokens.get(4);
    }

    /** Builder of {@link WordPieceConfig}; every field is optional and starts at its default. */
    public static final class Builder {
        private int vocabSize = DEFAULT_VOCAB_SIZE;
        private int minFrequency = DEFAULT_MIN_FREQUENCY;
        private boolean lowercase = DEFAULT_LOWERCASE;
        private boolean stripAccents = DEFAULT_STRIP_ACCENTS;
        private List<String> specialTokens = DEFAULT_SPECIAL_TOKENS;
        private String continuingSubwordPrefix = DEFAULT_CONTINUING_SUBWORD_PREFIX;
        private int maxInputCharsPerWord = DEFAULT_MAX_INPUT_CHARS_PER_WORD;
        private PairScore pairScore = DEFAULT_PAIR_SCORE;

        private Builder() {
        }

        public Builder optVocabSize(int v) {
            vocabSize = v;
            return this;
        }

        public Builder optMinFrequency(int v) {
            minFrequency = v;
            return this;
        }

        public Builder optLowercase(boolean v) {
            lowercase = v;
            return this;
        }

        public Builder optStripAccents(boolean v) {
            stripAccents = v;
            return this;
        }

        /** Replaces the special tokens; the first five take the roles PAD, UNK, CLS, SEP, MASK. */
        public Builder optSpecialTokens(List<String> v) {
            specialTokens = v;
            return this;
        }

        /** Appends one extra special token after the existing ones. */
        public Builder addSpecialToken(String v) {
            specialTokens = new java.util.ArrayList<>(specialTokens);
            specialTokens.add(v);
            return this;
        }

        public Builder optContinuingSubwordPrefix(String v) {
            continuingSubwordPrefix = v;
            return this;
        }

        public Builder optMaxInputCharsPerWord(int v) {
            maxInputCharsPerWord = v;
            return this;
        }

        public Builder optPairScore(PairScore v) {
            pairScore = v;
            return this;
        }

        /**
         * The validated config.
         *
         * @throws IllegalArgumentException naming the field and value that are out of range
         */
        public WordPieceConfig build() {
            return new WordPieceConfig(vocabSize, minFrequency, lowercase, stripAccents, specialTokens,
                    continuingSubwordPrefix, maxInputCharsPerWord, pairScore);
        }
    }
}
