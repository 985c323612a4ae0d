package org.plm4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a tokenizer splits a set of texts into pieces: words (BERT's basic tokenisation:
 * whitespace-split, punctuation isolated), pieces, and [UNK]s. Two tokenizers with different
 * vocabularies are compared on the same texts by {@link #piecesPerWord()} and {@link #unknownRate()}.
 *
 * @param texts number of texts
 * @param words number of words
 * @param pieces number of pieces the words were split into
 * @param unknownPieces pieces that are the tokenizer's [UNK]
 * @param unknownWords words with at least one [UNK] piece
 */
public record Segmentation(int texts, long words, long pieces, long unknownPieces, long unknownWords) {

    /**
     * Splits every text into words and encodes each word on its own (BERT-style tokenizers such as
     * plm4j's WordPiece and BPE never merge across words, so these are the pieces of the whole text).
     *
     * @throws IllegalArgumentException if the texts hold no word
     */
    public static Segmentation of(Tokenizer tokenizer, List<String> texts) {
        // word boundaries do not depend on case or accents
        BertPreTokenizer pre = new BertPreTokenizer(false, false);
        List<String> words = new ArrayList<>();
        for (String t : texts) {
            words.addAll(pre.words(t));
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the " + texts.size() + " texts hold no word to segment");
        }
        int[][] ids = tokenizer.encodeBatch(words);
        long pieces = 0;
        long unknownPieces = 0;
        long unknownWords = 0;
        int unk = tokenizer.unkId();
        for (int[] w : ids) {
            pieces += w.length;
            long u = 0;
            for (int id : w) {
                if (id == unk) {
                    u++;
                }
            }
            unknownPieces += u;
            unknownWords += u > 0 ? 1 : 0;
        }
        return new Segmentation(texts.size(), words.size(), pieces, unknownPieces, unknownWords);
    }

    /** Mean number of pieces per word. */
    public double piecesPerWord() {
        return (double) pieces / words;
    }

    /** Share of words with an [UNK] piece (a word the model cannot see). */
    public double unknownRate() {
        return (double) unknownWords / words;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Segmentation[%d texts, %d words, %.3f pieces per word, %.4f %% words with [UNK]]",
                texts, words, piecesPerWord(), 100 * unknownRate());
    }
}
