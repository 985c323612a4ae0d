package org.plm4j.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TF-IDF rows as {@link TfIdfConfig} describes them: a vocabulary and idf fitted on training
 * texts, then sparse L2-normalised rows whose feature names are the terms.
 */
final class TfIdfVectorizer {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}_]{2,}");

    private final TfIdfConfig config;
    /** term to idf, sorted by term: the feature order of every row. */
    private final Map<String, Double> idf;

    private TfIdfVectorizer(TfIdfConfig config, Map<String, Double> idf) {
        this.config = config;
        this.idf = idf;
    }

    static TfIdfVectorizer fit(List<String> texts, TfIdfConfig config) {
        Map<String, Integer> df = new HashMap<>();
        for (String t : texts) {
            for (String term : new HashSet<>(terms(t, config.maxNgram()))) {
                df.merge(term, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : df.entrySet()) {
            if (e.getValue() >= config.minDocumentFrequency()) {
                kept.add(e);
            }
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        int n = texts.size();
        Map<String, Double> idf = new TreeMap<>();
        for (Map.Entry<String, Integer> e : kept.subList(0, Math.min(config.maxFeatures(), kept.size()))) {
            idf.put(e.getKey(), Math.log((1.0 + n) / (1.0 + e.getValue())) + 1.0);
        }
        return new TfIdfVectorizer(config, idf);
    }

    int vocabularySize() {
        return idf.size();
    }

    /** The sparse TF-IDF row of {@code text}: terms sorted, weights L2-normalised; empty if no term is known. */
    LogisticRegression.Row transform(String text) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String term : terms(text, config.maxNgram())) {
            if (idf.containsKey(term)) {
                counts.merge(term, 1, Integer::sum);
            }
        }
        String[] names = new String[counts.size()];
        double[] values = new double[counts.size()];
        double norm = 0;
        int i = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            double tf = config.sublinearTf() ? 1.0 + Math.log(e.getValue()) : e.getValue();
            names[i] = e.getKey();
            values[i] = tf * idf.get(e.getKey());
            norm += values[i] * values[i];
            i++;
        }
        if (norm > 0) {
            double inv = 1.0 / Math.sqrt(norm);
            for (int j = 0; j < values.length; j++) {
                values[j] *= inv;
            }
        }
        return new LogisticRegression.Row(names, values);
    }

    /** Lower-cased tokens and their n-grams up to {@code maxNgram}, joined by a space, in text order. */
    static List<String> terms(String text, int maxNgram) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            tokens.add(m.group());
        }
        List<String> out = new ArrayList<>(tokens.size() * maxNgram);
        for (int n = 1; n <= maxNgram; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                out.add(n == 1 ? tokens.get(i) : String.join(" ", tokens.subList(i, i + n)));
            }
        }
        return out;
    }

    /** The vocabulary, sorted. */
    List<String> vocabulary() {
        return List.copyOf(idf.keySet());
    }

    @Override
    public String toString() {
        return "TfIdfVectorizer[" + idf.size() + " terms, " + config + "]";
    }
}
