package org.plm4j.backtranslate;

/**
 * What a rule-based engine does with its marks for words it could not handle: Apertium writes
 * {@code *word} (unknown to the analyser), {@code @word} (missing from the bilingual dictionary)
 * and {@code #word} (the generator lacks the form).
 */
public enum UnknownWords {
    /** Remove the marks, keep the word (the default; paraphrases for training should read as text). */
    STRIP,
    /** Keep the marks, to inspect what the engine did not know. */
    KEEP
}
