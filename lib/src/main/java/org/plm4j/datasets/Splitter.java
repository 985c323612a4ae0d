package org.plm4j.datasets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Deduplication, stratified three-way splits, normalisation and checksums shared by the datasets. */
final class Splitter {

    static final int TRAIN = 0;
    static final int VALIDATION = 1;
    static final int TEST = 2;
    static final List<String> SPLITS = List.of("train", "validation", "test");

    private Splitter() {
    }

    /** Texts and labels (labels null for a corpus) after deduplication, with its counts. */
    record Deduped(List<String> texts, List<String> labels, List<String> keys, Manifest.Dedupe stats) {
    }

    /**
     * Strips texts and removes exact duplicates: the first occurrence of a text is kept when all
     * its copies carry the same label; a text whose copies disagree is dropped entirely. Keys
     * (optional, aligned with texts) follow their text.
     */
    static Deduped dedupe(List<String> texts, List<String> labels, List<String> keys) {
        Map<String, Integer> first = new LinkedHashMap<>();
        Map<String, Boolean> conflict = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i).strip();
            Integer f = first.putIfAbsent(t, i);
            if (f != null && labels != null && !labels.get(f).equals(labels.get(i))) {
                conflict.put(t, true);
            }
        }
        List<String> outT = new ArrayList<>(first.size());
        List<String> outL = labels == null ? null : new ArrayList<>(first.size());
        List<String> outK = keys == null ? null : new ArrayList<>(first.size());
        int conflicting = 0;
        for (Map.Entry<String, Integer> e : first.entrySet()) {
            if (conflict.containsKey(e.getKey())) {
                conflicting++;
                continue;
            }
            outT.add(e.getKey());
            if (outL != null) {
                outL.add(labels.get(e.getValue()));
            }
            if (outK != null) {
                outK.add(keys.get(e.getValue()));
            }
        }
        // conflicting texts: count every copy as removed, the non-first copies as conflicting too
        int conflictCopies = 0;
        if (!conflict.isEmpty()) {
            for (String t : texts) {
                if (conflict.containsKey(t.strip())) {
                    conflictCopies++;
                }
            }
        }
        int duplicates = texts.size() - first.size() - (conflictCopies - conflicting);
        return new Deduped(outT, outL, outK, new Manifest.Dedupe(texts.size(), duplicates, conflictCopies));
    }

    /**
     * Assigns each row to train (0), validation (1) or test (2). Within each label (labels visited in
     * sorted order; one group when {@code labels} is null) the rows are shuffled with one
     * {@link SplittableRandom} seeded by {@code spec.seed()}, then {@code round(n * test)} go to test and
     * {@code round(n * validation)} to validation, at least one each when the fraction is positive and
     * the label has enough rows, and at least one always stays in train.
     *
     * @throws IllegalArgumentException naming every label that has a single example
     */
    static int[] assign(int size, List<String> labels, SplitSpec spec, String datasetName) {
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            groups.computeIfAbsent(labels == null ? "" : labels.get(i), k -> new ArrayList<>()).add(i);
        }
        if (labels != null) {
            List<String> singles = new ArrayList<>();
            groups.forEach((l, idx) -> {
                if (idx.size() < 2) {
                    singles.add(l);
                }
            });
            if (!singles.isEmpty()) {
                throw new IllegalArgumentException("dataset '" + datasetName + "': " + singles.size()
                        + " label(s) have a single example, so a stratified split cannot put them in both training and evaluation: "
                        + abbreviate(singles, 10) + "; add examples, merge them into another label, or drop them first, e.g. "
                        + "texts.filterLabels(l -> texts.labelCounts().get(l) >= 2)");
            }
        }
        SplittableRandom rnd = new SplittableRandom(spec.seed());
        int[] out = new int[size];
        for (List<Integer> idx : groups.values()) {
            int n = idx.size();
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                Integer tmp = idx.get(i);
                idx.set(i, idx.get(j));
                idx.set(j, tmp);
            }
            int t = (int) Math.round(n * spec.test());
            int v = (int) Math.round(n * spec.validation());
            if (spec.test() > 0 && t == 0 && n >= 2) {
                t = 1;
            }
            if (spec.validation() > 0 && v == 0 && n - t >= 2) {
                v = 1;
            }
            while (t + v >= n && v > 0) {
                v--;
            }
            while (t + v >= n && t > 0) {
                t--;
            }
            for (int i = 0; i < n; i++) {
                out[idx.get(i)] = i < t ? TEST : i < t + v ? VALIDATION : TRAIN;
            }
        }
        return out;
    }

    static String abbreviate(List<String> items, int max) {
        if (items.size() <= max) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, max)) + ", ... (" + (items.size() - max) + " more)";
    }

    /**
     * The form in which texts are compared for leakage: lower case, every run of characters that
     * are not letters or digits replaced by one space, stripped.
     */
    static String normalize(String text) {
        StringBuilder b = new StringBuilder(text.length());
        boolean space = false;
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (space && b.length() > 0) {
                    b.append(' ');
                }
                space = false;
                b.append(c);
            } else {
                space = true;
            }
        }
        return b.toString();
    }

    /** SHA-256 over {@code text\tlabel\n} rows (or {@code text\n} when labels is null), hex. */
    static String sha256(List<String> texts, List<String> labels) {
        MessageDigest md = digest();
        for (int i = 0; i < texts.size(); i++) {
            md.update(texts.get(i).getBytes(StandardCharsets.UTF_8));
            if (labels != null) {
                md.update((byte) '\t');
                md.update(labels.get(i).getBytes(StandardCharsets.UTF_8));
            }
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(String s) {
        return HexFormat.of().formatHex(digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static Map<String, Integer> counts(List<String> labels) {
        Map<String, Integer> m = new TreeMap<>();
        for (String l : labels) {
            m.merge(l, 1, Integer::sum);
        }
        return m;
    }
}
