package org.plm4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.plm4j.corpus.Corpus;

/** Small generated corpora with learnable regularities, for tests. */
public final class TestCorpora {

    private TestCorpora() {}

    private static final String[][] FACTS = {
        {"the cat", "chases", "the mouse"}, {"the dog", "guards", "the house"}, {"the bird", "sings", "a song"},
        {"the farmer", "plants", "the seeds"}, {"the baker", "bakes", "fresh bread"}, {"the pilot", "flies", "the plane"},
        {"the teacher", "grades", "the essays"}, {"the child", "reads", "a book"}, {"the river", "feeds", "the lake"},
        {"the wind", "moves", "the clouds"}, {"the chef", "cooks", "the soup"}, {"the miner", "digs", "for coal"},
    };
    private static final String[] TIMES = {"every morning", "at night", "in spring", "on sunday", "after lunch"};

    /** The subject-verb-object facts that {@link #repetitive} draws from, as {subject, verb, object}. */
    public static String[][] facts() {
        String[][] copy = new String[FACTS.length][];
        for (int i = 0; i < FACTS.length; i++) {
            copy[i] = FACTS[i].clone();
        }
        return copy;
    }

    /** {@code n} short sentences "subject verb object time" where the verb and object follow from the subject. */
    public static Corpus repetitive(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String[] f = FACTS[rng.nextInt(FACTS.length)];
            String[] g = FACTS[rng.nextInt(FACTS.length)];
            texts.add(f[0] + " " + f[1] + " " + f[2] + " " + TIMES[rng.nextInt(TIMES.length)] + " and "
                    + g[0] + " " + g[1] + " " + g[2]);
        }
        return Corpus.of("repetitive-" + n + "-" + seed, texts);
    }
}
