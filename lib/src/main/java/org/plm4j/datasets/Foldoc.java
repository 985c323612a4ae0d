package org.plm4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the Free On-line Dictionary of Computing as installed by the Debian package
 * {@code dict-foldoc} in dictd format ({@value #DEFAULT_DIR}{@code /foldoc.index} and
 * {@code foldoc.dict.dz}, dictzip = gzip-compatible).
 *
 * <p>Each index line is {@code headword TAB offset TAB length} (offsets in dictd's base64) into the
 * uncompressed dictionary; several headwords may point to one entry. An entry starts with its
 * headword lines, then a blank line and the definition, whose first paragraph usually begins with
 * category tags such as {@code <language, programming>}. Cleaning: cross-reference braces are
 * removed ({@code {C}} → {@code C}, {@code {text (url)}} → {@code text}, {@code {(url)}} → {@code url}, {@code __x__} → {@code x}, bare {@code (http://...)} dropped), citation paragraphs
 * ({@code [Jargon File]}) and the trailing date {@code (2014-12-17)} dropped, whitespace collapsed.
 * The database's own {@code 00-database-*} entries are skipped.
 *
 * <p>A missing package raises {@link IllegalStateException} naming {@code sudo apt-get install dict-foldoc}.
 */
public final class Foldoc {

    /** Where Debian's {@code dict-foldoc} installs the dictionary. */
    public static final String DEFAULT_DIR = "/usr/share/dictd";

    /** Debian package providing the dictionary. */
    public static final String PACKAGE = "dict-foldoc";

    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern LINK = Pattern.compile("\\{([^{}]*?)\\s*\\(([^(){}\\s]*[./:][^(){}\\s]*)\\)\\s*\\}");
    private static final Pattern BARE_LINK = Pattern.compile("\\{\\s*\\(([^(){}\\s]+)\\)\\s*\\}");
    private static final Pattern BRACES = Pattern.compile("\\{([^{}]*)\\}");
    private static final Pattern DATE = Pattern.compile("\\(\\d{4}-\\d{2}-\\d{2}\\)\\.?");
    private static final Pattern CATEGORIES = Pattern.compile("^<([^<>]+)>\\s*");
    private static final Pattern URL_PAREN = Pattern.compile("\\s*\\((?:https?|ftp)://[^()\\s]*\\)");
    private static final Pattern EMPHASIS = Pattern.compile("__([^_]+)__");
    private static final Pattern LEADING_PAREN = Pattern.compile("^\\(([^()]*)\\)\\s*");

    /**
     * One dictionary entry.
     *
     * @param terms the headwords (entry lines and index headwords) and a leading parenthesised
     *     expansion/abbreviation of the definition, distinct, as written
     * @param categories the category tags in order, lower case (empty when the entry has none)
     * @param text the cleaned definition without its category tags
     */
    public record Entry(List<String> terms, List<String> categories, String text) {

        /** Copies the lists. */
        public Entry {
            terms = List.copyOf(terms);
            categories = List.copyOf(categories);
        }

        /**
         * The definition with the defined term and its obvious spellings removed, so that a
         * classifier cannot read the label off the term: every whole-word, case-insensitive
         * occurrence of each term, of the term with hyphens and spaces swapped, and of its plural
         * ({@code s}/{@code es}); a leading parenthesised expansion is removed too. One-letter terms
         * are removed only case-sensitively and never {@code A} or {@code I}.
         */
        public String textWithoutTerms() {
            String t = text;
            Matcher lp = LEADING_PAREN.matcher(t);
            if (lp.find()) {
                t = t.substring(lp.end());
            }
            Set<String> variants = new LinkedHashSet<>();
            List<String> single = new ArrayList<>();
            for (String term : terms) {
                String s = term.strip();
                if (s.startsWith("\"") && s.endsWith("\"") && s.length() > 2) {
                    s = s.substring(1, s.length() - 1);
                }
                if (s.length() == 1) {
                    if (!s.equals("A") && !s.equals("I") && Character.isLetterOrDigit(s.charAt(0))) {
                        single.add(s);
                    }
                    continue;
                }
                if (s.isEmpty()) {
                    continue;
                }
                for (String v : List.of(s, s.replace('-', ' '), s.replace(' ', '-'), s.replace("-", ""))) {
                    if (v.length() >= 2) {
                        variants.add(v.toLowerCase(Locale.ROOT));
                        variants.add(v.toLowerCase(Locale.ROOT) + "s");
                        variants.add(v.toLowerCase(Locale.ROOT) + "es");
                    }
                }
            }
            List<String> sorted = new ArrayList<>(variants);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            if (!sorted.isEmpty()) {
                StringBuilder re = new StringBuilder("(?<![\\p{L}\\p{N}])(?:");
                for (int i = 0; i < sorted.size(); i++) {
                    re.append(i == 0 ? "" : "|").append(Pattern.quote(sorted.get(i)));
                }
                re.append(")(?![\\p{L}\\p{N}])");
                t = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(t).replaceAll("\u0000");
            }
            for (String s : single) {
                t = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(s) + "(?![\\p{L}\\p{N}])").matcher(t).replaceAll("\u0000");
            }
            // quotes or parentheses left around a removed term go with it
            t = t.replaceAll("[\"'`]\\s*\u0000\\s*[\"']", " ").replaceAll("\\(\\s*\u0000\\s*\\)", " ").replace('\u0000', ' ');
            return tidy(t);
        }
    }

    private final Path dir;
    private final List<Entry> entries;

    private Foldoc(Path dir, List<Entry> entries) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
    }

    /** Whether the dictionary is installed at {@value #DEFAULT_DIR}. */
    public static boolean isInstalled() {
        return Files.isRegularFile(Path.of(DEFAULT_DIR, "foldoc.index"));
    }

    /** Loads FOLDOC from {@value #DEFAULT_DIR}. */
    public static Foldoc load() {
        return load(Path.of(DEFAULT_DIR));
    }

    /**
     * Loads {@code foldoc.index} and {@code foldoc.dict.dz} (or an uncompressed {@code foldoc.dict})
     * from {@code dir}; entries are in dictionary order.
     *
     * @throws IllegalStateException if the files are missing
     * @throws IllegalArgumentException naming the line of a malformed index line
     */
    public static Foldoc load(Path dir) {
        Path index = dir.resolve("foldoc.index");
        Path dz = dir.resolve("foldoc.dict.dz");
        Path plain = dir.resolve("foldoc.dict");
        if (!Files.isRegularFile(index) || !(Files.isRegularFile(dz) || Files.isRegularFile(plain))) {
            throw new IllegalStateException("FOLDOC not found: " + index.toAbsolutePath() + " and " + dz.getFileName()
                    + " are missing; install it with: sudo apt-get install " + PACKAGE);
        }
        try {
            byte[] data;
            if (Files.isRegularFile(dz)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(dz), 1 << 16)) {
                    data = in.readAllBytes();
                }
            } else {
                data = Files.readAllBytes(plain);
            }
            return new Foldoc(dir, parse(Files.readAllLines(index, StandardCharsets.UTF_8), data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read FOLDOC from " + dir.toAbsolutePath(), e);
        }
    }

    static List<Entry> parse(List<String> indexLines, byte[] data) {
        Map<Long, List<String>> headwords = new TreeMap<>();
        Map<Long, Integer> lengths = new TreeMap<>();
        for (int i = 0; i < indexLines.size(); i++) {
            String line = indexLines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 3) {
                throw new IllegalArgumentException("malformed foldoc.index line " + (i + 1) + ": expected 'headword TAB offset TAB length', got: " + line);
            }
            if (f[0].startsWith("00-database") || f[0].startsWith("00database")) {
                continue;
            }
            long off = b64(f[1], i + 1);
            int len = (int) b64(f[2], i + 1);
            headwords.computeIfAbsent(off, k -> new ArrayList<>()).add(f[0]);
            lengths.put(off, len);
        }
        List<Entry> out = new ArrayList<>(lengths.size());
        for (Map.Entry<Long, Integer> e : lengths.entrySet()) {
            long off = e.getKey();
            int len = e.getValue();
            if (off + len > data.length) {
                continue;
            }
            String raw = new String(data, (int) off, len, StandardCharsets.UTF_8);
            Entry entry = parseEntry(raw, headwords.get(off));
            if (entry != null) {
                out.add(entry);
            }
        }
        return out;
    }

    private static long b64(String s, int line) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = B64.indexOf(s.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("malformed foldoc.index line " + line + ": '" + s + "' is not dictd base64");
            }
            v = v * 64 + d;
        }
        return v;
    }

    static Entry parseEntry(String raw, List<String> indexWords) {
        String[] lines = raw.split("\n", -1);
        Set<String> terms = new LinkedHashSet<>();
        int i = 0;
        while (i < lines.length && !lines[i].isBlank()) {
            terms.add(lines[i].strip());
            i++;
        }
        if (indexWords != null) {
            terms.addAll(indexWords);
        }
        List<String> paragraphs = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (; i <= lines.length; i++) {
            String l = i < lines.length ? lines[i].strip() : "";
            if (l.isEmpty()) {
                if (cur.length() > 0) {
                    paragraphs.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(cur.length() > 0 ? " " : "").append(l);
            }
        }
        List<String> categories = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String p : paragraphs) {
            String s = p.replaceAll("\\s+", " ").strip();
            if (kept.isEmpty() && categories.isEmpty()) {
                Matcher c = CATEGORIES.matcher(s);
                if (c.find()) {
                    for (String cat : c.group(1).split(",")) {
                        if (!cat.isBlank()) {
                            categories.add(cat.strip().toLowerCase(Locale.ROOT));
                        }
                    }
                    s = s.substring(c.end());
                }
            }
            if (DATE.matcher(s).matches() || (s.startsWith("[") && (s.endsWith("]") || s.endsWith("].")))) {
                continue;
            }
            s = BARE_LINK.matcher(s).replaceAll("$1");
            s = LINK.matcher(s).replaceAll("$1");
            s = BRACES.matcher(s).replaceAll("$1");
            s = DATE.matcher(s).replaceAll("").strip();
            s = URL_PAREN.matcher(s).replaceAll("").strip();
            s = EMPHASIS.matcher(s).replaceAll("$1");
            if (!s.isEmpty()) {
                kept.add(s);
            }
        }
        String text = tidy(String.join(" ", kept));
        if (text.isEmpty()) {
            return null;
        }
        return new Entry(new ArrayList<>(terms), categories, text);
    }

    static String tidy(String t) {
        return t.replaceAll("\\s+", " ").replaceAll(" ([,.;:)])", "$1").replaceAll("\\( ", "(").replace("()", "")
                .replaceAll("\\s+", " ").strip();
    }

    /** The directory this was loaded from. */
    public Path directory() {
        return dir;
    }

    /** Every entry with a non-empty definition, in dictionary order. */
    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "Foldoc[" + dir + ", " + entries.size() + " entries]";
    }
}
