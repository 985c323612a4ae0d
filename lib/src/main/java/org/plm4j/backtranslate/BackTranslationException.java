package org.plm4j.backtranslate;

/**
 * A translation engine could not translate: its program is missing, the language pair is not
 * installed, or a process died or timed out after the bounded retries. The message says what
 * happened, for which language pair, and what to try; the cause is kept.
 */
public class BackTranslationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackTranslationException(String message) {
        super(message);
    }

    public BackTranslationException(String message, Throwable cause) {
        super(message, cause);
    }
}
