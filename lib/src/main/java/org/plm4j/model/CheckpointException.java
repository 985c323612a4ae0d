package org.plm4j.model;

/** A model checkpoint is missing, corrupt, or was written for another architecture. */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
