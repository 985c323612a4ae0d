package org.plm4j.backtranslate;

/**
 * One kept paraphrase: the index of its source text, the pivot it went through, its text and the
 * label carried over from the source ({@code null} for unlabelled data).
 */
public record Paraphrase(int sourceIndex, String pivot, String text, String label) {
}
