package org.plm4j.corpus;

import org.plm4j.train.Seeds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An immutable, named, in-memory list of documents (one text each) with a content checksum.
 *
 * <p>Contract used by tokenizer training and pretraining: {@link #texts()} never contains
 * null; {@link #sha256()} depends only on the texts and their order, so a run record can
 * prove which data a model saw.
 */
public final class Corpus {

    private final String name;
    private final List<String> texts;
    private volatile String sha256;

    private Corpus(String name, List<String> texts) {
        this.name = Objects.requireNonNull(name, "name");
        this.texts = List.copyOf(texts);
    }

    /**
     * A corpus named {@code name} holding exactly {@code texts} (copied; blank texts kept, so
     * positions line up with labels). {@link Corpora#texts} skips blank ones instead.
     */
    public static Corpus of(String name, List<String> texts) {
        return new Corpus(name, texts);
    }

    public String name() {
        return name;
    }

    public List<String> texts() {
        return texts;
    }

    public int size() {
        return texts.size();
    }

    /** SHA-256 over the texts, each followed by a newline, in order (hex). */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (String t : texts) {
                    md.update(t.getBytes(StandardCharsets.UTF_8));
                    md.update((byte) '\n');
                }
                s = HexFormat.of().formatHex(md.digest());
                sha256 = s;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
        return s;
    }

    /**
     * Splits this corpus into a training part and a held-out part, deterministically.
     *
     * <p>The texts are shuffled with a {@link SplittableRandom} seeded by {@code seed}
     * (Fisher–Yates), then the first {@code round(size * heldOutFraction)} shuffled texts
     * (at least one when the fraction is positive and the corpus has two or more texts, and
     * never all of them) form the held-out part; both parts keep the original relative order
     * of their texts. The parts are named {@code name + "-train"} and {@code name + "-heldout"}.
     *
     * @throws IllegalArgumentException if {@code heldOutFraction} is not in {@code [0, 1)}
     *     or the corpus has fewer than two texts while a positive fraction is asked for
     */
    public CorpusSplit split(double heldOutFraction, long seed) {
        if (!(heldOutFraction >= 0.0 && heldOutFraction < 1.0)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + heldOutFraction
                    + "; e.g. 0.1 keeps 10 % of the texts for evaluation");
        }
        int n = texts.size();
        int held = (int) Math.round(n * heldOutFraction);
        if (heldOutFraction > 0) {
            if (n < 2) {
                throw new IllegalArgumentException("corpus '" + name + "' has " + n
                        + " text(s); a held-out split needs at least 2 (pass heldOutFraction 0 to keep all)");
            }
            held = Math.max(1, Math.min(n - 1, held));
        }
        boolean[] isHeld = Seeds.choose(n, held, seed);
        List<String> train = new ArrayList<>(n - held);
        List<String> heldOut = new ArrayList<>(held);
        for (int i = 0; i < n; i++) {
            (isHeld[i] ? heldOut : train).add(texts.get(i));
        }
        return new CorpusSplit(new Corpus(name + "-train", train), new Corpus(name + "-heldout", heldOut));
    }

    /**
     * A random sample of {@code n} distinct texts (without replacement), in the corpus's original
     * order, chosen with a generator seeded by {@code seed}; the whole corpus if {@code n >= size()}.
     * The sample is named {@code name + "-sample" + n}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Corpus sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size n must be >= 0, got " + n);
        }
        if (n >= texts.size()) {
            return this;
        }
        boolean[] keep = Seeds.choose(texts.size(), n, seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                out.add(texts.get(i));
            }
        }
        return new Corpus(name + "-sample" + n, out);
    }

    /** A copy of this corpus under another name (same texts, same checksum). */
    public Corpus withName(String newName) {
        return new Corpus(newName, texts);
    }

    /** Total number of characters over all texts. */
    public long totalChars() {
        long c = 0;
        for (String t : texts) {
            c += t.length();
        }
        return c;
    }

    @Override
    public String toString() {
        return "Corpus[" + name + ", " + texts.size() + " texts, sha256=" + sha256().substring(0, 12) + "]";
    }
}
