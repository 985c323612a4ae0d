package org.plm4j.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.plm4j.corpus.Corpus;

/**
 * Trains a {@link BpeTokenizer} (Sennrich et al. 2016) on a corpus: words are pre-tokenised and
 * normalised as in BERT (options from {@link WordPieceConfig}: vocabulary size, minimum pair
 * frequency, lower-casing, accent stripping, special tokens), the initial vocabulary is the
 * special tokens then the alphabet (word-initial characters and {@code ##}-prefixed inner ones),
 * and the most frequent adjacent pair is merged until {@code vocabSize} is reached or no pair
 * occurs {@code minFrequency} times. Ties are broken by the pair's text, so training is deterministic.
 */
public final class BpeTrainer {

    private BpeTrainer() {}

    /**
     * Trains on {@code corpus}.
     *
     * @throws IllegalArgumentException if the corpus is empty or {@code vocabSize} is smaller than
     *     the special tokens plus the alphabet
     */
    public static BpeTokenizer train(Corpus corpus, WordPieceConfig config) {
        if (corpus.size() == 0) {
            throw new IllegalArgumentException("corpus '" + corpus.name() + "' is empty; a BPE vocabulary needs text");
        }
        BertPreTokenizer pre = new BertPreTokenizer(config.lowercase(), config.stripAccents());
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String t : corpus.texts()) {
            for (String w : pre.words(pre.normalize(t))) {
                wordCounts.merge(w, 1, Integer::sum);
            }
        }
        List<String> words = new ArrayList<>(new TreeSet<>(wordCounts.keySet()));
        List<List<String>> symbols = new ArrayList<>();
        int[] freq = new int[words.size()];
        TreeSet<String> alphabet = new TreeSet<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            freq[i] = wordCounts.get(w);
            int[] cps = w.codePoints().toArray();
            List<String> s = new ArrayList<>();
            for (int j = 0; j < cps.length; j++) {
                String c = (j == 0 ? "" : BpeTokenizer.PREFIX) + new String(cps, j, 1);
                s.add(c);
                alphabet.add(c);
            }
            symbols.add(s);
        }
        List<String> vocab = new ArrayList<>(config.specialTokens());
        Set<String> inVocab = new HashSet<>(vocab);
        for (String c : alphabet) {
            if (inVocab.add(c)) {
                vocab.add(c);
            }
        }
        if (vocab.size() > config.vocabSize()) {
            throw new IllegalArgumentException("vocabSize " + config.vocabSize() + " is smaller than the "
                    + config.specialTokens().size() + " special tokens plus the " + alphabet.size()
                    + " alphabet pieces of corpus '" + corpus.name() + "' (" + vocab.size()
                    + "); choose a vocabSize of at least " + vocab.size());
        }
        // pair -> count, and pair -> words containing it (updated incrementally)
        Map<String, Long> pairCount = new HashMap<>();
        Map<String, Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            addPairs(symbols.get(i), i, freq[i], pairCount, where, 1);
        }
        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < config.vocabSize()) {
            String best = null;
            long bestCount = 0;
            for (Map.Entry<String, Long> e : pairCount.entrySet()) {
                long c = e.getValue();
                if (c > bestCount || (c == bestCount && c > 0 && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null || bestCount < config.minFrequency()) {
                break;
            }
            int sp = best.indexOf(' ');
            String a = best.substring(0, sp);
            String b = best.substring(sp + 1);
            String m = BpeTokenizer.merged(a, b);
            merges.add(new String[] {a, b});
            if (inVocab.add(m)) {
                vocab.add(m);
            }
            for (int i : new ArrayList<>(where.getOrDefault(best, Set.of()))) {
                List<String> s = symbols.get(i);
                addPairs(s, i, freq[i], pairCount, where, -1);
                List<String> out = new ArrayList<>(s.size());
                for (int j = 0; j < s.size(); j++) {
                    if (j + 1 < s.size() && s.get(j).equals(a) && s.get(j + 1).equals(b)) {
                        out.add(m);
                        j++;
                    } else {
                        out.add(s.get(j));
                    }
                }
                symbols.set(i, out);
                addPairs(out, i, freq[i], pairCount, where, 1);
            }
        }
        return new BpeTokenizer(config, vocab, merges);
    }

    private static void addPairs(List<String> s, int word, int freq, Map<String, Long> pairCount,
                                 Map<String, Set<Integer>> where, int sign) {
        for (int j = 0; j + 1 < s.size(); j++) {
            String p = s.get(j) + " " + s.get(j + 1);
            long c = pairCount.getOrDefault(p, 0L) + (long) sign * freq;
            if (c <= 0) {
                pairCount.remove(p);
                where.remove(p);
            } else {
                pairCount.put(p, c);
                if (sign > 0) {
                    where.computeIfAbsent(p, k -> new HashSet<>()).add(word);
                }
            }
        }
    }
}
