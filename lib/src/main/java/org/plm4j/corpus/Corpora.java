package org.plm4j.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Factories that read a {@link Corpus} from UTF-8 text files or build one from strings.
 *
 * <p>All factories strip surrounding whitespace of each document, skip blank documents, and
 * refuse to return an empty corpus: an {@link IllegalArgumentException} says the source is
 * empty and what to pass instead. A missing file raises an {@link IllegalArgumentException}
 * naming the absolute path; other I/O failures are rethrown as {@link UncheckedIOException}
 * with their cause. The corpus name defaults to the file name without extension.
 */
public final class Corpora {

    private Corpora() {
    }

    /** One document per line of {@code file}; blank lines are skipped. */
    public static Corpus lines(Path file) {
        return lines(file, baseName(file));
    }

    /** One document per line of {@code file}, under the given name; blank lines are skipped. */
    public static Corpus lines(Path file, String name) {
        List<String> docs = new ArrayList<>();
        for (String line : readLines(file)) {
            String t = line.strip();
            if (!t.isEmpty()) {
                docs.add(t);
            }
        }
        return nonEmpty(name, docs, "file " + file.toAbsolutePath()
                + " has no non-blank line; Corpora.lines expects one document per line");
    }

    /**
     * One document per paragraph of {@code file}: paragraphs are separated by one or more blank
     * lines; the lines of a paragraph are joined with a single space.
     */
    public static Corpus paragraphs(Path file) {
        return paragraphs(file, baseName(file));
    }

    /** Like {@link #paragraphs(Path)} under the given name. */
    public static Corpus paragraphs(Path file, String name) {
        List<String> docs = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : readLines(file)) {
            String t = line.strip();
            if (t.isEmpty()) {
                if (cur.length() > 0) {
                    docs.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                if (cur.length() > 0) {
                    cur.append(' ');
                }
                cur.append(t);
            }
        }
        if (cur.length() > 0) {
            docs.add(cur.toString());
        }
        return nonEmpty(name, docs, "file " + file.toAbsolutePath()
                + " has no non-blank paragraph; Corpora.paragraphs expects paragraphs separated by blank lines");
    }

    /**
     * One document per {@code .txt} file directly in {@code dir} (not recursive), in file-name order;
     * each file's text is stripped, blank files are skipped. Named after the directory.
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory or holds no non-blank {@code .txt} file
     */
    public static Corpus directory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("corpus directory not found: " + dir.toAbsolutePath());
        }
        List<Path> files;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.toAbsolutePath(), e);
        }
        List<String> docs = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                String t = Files.readString(f, StandardCharsets.UTF_8).strip();
                if (!t.isEmpty()) {
                    docs.add(t);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read corpus file " + f.toAbsolutePath(), e);
            }
        }
        String name = dir.getFileName() == null ? "corpus" : dir.getFileName().toString();
        return nonEmpty(name, docs, "directory " + dir.toAbsolutePath() + " has " + files.size()
                + " .txt file(s) and none with text; Corpora.directory reads one document per .txt file");
    }

    /**
     * A corpus from in-memory texts, cleaned like the file readers: blank texts are skipped, the
     * others stripped. ({@link Corpus#of} keeps every text exactly as given.)
     */
    public static Corpus texts(String name, List<String> texts) {
        List<String> docs = new ArrayList<>(texts.size());
        for (String s : texts) {
            if (s != null && !s.isBlank()) {
                docs.add(s.strip());
            }
        }
        return nonEmpty(name, docs, "the list of " + texts.size()
                + " texts has no non-blank text; pass at least one non-blank string");
    }

    private static Corpus nonEmpty(String name, List<String> docs, String why) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("corpus '" + name + "' is empty: " + why);
        }
        return Corpus.of(name, docs);
    }

    private static List<String> readLines(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("corpus file not found: " + file.toAbsolutePath()
                    + " (check the path; relative paths resolve against " + Path.of("").toAbsolutePath() + ")");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("corpus file not found: " + file.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus file " + file.toAbsolutePath(), e);
        }
    }

    private static String baseName(Path file) {
        String n = file.getFileName() == null ? "corpus" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
