package org.plm4j.datasets;

import java.util.List;

/**
 * One WordNet synset as read from a {@code data.*} file.
 *
 * @param offset byte offset in its data file (the synset's id within its part of speech)
 * @param pos part of speech letter: {@code n}, {@code v}, {@code a}, {@code s} (satellite adjective), {@code r}
 * @param lexFile lexicographer file name, e.g. {@code noun.animal}, {@code verb.motion}
 * @param words the synset's lemmas, underscores replaced by spaces, adjective markers like
 *     {@code (a)} removed
 * @param definition the gloss's definition part (may be empty for the rare gloss that is only examples)
 * @param examples the gloss's quoted example sentences, without their quotes
 */
public record Synset(long offset, char pos, String lexFile, List<String> words, String definition,
        List<String> examples) {

    /** Copies the lists. */
    public Synset {
        words = List.copyOf(words);
        examples = List.copyOf(examples);
    }

    /** Definition followed by the examples, as in WordNet: {@code def; "ex1"; "ex2"}. */
    public String gloss() {
        if (examples.isEmpty()) {
            return definition;
        }
        StringBuilder sb = new StringBuilder(definition);
        for (String e : examples) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append('"').append(e).append('"');
        }
        return sb.toString();
    }
}
