package org.plm4j.pretrain;

/**
 * Pretraining was cancelled (thread interrupt or the cancellation signal) and stopped cleanly
 * between steps; {@link #partialResult()} holds what was done (the model keeps its weights as
 * of the last completed step).
 */
public class PretrainCancelledException extends RuntimeException {

    private final transient PretrainResult partialResult;

    public PretrainCancelledException(String message, PretrainResult partialResult) {
        super(message);
        this.partialResult = partialResult;
    }

    /** The steps done, their history and the run record. */
    public PretrainResult partialResult() {
        return partialResult;
    }
}
