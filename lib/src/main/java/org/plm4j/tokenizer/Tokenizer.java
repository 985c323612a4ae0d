package org.plm4j.tokenizer;

import java.util.List;

/**
 * A subword tokenizer: text to vocabulary ids and back.
 *
 * <p>Contract shared by every plm4j component that turns text into model input:
 * {@link #encode(String)} returns the ids of the text's own tokens, <em>without</em>
 * special tokens; callers that build model input add {@link #clsId()} and
 * {@link #sepId()} themselves (so packing several texts into one sequence is possible).
 * Implementations are thread-safe for encoding and must be closed when they hold
 * native resources.
 */
public interface Tokenizer extends AutoCloseable {

    /** Ids of the tokens of {@code text}, no special tokens; an empty array for blank text. */
    int[] encode(String text);

    /**
     * {@link #encode(String)} of each text, in order. The default loops; implementations with a
     * native batch API (e.g. {@link WordPieceTokenizer}) override it for throughput.
     */
    default int[][] encodeBatch(List<String> texts) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i));
        }
        return out;
    }

    /** The token strings of {@code text}, aligned with {@link #encode(String)}. */
    List<String> tokenize(String text);

    /** Number of entries in the vocabulary (ids are {@code 0 .. vocabSize()-1}). */
    int vocabSize();

    /** The token string of an id. */
    String token(int id);

    /** The id of a token string, or {@code -1} if it is not in the vocabulary. */
    int id(String token);

    int padId();

    int unkId();

    int clsId();

    int sepId();

    int maskId();

    /** Whether {@code id} is a special token ([PAD], [UNK], [CLS], [SEP], [MASK]); those are never masked. */
    boolean isSpecial(int id);

    @Override
    void close();
}
