package org.plm4j.finetune;

/**
 * The classification head on top of the pooled hidden state.
 *
 * <p>{@link #PROTOTYPICAL} follows prototypical fine-tuning (Jin et al. 2022, arXiv 2211.13638):
 * one prototype per class in the pooled embedding space, initialised at the class means of the
 * training embeddings and learnt jointly with the encoder; the logit of class c is
 * {@code -scale * ||e - p_c||^2}. {@link #MIXED} adds the two heads' logits as
 * {@code w * prototypical + (1 - w) * linear} with {@code w = K / (K + n / c)} for n training
 * examples over c classes and {@code K = }{@value #MIXED_HALF_POINT}: the prototypes dominate with
 * few examples per class, the parametric head with many, as the paper suggests.
 */
public enum Head {
    /** Pooler (dense + tanh), dropout, linear layer over the labels (BERT's head). */
    LINEAR,
    /** Negative squared Euclidean distances to learnt class prototypes. */
    PROTOTYPICAL,
    /** A data-size-weighted sum of the prototypical and the linear logits. */
    MIXED;

    /** Examples per class at which {@link #MIXED} weighs both heads equally. */
    public static final int MIXED_HALF_POINT = 100;

    /** The weight of the prototypical logits in {@link #MIXED} for {@code n} examples over {@code classes}. */
    public static double mixedWeight(int n, int classes) {
        return MIXED_HALF_POINT / (MIXED_HALF_POINT + (double) n / classes);
    }

    /** Whether this head has class prototypes. */
    boolean hasPrototypes() {
        return this != LINEAR;
    }

    /** Whether this head has the pooler and linear layer. */
    boolean hasLinear() {
        return this != PROTOTYPICAL;
    }

    /** Parses {@code linear}, {@code prototypical} or {@code mixed} (case-insensitive). */
    public static Head parse(String s) {
        for (Head h : values()) {
            if (h.name().equalsIgnoreCase(s.trim())) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown head '" + s + "'; use linear, prototypical or mixed");
    }
}
