package org.plm4j.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.plm4j.corpus.LabeledTexts;

/** Generated topic corpora: each label has its own words, mixed with words shared by all labels. */
final class BaselineCorpora {

    static final List<String> LABELS = List.of("animals", "cooking", "sports");
    private static final List<List<String>> TOPIC_WORDS = List.of(
            List.of("cat", "dog", "horse", "cow", "sheep", "bird", "fish", "tiger", "lion", "wolf"),
            List.of("oven", "bake", "flour", "sugar", "pan", "boil", "salt", "recipe", "knife", "spoon"),
            List.of("ball", "goal", "team", "coach", "match", "score", "player", "league", "referee", "pitch"));
    private static final List<String> SHARED = List.of("the", "a", "and", "of", "with", "very", "big", "small",
            "today", "there", "every", "some");

    private BaselineCorpora() {}

    /** {@code perLabel} texts per label of 8 to 14 words, every third one (from the first) a topic word, so every text is separable. */
    static LabeledTexts separable(String name, int perLabel, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < perLabel; i++) {
            for (int l = 0; l < LABELS.size(); l++) {
                int len = 8 + rnd.nextInt(7);
                StringBuilder b = new StringBuilder();
                for (int w = 0; w < len; w++) {
                    List<String> pool = w % 3 == 0 ? TOPIC_WORDS.get(l) : SHARED;
                    b.append(w == 0 ? "" : " ").append(pool.get(rnd.nextInt(pool.size())));
                }
                texts.add(b.toString());
                labels.add(LABELS.get(l));
            }
        }
        return LabeledTexts.of(name, texts, labels);
    }
}
