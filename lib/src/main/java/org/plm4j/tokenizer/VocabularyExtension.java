package org.plm4j.tokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.plm4j.corpus.Corpus;

/**
 * Vocabulary extension (Imamura &amp; Sumita 2022): learn WordPiece subwords on new text (e.g. a
 * new language), append to an existing tokenizer those it lacks, and report what was added.
 * Old ids keep their meaning, so a model can be grown with
 * {@code model.withGrownVocabulary(base, extension.tokenizer(), NewRows.MEAN_OF_PIECES, seed)}.
 *
 * @param tokenizer the extended tokenizer (the base's vocabulary, then the added pieces)
 * @param added the pieces appended, in id order
 */
public record VocabularyExtension(WordPieceTokenizer tokenizer, List<String> added) {

    /** Copies the list. */
    public VocabularyExtension {
        added = List.copyOf(added);
    }

    /**
     * Trains a WordPiece vocabulary of {@code learnVocabSize} pieces on {@code newText} with the
     * base tokenizer's normalisation and special tokens, and appends the pieces the base lacks.
     *
     * @throws IllegalArgumentException if {@code newText} is empty or {@code learnVocabSize} is
     *     smaller than its alphabet
     */
    public static VocabularyExtension extend(WordPieceTokenizer base, Corpus newText, int learnVocabSize) {
        WordPieceConfig cfg = base.config().toBuilder().optVocabSize(learnVocabSize).build();
        if (newText.size() == 0) {
            throw new IllegalArgumentException("corpus '" + newText.name() + "' is empty; nothing to learn from");
        }
        List<String> learnt;
        try (WordPieceTokenizer t = WordPieceTrainer.train(newText, cfg)) {
            learnt = t.vocabulary();
        }
        Set<String> have = new HashSet<>(base.vocabulary());
        List<String> added = new ArrayList<>();
        for (String piece : learnt) {
            if (have.add(piece)) {
                added.add(piece);
            }
        }
        List<String> vocab = new ArrayList<>(base.vocabulary());
        vocab.addAll(added);
        return new VocabularyExtension(WordPieceTokenizer.of(base.config(), vocab), added);
    }

    @Override
    public String toString() {
        return "VocabularyExtension[+" + added.size() + " pieces -> " + tokenizer.vocabSize() + ", e.g. "
                + added.subList(0, Math.min(8, added.size())) + "]";
    }
}
