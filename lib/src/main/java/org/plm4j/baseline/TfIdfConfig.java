package org.plm4j.baseline;

/**
 * Settings of {@link TfIdfLogisticRegression}: the TF-IDF vocabulary and weighting, and the
 * logistic regression's training. Build with {@link #builder()} ({@code opt} setters, validated
 * in {@link Builder#build()}) or take {@link #defaults()}; every default is a {@code DEFAULT_*}
 * constant here.
 *
 * <p>Features: texts are lower-cased and split into tokens of two or more letters, digits or
 * underscores (scikit-learn's default pattern); features are the word n-grams for n = 1 to
 * {@code maxNgram}. Terms in fewer than {@code minDocumentFrequency} training texts are dropped,
 * then the {@code maxFeatures} terms with the highest document frequency are kept (ties by term).
 * A text's weights are {@code tf * idf} with {@code tf = 1 + ln(count)} when {@code sublinearTf},
 * else the count, and the smoothed {@code idf = ln((1 + n) / (1 + df)) + 1}; the row is
 * L2-normalised.
 *
 * @param maxNgram longest n-gram, 1 (unigrams) to 3
 * @param minDocumentFrequency smallest number of training texts a term must occur in, at least 1
 * @param maxFeatures largest vocabulary, at least 1
 * @param sublinearTf whether term counts are replaced by {@code 1 + ln(count)}
 * @param epochs passes of the logistic regression over the training set, at least 1
 * @param learningRate AdaGrad's initial learning rate, positive
 * @param seed seed of the training order
 */
public record TfIdfConfig(int maxNgram, int minDocumentFrequency, int maxFeatures, boolean sublinearTf, int epochs,
        double learningRate, long seed) {

    public static final int DEFAULT_MAX_NGRAM = 2;
    public static final int DEFAULT_MIN_DOCUMENT_FREQUENCY = 2;
    public static final int DEFAULT_MAX_FEATURES = 50_000;
    public static final boolean DEFAULT_SUBLINEAR_TF = true;
    public static final int DEFAULT_EPOCHS = 10;
    public static final double DEFAULT_LEARNING_RATE = 1.0;
    public static final long DEFAULT_SEED = 42L;

    /** Validates every field, naming the one that is wrong and the value found. */
    public TfIdfConfig {
        if (maxNgram < 1 || maxNgram > 3) {
            throw new IllegalArgumentException("maxNgram must be 1, 2 or 3, got " + maxNgram);
        }
        if (minDocumentFrequency < 1) {
            throw new IllegalArgumentException("minDocumentFrequency must be >= 1, got " + minDocumentFrequency);
        }
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("maxFeatures must be >= 1, got " + maxFeatures);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, got " + learningRate);
        }
    }

    /** Every setting at its default. */
    public static TfIdfConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().optMaxNgram(maxNgram).optMinDocumentFrequency(minDocumentFrequency)
                .optMaxFeatures(maxFeatures).optSublinearTf(sublinearTf).optEpochs(epochs)
                .optLearningRate(learningRate).optSeed(seed);
    }

    /** Builds a {@link TfIdfConfig}; unset fields keep their {@code DEFAULT_*} value. */
    public static final class Builder {
        private int maxNgram = DEFAULT_MAX_NGRAM;
        private int minDocumentFrequency = DEFAULT_MIN_DOCUMENT_FREQUENCY;
        private int maxFeatures = DEFAULT_MAX_FEATURES;
        private boolean sublinearTf = DEFAULT_SUBLINEAR_TF;
        private int epochs = DEFAULT_EPOCHS;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private long seed = DEFAULT_SEED;

        private Builder() {}

        public Builder optMaxNgram(int v) { maxNgram = v; return this; }
        public Builder optMinDocumentFrequency(int v) { minDocumentFrequency = v; return this; }
        public Builder optMaxFeatures(int v) { maxFeatures = v; return this; }
        public Builder optSublinearTf(boolean v) { sublinearTf = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optLearningRate(double v) { learningRate = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public TfIdfConfig build() {
            return new TfIdfConfig(maxNgram, minDocumentFrequency, maxFeatures, sublinearTf, epochs, learningRate, seed);
        }
    }
}
