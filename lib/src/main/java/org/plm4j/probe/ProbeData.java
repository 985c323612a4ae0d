package org.plm4j.probe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.plm4j.corpus.LabeledSplit;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.Synset;
import org.plm4j.datasets.WordNet;
import org.plm4j.tokenizer.Tokenizer;

/** The data of the probes, drawn once per series from WordNet: the words of the word probes and the held-out text. */
final class ProbeData {

    private ProbeData() {}

    /**
     * The words of a word probe with their labels, split by word: lower-case alphabetic WordNet lemmas
     * that are one non-[UNK] token of {@code tokenizer} and carry a single label of the probe's kind
     * in all their synsets; a seeded sample of {@code config.words()} of them, split stratified.
     */
    static LabeledSplit words(Probe probe, WordNet wordNet, Tokenizer tokenizer, ProbeConfig config) {
        Map<String, Set<String>> labels = new TreeMap<>();
        for (Synset s : wordNet.synsets()) {
            String label = probe == Probe.SUPERSENSE ? s.lexFile() : partOfSpeech(s.pos());
            for (String w : s.words()) {
                if (w.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                    labels.computeIfAbsent(w, k -> new LinkedHashSet<>()).add(label);
                }
            }
        }
        List<String> candidates = new ArrayList<>();
        labels.forEach((w, l) -> {
            if (l.size() == 1) {
                candidates.add(w);
            }
        });
        int[][] ids = tokenizer.encodeBatch(candidates);
        List<String> texts = new ArrayList<>();
        List<String> of = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length == 1 && ids[i][0] != tokenizer.unkId()) {
                texts.add(candidates.get(i));
                of.add(labels.get(candidates.get(i)).iterator().next());
            }
        }
        LabeledTexts all = LabeledTexts.of("wordnet-" + probe.key() + "-words", texts, of);
        if (all.size() < 20 || all.labels().size() < 2) {
            throw new IllegalArgumentException("the " + probe.key() + " probe found " + all.size()
                    + " WordNet words in " + all.labels().size() + " classes that are single tokens of this tokenizer ("
                    + tokenizer.vocabSize() + " ids); it needs at least 20 in two classes: use a tokenizer with a"
                    + " larger vocabulary");
        }
        return all.sample(config.words(), config.seed()).split(config.testFraction(), config.seed());
    }

    /** The texts of the masked-LM probes: the configured ones, or a seeded sample of WordNet definitions. */
    static List<String> heldOut(WordNet wordNet, ProbeConfig config) {
        if (config.texts() != null) {
            return config.texts();
        }
        return wordNet.glosses().sample(config.heldOutTexts(), config.seed()).texts();
    }

    private static String partOfSpeech(char pos) {
        return switch (pos) {
            case 'n' -> "noun";
            case 'v' -> "verb";
            case 'a', 's' -> "adjective";
            case 'r' -> "adverb";
            default -> throw new IllegalArgumentException("unknown WordNet part of speech '" + pos + "'");
        };
    }
}
