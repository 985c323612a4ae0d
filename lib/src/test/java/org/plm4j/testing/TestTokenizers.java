package org.plm4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.plm4j.tokenizer.Tokenizer;

/** Test-only tokenizers: a whitespace word vocabulary built from the texts. */
public final class TestTokenizers {

    private TestTokenizers() {}

    /** Ids 0..4 are [PAD], [UNK], [CLS], [SEP], [MASK]; then the sorted lower-cased words of {@code texts}. */
    public static Tokenizer whitespace(List<String> texts) {
        TreeSet<String> words = new TreeSet<>();
        for (String t : texts) {
            words.addAll(split(t));
        }
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(words);
        return new WordTokenizer(vocab);
    }

    private static List<String> split(String text) {
        String s = text.toLowerCase().trim();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
    }

    private static final class WordTokenizer implements Tokenizer {
        private final List<String> vocab;
        private final Map<String, Integer> ids = new HashMap<>();

        WordTokenizer(List<String> vocab) {
            this.vocab = List.copyOf(vocab);
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i), i);
            }
        }

        @Override
        public int[] encode(String text) {
            return split(text).stream().mapToInt(w -> ids.getOrDefault(w, 1)).toArray();
        }

        @Override
        public List<String> tokenize(String text) {
            return split(text).stream().map(w -> ids.containsKey(w) ? w : "[UNK]").toList();
        }

        @Override
        public int vocabSize() {
            return vocab.size();
        }

        @Override
        public String token(int id) {
            return vocab.get(id);
        }

        @Override
        public int id(String token) {
            return ids.getOrDefault(token, -1);
        }

        @Override
        public int padId() {
            return 0;
        }

        @Override
        public int unkId() {
            return 1;
        }

        @Override
        public int clsId() {
            return 2;
        }

        @Override
        public int sepId() {
            return 3;
        }

        @Override
        public int maskId() {
            return 4;
        }

        @Override
        public boolean isSpecial(int id) {
            return id >= 0 && id <= 4;
        }

        @Override
        public void close() {}
    }
}
