package org.plm4j.embed;

/**
 * How {@link Embedder} embeds: batch size, truncation and normalisation. Build with
 * {@link #builder()}; {@link #defaults()} holds every default.
 *
 * @param batchSize texts per forward pass
 * @param maxLength longest input in tokens including [CLS] and [SEP]; 0 means the model's maxPositions
 * @param normalize whether each vector is scaled to unit L2 norm (sentence-transformers'
 *     {@code normalize_embeddings}; cosine similarity is then a dot product)
 */
public record EmbedOptions(int batchSize, int maxLength, boolean normalize) {

    /** Texts per forward pass unless set otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** Validates like {@link Builder#build()}. */
    public EmbedOptions {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        if (maxLength != 0 && maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be 0 (the model's maxPositions) or >= 2 ([CLS] and "
                    + "[SEP]), got " + maxLength);
        }
    }

    /** Batch size {@value #DEFAULT_BATCH_SIZE}, the model's full length, no normalisation. */
    public static EmbedOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().optBatchSize(batchSize).optMaxLength(maxLength).optNormalize(normalize);
    }

    /** Builds {@link EmbedOptions}; the field initialisers are the defaults. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxLength = 0;
        private boolean normalize = false;

        private Builder() {
        }

        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optMaxLength(int v) {
            maxLength = v;
            return this;
        }

        public Builder optNormalize(boolean v) {
            normalize = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the offending field and value */
        public EmbedOptions build() {
            return new EmbedOptions(batchSize, maxLength, normalize);
        }
    }
}
