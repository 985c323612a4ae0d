package org.plm4j.finetune;

/** Thrown when fine-tuning was interrupted; carries what was done (the classifier keeps the best weights so far). */
public final class FineTuneCancelledException extends RuntimeException {

    private final transient FineTuneResult result;

    FineTuneCancelledException(String message, FineTuneResult result) {
        super(message);
        this.result = result;
    }

    /** The partial result; its classifier holds the best weights seen before the interruption. */
    public FineTuneResult result() {
        return result;
    }
}
