package org.plm4j.internal;

import ai.djl.ndarray.NDArray;

/**
 * The affine steps of an encoder's forward pass, handed to the caller so that it can watch them:
 * differentially private fine-tuning adds a zero probe to each output to read every example's
 * output gradient, and keeps each input. An implementation must compute exactly the step it is
 * given (plus a zero).
 */
public interface LayerTaps {

    /** {@code x weight^T + bias} over the last dimension of {@code x}. */
    NDArray linear(NDArray x, NDArray weight, NDArray bias);

    /** {@code normalized * gamma + beta}: a LayerNorm's affine part after normalisation. */
    NDArray affine(NDArray normalized, NDArray gamma, NDArray beta);
}
