package org.plm4j.extension.magic;

/**
 * A magic line that cannot be understood: an unknown option, a missing or malformed value.
 * The message names the magic, the option, the value found and what to type instead; the
 * kernel shows it as a one-paragraph error and stays alive. The plm4j magics and the kernel's
 * own ({@code %jars}, {@code %maven}, {@code %load}) use this one type.
 */
public final class MagicUsageException extends IllegalArgumentException {

    public MagicUsageException(String message) {
        super(message);
    }

    public MagicUsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
