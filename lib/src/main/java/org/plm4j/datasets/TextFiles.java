package org.plm4j.datasets;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.univocity.parsers.common.AbstractParser;
import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.tsv.TsvParser;
import com.univocity.parsers.tsv.TsvParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Loaders for users' own labelled data: CSV and TSV (parsed with univocity, the parser Tablesaw
 * itself uses, so every row keeps its line number), JSONL (one JSON object per line, read with
 * Gson), and Tablesaw tables already in the session.
 *
 * <pre>{@code
 * TextFiles.Loaded data = TextFiles.csv(Path.of("reviews.csv"), "text", "label");   // fails on a malformed row
 * TextFiles.Loaded lax  = TextFiles.csv(path, "text", "label", OnMalformed.SKIP);  // skips, lists them in skipped()
 * LabeledDataset ds = data.dataset();                                             // dedupe + stratified split
 * }</pre>
 *
 * <p><b>Nothing is dropped silently.</b> A row is malformed when it has a different number of
 * fields than the header, an empty text, an empty or missing label (when a label column is
 * named), or (JSONL) is not a JSON object with a string text. With {@link OnMalformed#FAIL} (the
 * default) the first problems are reported with their line numbers in a
 * {@link MalformedRowsException}; with {@link OnMalformed#SKIP} they are skipped and listed in
 * {@link Loaded#skipped()} and in the dataset's {@link Manifest#skippedRows()}. An unknown text or
 * label column fails at once, naming the columns that exist. Pass a null label column for an
 * unlabelled corpus.
 */
public final class TextFiles {

    /** What to do with a malformed row. */
    public enum OnMalformed {
        /** Throw {@link MalformedRowsException} listing the malformed rows (the default). */
        FAIL,
        /** Skip them, listing each in {@link Loaded#skipped()}. */
        SKIP
    }

    /** Raised by {@link OnMalformed#FAIL}: every malformed row with its line number. */
    public static final class MalformedRowsException extends IllegalArgumentException {
        private final transient List<RowProblem> problems;

        MalformedRowsException(Path file, List<RowProblem> problems) {
            super(problems.size() + " malformed row(s) in " + file + ": "
                    + Splitter.abbreviate(problems.stream().map(RowProblem::toString).toList(), 10)
                    + "; fix them, or pass OnMalformed.SKIP to skip them (they are then listed in the dataset's manifest)");
            this.problems = List.copyOf(problems);
        }

        /** Every malformed row. */
        public List<RowProblem> problems() {
            return problems;
        }
    }

    /**
     * Texts (and labels) read from a file, with the rows skipped as malformed.
     *
     * @param name dataset name (file name without extension)
     * @param texts the texts, stripped
     * @param labels the labels aligned with texts, or null when no label column was named
     * @param skipped rows skipped under {@link OnMalformed#SKIP}
     * @param source the file and its SHA-256
     */
    public record Loaded(String name, List<String> texts, List<String> labels, List<RowProblem> skipped,
            Manifest.Source source) {

        /** Copies the lists. */
        public Loaded {
            texts = List.copyOf(texts);
            labels = labels == null ? null : List.copyOf(labels);
            skipped = List.copyOf(skipped);
        }

        /** Whether a label column was read. */
        public boolean isLabeled() {
            return labels != null;
        }

        /** The texts with their labels. */
        public LabeledTexts labeled() {
            if (labels == null) {
                throw new IllegalStateException(name + " was loaded without a label column; pass one to label the texts");
            }
            return LabeledTexts.of(name, texts, labels);
        }

        /** The texts as a corpus. */
        public Corpus corpus() {
            return Corpus.of(name, texts);
        }

        /** Columns {@code text} and, when labelled, {@code label}. */
        public Table table() {
            Table t = Table.create(name, StringColumn.create("text", texts));
            return labels == null ? t : t.addColumns(StringColumn.create("label", labels));
        }

        /** Deduplicated, stratified train/validation/test split with {@link SplitSpec#DEFAULT}. */
        public LabeledDataset dataset() {
            return dataset(SplitSpec.DEFAULT);
        }

        /**
         * Deduplicated, stratified split; the manifest lists the skipped rows.
         *
         * @throws IllegalArgumentException if a label has a single example
         */
        public LabeledDataset dataset(SplitSpec spec) {
            labeled();
            return LabeledDataset.of(name, "user data", texts, labels, spec, source, 0, List.of(), skipped);
        }

        /** Deduplicated train/validation/test split of the texts as a corpus. */
        public CorpusDataset corpusDataset(SplitSpec spec) {
            return CorpusDataset.of(name, "user corpus", texts, null, spec, source, 0, List.of());
        }
    }

    private TextFiles() {
    }

    /** Comma-separated values with a header row; fails on malformed rows. */
    public static Loaded csv(Path file, String textColumn, String labelColumn) {
        return csv(file, textColumn, labelColumn, OnMalformed.FAIL);
    }

    /** Comma-separated values with a header row. */
    public static Loaded csv(Path file, String textColumn, String labelColumn, OnMalformed onMalformed) {
        CsvParserSettings s = new CsvParserSettings();
        s.setLineSeparatorDetectionEnabled(true);
        s.setMaxCharsPerColumn(-1);
        s.setMaxColumns(10_000);
        s.setNullValue("");
        s.setEmptyValue("");
        return delimited(file, new CsvParser(s), textColumn, labelColumn, onMalformed);
    }

    /** Tab-separated values with a header row; fails on malformed rows. */
    public static Loaded tsv(Path file, String textColumn, String labelColumn) {
        return tsv(file, textColumn, labelColumn, OnMalformed.FAIL);
    }

    /** Tab-separated values with a header row. */
    public static Loaded tsv(Path file, String textColumn, String labelColumn, OnMalformed onMalformed) {
        TsvParserSettings s = new TsvParserSettings();
        s.setLineSeparatorDetectionEnabled(true);
        s.setMaxCharsPerColumn(-1);
        s.setMaxColumns(10_000);
        s.setNullValue("");
        return delimited(file, new TsvParser(s), textColumn, labelColumn, onMalformed);
    }

    private static Loaded delimited(Path file, AbstractParser<?> parser, String textColumn, String labelColumn,
            OnMalformed onMalformed) {
        requireFile(file);
        List<String> texts = new ArrayList<>();
        List<String> labels = labelColumn == null ? null : new ArrayList<>();
        List<RowProblem> problems = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parser.beginParsing(r);
            String[] header = parser.parseNext();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty; expected a header row naming the columns, e.g. text,label");
            }
            List<String> cols = Arrays.stream(header).map(h -> h == null ? "" : h.strip()).toList();
            int ti = column(file, cols, textColumn, "text");
            int li = labelColumn == null ? -1 : column(file, cols, labelColumn, "label");
            long prevLine = parser.getContext().currentLine();
            String[] row;
            while ((row = parser.parseNext()) != null) {
                long line = prevLine + 1;
                prevLine = parser.getContext().currentLine();
                if (row.length == 1 && (row[0] == null || row[0].isBlank()) && cols.size() > 1) {
                    continue; // a blank line
                }
                String problem = null;
                if (row.length != cols.size()) {
                    problem = "has " + row.length + " field(s), the header has " + cols.size();
                } else if (row[ti] == null || row[ti].isBlank()) {
                    problem = "empty text in column '" + textColumn + "'";
                } else if (li >= 0 && (row[li] == null || row[li].isBlank())) {
                    problem = "empty label in column '" + labelColumn + "'";
                }
                if (problem != null) {
                    problems.add(new RowProblem(line, problem));
                    continue;
                }
                texts.add(row[ti].strip());
                if (labels != null) {
                    labels.add(row[li].strip());
                }
            }
        } catch (TextParsingException e) {
            throw new IllegalArgumentException("cannot parse " + file + " at line " + (e.getLineIndex() + 1) + ": "
                    + firstLine(e.getMessage()) + " (an unterminated quote?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        } finally {
            parser.stopParsing();
        }
        return finish(file, texts, labels, problems, onMalformed);
    }

    /** One JSON object per line; fails on malformed rows. */
    public static Loaded jsonl(Path file, String textField, String labelField) {
        return jsonl(file, textField, labelField, OnMalformed.FAIL);
    }

    /**
     * One JSON object per line (blank lines ignored). The text field must be a non-empty string;
     * the label may be a string or a number (read as its string).
     */
    public static Loaded jsonl(Path file, String textField, String labelField, OnMalformed onMalformed) {
        requireFile(file);
        List<String> texts = new ArrayList<>();
        List<String> labels = labelField == null ? null : new ArrayList<>();
        List<RowProblem> problems = new ArrayList<>();
        boolean sawText = false;
        boolean sawLabel = false;
        int objects = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o;
                try {
                    JsonElement e = JsonParser.parseString(line);
                    if (!e.isJsonObject()) {
                        problems.add(new RowProblem(n, "not a JSON object"));
                        continue;
                    }
                    o = e.getAsJsonObject();
                } catch (JsonParseException e) {
                    problems.add(new RowProblem(n, "not valid JSON: " + firstLine(e.getMessage())));
                    continue;
                }
                objects++;
                sawText |= o.has(textField);
                sawLabel |= labelField != null && o.has(labelField);
                String text = primitive(o, textField, true);
                String label = labelField == null ? "" : primitive(o, labelField, false);
                if (text == null || text.isBlank()) {
                    problems.add(new RowProblem(n, o.has(textField) ? "empty or non-string text in field '" + textField + "'"
                            : "no field '" + textField + "'"));
                } else if (label == null || (labelField != null && label.isBlank())) {
                    problems.add(new RowProblem(n, o.has(labelField) ? "empty label in field '" + labelField + "'"
                            : "no field '" + labelField + "'"));
                } else {
                    texts.add(text.strip());
                    if (labels != null) {
                        labels.add(label.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
        if (objects > 0 && !sawText) {
            throw new IllegalArgumentException("unknown text field '" + textField + "': no object in " + file + " has it; "
                    + "name the field that holds the text, e.g. jsonl(path, \"text\", \"label\")");
        }
        if (objects > 0 && labelField != null && !sawLabel) {
            throw new IllegalArgumentException("unknown label field '" + labelField + "': no object in " + file + " has it; "
                    + "name the field that holds the label, or pass null for an unlabelled corpus");
        }
        return finish(file, texts, labels, problems, onMalformed);
    }

    /**
     * Texts and labels from string columns of a Tablesaw table (row numbers in problems are 1-based
     * data rows).
     */
    public static Loaded table(Table table, String textColumn, String labelColumn, OnMalformed onMalformed) {
        List<String> cols = table.columnNames();
        Path pseudo = Path.of(table.name() == null || table.name().isBlank() ? "table" : table.name());
        int ti = column(pseudo, cols, textColumn, "text");
        int li = labelColumn == null ? -1 : column(pseudo, cols, labelColumn, "label");
        Column<?> tc = table.column(ti);
        Column<?> lc = li < 0 ? null : table.column(li);
        List<String> texts = new ArrayList<>();
        List<String> labels = lc == null ? null : new ArrayList<>();
        List<RowProblem> problems = new ArrayList<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String t = tc.isMissing(r) ? "" : String.valueOf(tc.get(r));
            String l = lc == null ? "x" : lc.isMissing(r) ? "" : String.valueOf(lc.get(r));
            if (t.isBlank()) {
                problems.add(new RowProblem(r + 1, "empty text in column '" + textColumn + "'"));
            } else if (l.isBlank()) {
                problems.add(new RowProblem(r + 1, "empty label in column '" + labelColumn + "'"));
            } else {
                texts.add(t.strip());
                if (labels != null) {
                    labels.add(l.strip());
                }
            }
        }
        return finish(pseudo, texts, labels, problems, onMalformed);
    }

    private static String primitive(JsonObject o, String field, boolean stringOnly) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            return null;
        }
        if (stringOnly && !e.getAsJsonPrimitive().isString()) {
            return null;
        }
        return e.getAsString();
    }

    private static Loaded finish(Path file, List<String> texts, List<String> labels, List<RowProblem> problems,
            OnMalformed onMalformed) {
        if (!problems.isEmpty() && onMalformed == OnMalformed.FAIL) {
            throw new MalformedRowsException(file, problems);
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(file + " has no usable rows" + (problems.isEmpty() ? ""
                    : " (" + problems.size() + " malformed, first: " + problems.get(0) + ")")
                    + "; every row needs a non-empty text");
        }
        String name = file.getFileName() == null ? "data" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        name = dot > 0 ? name.substring(0, dot) : name;
        String sha = Files.isRegularFile(file) ? fileSha(file) : Splitter.sha256(texts, labels);
        return new Loaded(name, texts, labels, problems, new Manifest.Source(null, sha, List.of(file.toAbsolutePath().toString())));
    }

    private static int column(Path file, List<String> cols, String name, String role) {
        if (name == null) {
            throw new IllegalArgumentException("name the " + role + " column of " + file + "; its columns are: " + String.join(", ", cols));
        }
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown " + role + " column '" + name + "' in " + file + "; its columns are: "
                    + String.join(", ", cols));
        }
        return i;
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file not found: " + file.toAbsolutePath()
                    + " (relative paths resolve against " + Path.of("").toAbsolutePath() + ")");
        }
    }

    private static String fileSha(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(Splitter.digest().digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
