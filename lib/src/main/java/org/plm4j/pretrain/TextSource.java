package org.plm4j.pretrain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.plm4j.corpus.Corpus;

/**
 * Training text that may be larger than memory: each {@link #open()} starts a new pass over the
 * texts, read lazily. {@link #lines(Path)} streams a UTF-8 file with one text per line (blank
 * lines skipped); {@link #of(Corpus)} wraps an in-memory corpus.
 *
 * <p>The pretrainer keeps only a window of {@link #SHUFFLE_WINDOW} texts of a streamed source in
 * memory: it reads a window, shuffles it (seeded), packs and trains on it, then reads the next.
 */
public interface TextSource {

    /** Texts per shuffled window when streaming. */
    int SHUFFLE_WINDOW = 4096;

    /** A name for run records. */
    String name();

    /** SHA-256 of the texts, each followed by a newline, in order (hex; equal to {@link Corpus#sha256()}). */
    String sha256();

    /** A new pass over the texts, from the first; close it when done. */
    Pass open();

    /** The in-memory corpus behind this source, if any (then the trainer shuffles all texts per epoch). */
    default Optional<Corpus> corpus() {
        return Optional.empty();
    }

    /** One pass over the texts. */
    interface Pass extends Iterator<String>, AutoCloseable {
        @Override
        void close();
    }

    /** An in-memory corpus as a source. */
    static TextSource of(Corpus corpus) {
        return new TextSource() {
            @Override
            public String name() {
                return corpus.name();
            }

            @Override
            public String sha256() {
                return corpus.sha256();
            }

            @Override
            public Pass open() {
                Iterator<String> it = corpus.texts().iterator();
                return new Pass() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public String next() {
                        return it.next();
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public Optional<Corpus> corpus() {
                return Optional.of(corpus);
            }
        };
    }

    /**
     * A UTF-8 text file, one text per line, streamed from disk on every pass (never loaded whole).
     *
     * @throws IllegalArgumentException if the file does not exist
     */
    static TextSource lines(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no text file at " + file.toAbsolutePath()
                    + "; TextSource.lines reads one text per line");
        }
        return new TextSource() {
            private volatile String sha;

            @Override
            public String name() {
                return file.getFileName().toString();
            }

            @Override
            public String sha256() {
                if (sha == null) {
                    try (Pass p = open()) {
                        MessageDigest md = MessageDigest.getInstance("SHA-256");
                        while (p.hasNext()) {
                            md.update(p.next().getBytes(StandardCharsets.UTF_8));
                            md.update((byte) '\n');
                        }
                        sha = HexFormat.of().formatHex(md.digest());
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
                    }
                }
                return sha;
            }

            @Override
            public Pass open() {
                BufferedReader r;
                try {
                    InputStream in = Files.newInputStream(file);
                    r = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
                return new Pass() {
                    private String nextLine = advance();

                    private String advance() {
                        try {
                            String l;
                            while ((l = r.readLine()) != null) {
                                if (!l.isBlank()) {
                                    return l;
                                }
                            }
                            return null;
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public boolean hasNext() {
                        return nextLine != null;
                    }

                    @Override
                    public String next() {
                        if (nextLine == null) {
                            throw new NoSuchElementException();
                        }
                        String l = nextLine;
                        nextLine = advance();
                        return l;
                    }

                    @Override
                    public void close() {
                        try {
                            r.close();
                        } catch (IOException e) {
                            // nothing to keep
                        }
                    }
                };
            }

            @Override
            public String toString() {
                return "TextSource[" + file + "]";
            }
        };
    }
}
