package org.plm4j.kernel.magic;

/** A magic was called with arguments it cannot use; the message says what was wrong and the usage. */
public final class MagicUsageException extends RuntimeException {
    public MagicUsageException(String message) {
        super(message);
    }

    public MagicUsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
