package org.plm4j.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;

/**
 * Reader of the WordNet 3.0 database files installed by the Debian package {@code wordnet-base}
 * (in {@value #DEFAULT_DIR}): every synset's gloss with its lexicographer file
 * ({@code noun.animal}, {@code verb.motion}, ... 45 in all).
 *
 * <p><b>Texts.</b> A WordNet gloss is a definition optionally followed by quoted example
 * sentences, separated by {@code ; "}: {@code draw air into, and expel out of, the lungs; "I can
 * breathe better when the air is clean"}. The gloss is split at the first {@code ; "} (or at the
 * start when the gloss begins with a quote) into {@link Synset#definition()} and
 * {@link Synset#examples()}. {@link #glosses()} (the labelled classification task) uses the
 * <em>definition only</em>: the examples often repeat the lemma itself and would make the task
 * easier than intended, and a few glosses have no definition (those synsets are dropped from
 * {@code glosses()}). {@link #corpus()} (for pretraining and tokenizer training) uses the whole
 * gloss, definition plus examples, one text per synset.
 *
 * <p><b>Labels.</b> The lexicographer file comes from each synset's {@code lex_filenum} field;
 * names come from a {@code lexnames} file in the directory if present (Debian's
 * {@code wordnet-base} does not ship it) and otherwise from the fixed WordNet 3.0 table in
 * {@link #LEXNAMES} (lexnames(5)).
 *
 * <p><b>Failures.</b> A missing directory or data file raises {@link IllegalStateException}
 * naming {@code sudo apt-get install wordnet-base}; a malformed line raises
 * {@link IllegalArgumentException} naming the file and line number. Loading all ~117k synsets
 * takes well under a second of parsing.
 */
public final class WordNet {

    /** Where Debian's {@code wordnet-base} installs the database. */
    public static final String DEFAULT_DIR = "/usr/share/wordnet";

    /** The corpus name used by {@link #corpus()}. */
    public static final String CORPUS_NAME = "wordnet-glosses";

    /** WordNet 3.0 lexicographer file names by {@code lex_filenum} (0..44), from lexnames(5). */
    public static final List<String> LEXNAMES = List.of(
            "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
            "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
            "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
            "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
            "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
            "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
            "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
            "adj.ppl");

    private static final String[] DATA_FILES = {"data.noun", "data.verb", "data.adj", "data.adv"};

    private final Path dir;
    private final List<Synset> synsets;

    private WordNet(Path dir, List<Synset> synsets) {
        this.dir = dir;
        this.synsets = List.copyOf(synsets);
    }

    /** Loads WordNet from {@value #DEFAULT_DIR}. */
    public static WordNet load() {
        return load(Path.of(DEFAULT_DIR));
    }

