package org.plm4j.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@link ProbeSeries} measures at each checkpoint.
 *
 * <ul>
 *   <li>{@link #SUPERSENSE}: a linear probe on the frozen mean-pooled features of a WordNet word
 *       predicts its lexicographer file ({@code noun.animal}, {@code verb.motion}, ...); accuracy;</li>
 *   <li>{@link #POS}: the same probe predicts the word's part of speech (noun, verb, adjective,
 *       adverb) as WordNet lists it; accuracy;</li>
 *   <li>{@link #MLM}: masked-token accuracy on held-out text;</li>
 *   <li>{@link #PERPLEXITY}: masked-LM perplexity on the same text (lower is better).</li>
 * </ul>
 * The word probes use words that are one token of the tokenizer's vocabulary and have one label in
 * WordNet, split by word (no word is in both the probe's training and test part): a model that knows
 * nothing about a word's meaning, such as the random initialisation, then scores at chance.
 */
public enum Probe {
    /** WordNet supersense (lexicographer file) of a word. */
    SUPERSENSE("supersense"),
    /** Part of speech of a word. */
    POS("pos"),
    /** Masked-token accuracy on held-out text. */
    MLM("mlm"),
    /** Masked-LM perplexity on held-out text. */
    PERPLEXITY("ppl");

    private final String key;

    Probe(String key) {
        this.key = key;
    }

    /** The short name used in tables, charts and {@code %probe --tasks}: supersense, pos, mlm, ppl. */
    public String key() {
        return key;
    }

    /** Whether a higher score is better (all but perplexity). */
    public boolean higherIsBetter() {
        return this != PERPLEXITY;
    }

    /** Whether this is a linear probe on word features (supersense, pos). */
    public boolean isWordProbe() {
        return this == SUPERSENSE || this == POS;
    }

    /**
     * The probes named in a comma-separated list of keys, e.g. {@code "supersense,pos,mlm,ppl"}.
     *
     * @throws IllegalArgumentException naming the unknown key and the known ones
     */
    public static List<Probe> parse(String keys) {
        List<Probe> out = new ArrayList<>();
        for (String k : keys.split(",")) {
            String key = k.trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            Probe p = Arrays.stream(values()).filter(v -> v.key.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown probe '" + k.trim() + "'; the probes are "
                            + String.join(", ", Arrays.stream(values()).map(Probe::key).toList())));
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no probe named in '" + keys + "'; give e.g. supersense,pos,mlm,ppl");
        }
        return List.copyOf(out);
    }
}
