package org.plm4j.model;

import org.plm4j.internal.EngineSetup;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.plm4j.tokenizer.Tokenizer;

/**
 * The masked-LM task as a demo: the model's most likely tokens for each {@code [MASK]} in a text.
 *
 * <pre>{@code
 * FillMask.predict(model, tokenizer, "the cat [MASK] the mouse", 5)
 * }</pre>
 */
public final class FillMask {

    /** The literal that marks a position to predict. */
    public static final String MASK = "[MASK]";

    private FillMask() {}

    /**
     * A predicted token.
     *
     * @param token the token string
     * @param id its id
     * @param probability the model's probability for it at that position
     */
    public record Prediction(String token, int id, double probability) {
        @Override
        public String toString() {
            return String.format("%s (%.3f)", token, probability);
        }
    }

    /**
     * Predicts each {@code [MASK]} of {@code text} (the text around the masks is tokenised as
     * usual, special tokens are never predicted).
     *
     * @param topK how many candidates per mask
     * @return one list of candidates (most likely first) per {@code [MASK]}, in text order
     * @throws IllegalArgumentException if the text has no {@code [MASK]} or is too long for the model
     */
    public static List<List<Prediction>> predict(MaskedLanguageModel model, Tokenizer tokenizer, String text,
                                                 int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        String[] pieces = text.split(java.util.regex.Pattern.quote(MASK), -1);
        if (pieces.length < 2) {
            throw new IllegalArgumentException("the text has no " + MASK + " to predict: " + text);
        }
        List<Integer> ids = new ArrayList<>();
        List<Integer> maskPositions = new ArrayList<>();
        ids.add(tokenizer.clsId());
        for (int i = 0; i < pieces.length; i++) {
            for (int id : tokenizer.encode(pieces[i])) {
                ids.add(id);
            }
            if (i < pieces.length - 1) {
                maskPositions.add(ids.size());
                ids.add(tokenizer.maskId());
            }
        }
        ids.add(tokenizer.sepId());
        if (ids.size() > model.config().maxPositions()) {
            throw new IllegalArgumentException("the text has " + ids.size() + " tokens, more than the model's "
                    + model.config().maxPositions() + " positions");
        }
        EngineSetup.noGradOnThisThread();
        int vocab = tokenizer.vocabSize();
        List<List<Prediction>> out = new ArrayList<>();
        try (NDManager sm = model.manager().newSubManager()) {
            long[] flat = ids.stream().mapToLong(Integer::longValue).toArray();
            float[] mask = new float[flat.length];
            java.util.Arrays.fill(mask, 1f);
            NDArray hidden = model.hiddenStates(sm.create(flat, new Shape(1, flat.length)),
                    sm.create(mask, new Shape(1, flat.length)), false);
            long[] pos = maskPositions.stream().mapToLong(Integer::longValue).toArray();
            float[] probs = model.maskedLmLogits(hidden, sm.create(pos)).softmax(-1).toFloatArray();
            int v = model.config().vocabSize();
            for (int m = 0; m < pos.length; m++) {
                int base = m * v;
                PriorityQueue<Integer> best = new PriorityQueue<>(Comparator.comparingDouble(i -> probs[base + i]));
                for (int id = 0; id < vocab; id++) {
                    if (tokenizer.isSpecial(id)) {
                        continue;
                    }
                    best.add(id);
                    if (best.size() > topK) {
                        best.poll();
                    }
                }
                List<Prediction> list = new ArrayList<>();
                while (!best.isEmpty()) {
                    int id = best.poll();
                    list.add(0, new Prediction(tokenizer.token(id), id, probs[base + id]));
                }
                out.add(list);
            }
        }
        return out;
    }
}
