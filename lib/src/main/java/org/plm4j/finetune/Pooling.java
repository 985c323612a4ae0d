package org.plm4j.finetune;

/** How a sequence of hidden states becomes one vector for the classification head. */
public enum Pooling {
    /** The hidden state of the [CLS] token (BERT's choice). */
    CLS,
    /** The mean of the hidden states of all real tokens (padding excluded). */
    MEAN;

    /** Parses {@code cls} or {@code mean} (case-insensitive). */
    public static Pooling parse(String s) {
        for (Pooling p : values()) {
            if (p.name().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling '" + s + "'; use cls or mean");
    }
}
