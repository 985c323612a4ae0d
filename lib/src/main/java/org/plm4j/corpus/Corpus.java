package org.plm4j.corpus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

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

    /** A corpus named {@code name} holding {@code texts} (copied). */
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

    @Override
    public String toString() {
        return "Corpus[" + name + ", " + texts.size() + " texts, sha256=" + sha256().substring(0, 12) + "]";
    }
}
