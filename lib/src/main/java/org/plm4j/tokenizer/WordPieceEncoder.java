package org.plm4j.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * plm4j's pure-Java WordPiece encoder: {@link BertPreTokenizer} words, then greedy
 * longest-match-first over the vocabulary (continuation pieces carry the prefix, usually
 * {@code ##}); a word with an unmatched position, or longer than {@code maxInputCharsPerWord}
 * code points, becomes [UNK]; literal special tokens in the raw text map to their ids. This is
 * the algorithm of BERT's and Hugging Face's WordPiece; it serves as the reference for the
 * native encoder and as a fallback. Immutable and thread-safe; no special tokens are added.
 */
final class WordPieceEncoder {

    private final WordPieceConfig config;
    private final List<String> vocab;
    private final Map<String, Integer> ids;
    private final BertPreTokenizer pre;
    private final int maxTokenChars;
    private final int[] specialIds;

    WordPieceEncoder(WordPieceConfig config, List<String> vocab) {
        this.config = config;
        this.vocab = vocab;
        this.ids = new HashMap<>(vocab.size() * 2);
        int max = 1;
        for (int i = 0; i < vocab.size(); i++) {
            if (ids.putIfAbsent(vocab.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate vocabulary entry '" + vocab.get(i) + "' at id " + i);
            }
            max = Math.max(max, vocab.get(i).length());
        }
        this.maxTokenChars = max;
        List<String> specials = config.specialTokens();
        this.specialIds = new int[specials.size()];
        for (int s = 0; s < specialIds.length; s++) {
            Integer id = ids.get(specials.get(s));
            if (id == null) {
                throw new IllegalArgumentException("special token '" + specials.get(s) + "' is not in the vocabulary of "
                        + vocab.size() + " entries");
            }
            specialIds[s] = id;
        }
        this.pre = new BertPreTokenizer(config.lowercase(), config.stripAccents());
    }

    /** Vocabulary id of the {@code i}-th special token of the config (0 PAD, 1 UNK, 2 CLS, 3 SEP, 4 MASK). */
    public int specialId(int i) {
        return specialIds[i];
    }

    /** The id of a piece, or -1. */
    public int id(String token) {
        Integer i = ids.get(token);
        return i == null ? -1 : i;
    }

    /** Ids of the text's pieces, no special tokens added. */
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        encodeInto(text, out);
        int[] a = new int[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** {@link #encode(String)} of each text, in order, in parallel over the common fork-join pool. */
    public int[][] encodeBatch(List<String> texts) {
        int[][] out = new int[texts.size()][];
        java.util.stream.IntStream.range(0, out.length).parallel().forEach(i -> out[i] = encode(texts.get(i)));
        return out;
    }

    /** The pieces of the text, aligned with {@link #encode(String)}. */
    public List<String> tokenize(String text) {
        List<Integer> out = new ArrayList<>();
        encodeInto(text, out);
        List<String> t = new ArrayList<>(out.size());
        for (int i : out) {
            t.add(vocab.get(i));
        }
        return t;
    }

    private void encodeInto(String text, List<Integer> out) {
        // split out literal special tokens first (Hugging Face "added tokens", matched on raw text)
        int from = 0;
        List<String> specials = config.specialTokens();
        while (from <= text.length()) {
            int best = -1;
            int bestIdx = text.length();
            for (int s = 0; s < specials.size(); s++) {
                int k = text.indexOf(specials.get(s), from);
                if (k >= 0 && (k < bestIdx || (k == bestIdx && best >= 0
                        && specials.get(s).length() > specials.get(best).length()))) {
                    bestIdx = k;
                    best = s;
                }
            }
            encodePlain(text.substring(from, bestIdx), out);
            if (best < 0) {
                break;
            }
            out.add(specialIds[best]);
            from = bestIdx + specials.get(best).length();
        }
    }

    private void encodePlain(String text, List<Integer> out) {
        if (text.isEmpty()) {
            return;
        }
        String prefix = config.continuingSubwordPrefix();
        int unk = specialIds[1];
        for (String w : pre.words(text)) {
            if (w.codePointCount(0, w.length()) > config.maxInputCharsPerWord()) {
                out.add(unk);
                continue;
            }
            int mark = out.size();
            int start = 0;
            boolean bad = false;
            while (start < w.length()) {
                int end = Math.min(w.length(), start + maxTokenChars);
                int found = -1;
                while (end > start) {
                    if (end < w.length() && Character.isLowSurrogate(w.charAt(end))
                            && Character.isHighSurrogate(w.charAt(end - 1))) {
                        end--; // never cut a surrogate pair
                        continue;
                    }
                    String sub = start == 0 ? w.substring(0, end) : prefix + w.substring(start, end);
                    Integer id = ids.get(sub);
                    if (id != null) {
                        found = id;
                        break;
                    }
                    end--;
                }
                if (found < 0) {
                    bad = true;
                    break;
                }
                out.add(found);
                start = end;
            }
            if (bad) {
                while (out.size() > mark) {
                    out.remove(out.size() - 1);
                }
                out.add(unk);
            }
        }
    }
}