    /**
     * Loads the four {@code data.*} files of {@code dir}, in the order noun, verb, adj, adv.
     *
     * @throws IllegalStateException if the directory or a data file is missing
     */
    public static WordNet load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("WordNet directory not found: " + dir.toAbsolutePath()
                    + "; install it with: sudo apt-get install wordnet-base");
        }
        List<String> lexnames = readLexnames(dir);
        List<Synset> all = new ArrayList<>(120_000);
        for (String f : DATA_FILES) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("WordNet data file not found: " + p.toAbsolutePath()
                        + "; install it with: sudo apt-get install wordnet-base");
            }
            try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                parse(r, f, lexnames, all);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p.toAbsolutePath(), e);
            }
        }
        return new WordNet(dir, all);
    }

    /** Whether WordNet is installed at {@value #DEFAULT_DIR}. */
    public static boolean isInstalled() {
        return Files.isRegularFile(Path.of(DEFAULT_DIR, "data.noun"));
    }

    private static List<String> readLexnames(Path dir) {
        Path p = dir.resolve("lexnames");
        if (!Files.isRegularFile(p)) {
            return LEXNAMES;
        }
        try {
            List<String> names = new ArrayList<>(LEXNAMES);
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].matches("\\d+")) {
                    int i = Integer.parseInt(f[0]);
                    while (names.size() <= i) {
                        names.add("lexfile." + names.size());
                    }
                    names.set(i, f[1]);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p.toAbsolutePath(), e);
        }
    }

    /**
     * Parses lines in WordNet's {@code data.*} format (wndb(5)) from {@code reader} and appends
     * the synsets to {@code out}. License header lines (starting with two spaces) are skipped.
     * Package-visible for tests on small fixtures.
     */
    static void parse(Reader reader, String fileName, List<String> lexnames, List<Synset> out) throws IOException {
        BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("  ")) {
                continue;
            }
            try {
                out.add(parseLine(line, lexnames));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("malformed WordNet line " + lineNo + " of " + fileName
                        + ": " + (line.length() > 120 ? line.substring(0, 120) + "..." : line), e);
            }
        }
    }

    static Synset parseLine(String line, List<String> lexnames) {
        int bar = line.indexOf(" | ");
        String head = bar < 0 ? line : line.substring(0, bar);
        String gloss = bar < 0 ? "" : line.substring(bar + 3).strip();
        String[] f = head.split(" ");
        long offset = Long.parseLong(f[0]);
        int lexNum = Integer.parseInt(f[1]);
        if (lexNum < 0 || lexNum >= lexnames.size()) {
            throw new IllegalArgumentException("lex_filenum " + lexNum + " is not in lexnames (0.."
                    + (lexnames.size() - 1) + ")");
        }
        char pos = f[2].charAt(0);
        int wCnt = Integer.parseInt(f[3], 16);
        List<String> words = new ArrayList<>(wCnt);
        for (int i = 0; i < wCnt; i++) {
            String w = f[4 + 2 * i];
            int paren = w.indexOf('(');
            if (paren > 0 && w.endsWith(")")) {
                w = w.substring(0, paren);
            }
            words.add(w.replace('_', ' '));
        }
        // definition / examples split at the first `; "` (or a leading quote)
        String definition;
        List<String> examples = new ArrayList<>();
        int split = gloss.startsWith("\"") ? 0 : gloss.indexOf("; \"");
        if (split < 0) {
            definition = gloss;
        } else {
            definition = gloss.substring(0, split).strip();
            String rest = gloss.substring(split == 0 ? 0 : split + 2).strip();
            for (String ex : rest.split(";\\s*(?=\")")) {
                String e = ex.strip();
                if (e.startsWith("\"")) {
                    e = e.substring(1);
                    int close = e.lastIndexOf('"');
                    if (close >= 0) {
                        e = (e.substring(0, close) + e.substring(close + 1)).strip();
                    }
                }
                if (!e.isEmpty()) {
                    examples.add(e);
                }
            }
        }
        if (definition.endsWith(";")) {
            definition = definition.substring(0, definition.length() - 1).strip();
        }
        return new Synset(offset, pos, lexnames.get(lexNum), words, definition, examples);
    }

    /** The directory this was loaded from. */
    public Path directory() {
        return dir;
    }

    /** All synsets in file order (noun, verb, adj, adv). */
    public List<Synset> synsets() {
        return synsets;
    }

    public int size() {
        return synsets.size();
    }

    /**
     * Definitions (without examples) labelled with their lexicographer file, named
     * {@code wordnet-definitions}; synsets whose gloss has no definition are skipped.
     */
    public LabeledTexts glosses() {
        return glosses(false);
    }

    /**
     * Glosses labelled with their lexicographer file: the definition only ({@code withExamples}
     * false, named {@code wordnet-definitions}, synsets without a definition skipped) or the full
     * gloss with its quoted examples (named {@code wordnet-glosses}).
     */
    public LabeledTexts glosses(boolean withExamples) {
        if (withExamples) {
            List<String> texts = new ArrayList<>(synsets.size());
            List<String> labels = new ArrayList<>(synsets.size());
            for (Synset s : synsets) {
                String g = s.gloss();
                if (!g.isBlank()) {
                    texts.add(g);
                    labels.add(s.lexFile());
                }
            }
            return LabeledTexts.of(CORPUS_NAME, texts, labels);
        }
        List<String> texts = new ArrayList<>(synsets.size());
        List<String> labels = new ArrayList<>(synsets.size());
        for (Synset s : synsets) {
            if (!s.definition().isEmpty()) {
                texts.add(s.definition());
                labels.add(s.lexFile());
            }
        }
        return LabeledTexts.of("wordnet-definitions", texts, labels);
    }

    /** Full glosses (definition plus quoted examples), one text per synset, named {@value #CORPUS_NAME}. */
    public Corpus corpus() {
        List<String> texts = new ArrayList<>(synsets.size());
        for (Synset s : synsets) {
            String g = s.gloss();
            if (!g.isBlank()) {
                texts.add(g);
            }
        }
        return Corpus.of(CORPUS_NAME, texts);
    }

    @Override
    public String toString() {
        return "WordNet[" + dir + ", " + synsets.size() + " synsets]";
    }
}
