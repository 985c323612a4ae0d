package org.plm4j.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.datasets.CorpusDataset;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.Foldoc;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.datasets.Manifest;
import picocli.CommandLine;

/** {@code ./plm4j dataset ...} through {@link Main} in-process, on the installed dict-foldoc. */
class DatasetCommandTest {

    @TempDir
    static Path dir;
    static Path cache;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void build() {
        assumeTrue(Foldoc.isInstalled(), "dict-foldoc not installed");
        cache = dir.resolve("cache");
        Result r = run("dataset", "build", "foldoc-topics", "foldoc", "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("built 2 dataset(s)"), r.out());
    }

    @Test
    void listShowsEveryBuiltInDatasetAndWhetherItIsCached() {
        Result r = run("dataset", "list", "--cache", cache.toString());
        assertEquals(0, r.code());
        for (String n : Datasets.NAMES) {
            assertTrue(r.out().contains(n), r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("foldoc-topics ") && l.contains(" yes ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("wordnet-glosses ") && l.contains(" no ")), r.out());
    }

    @Test
    void infoPrintsTheManifestAsJson() {
        Result r = run("dataset", "info", "foldoc-topics", "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        Manifest m = Manifest.fromJson(r.out());
        LabeledDataset d = Datasets.store(cache).task("foldoc-topics");
        assertEquals(d.manifest(), m);
        assertEquals("dict-foldoc", m.source().packageName());
        assertEquals(d.test().size(), m.count("test"));
    }

    @Test
    void exportOfACorpusIsExactlyTheDefaultDaptText() throws Exception {
        Path out = dir.resolve("foldoc.jsonl");
        Result r = run("dataset", "export", "foldoc", "-o", out.toString(), "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        CorpusDataset c = Datasets.store(cache).corpus("foldoc");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(c.corpus().size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals(c.corpus().texts().get(i), o.get("text").getAsString());
            assertTrue(!o.has("label"));
        }
    }

    @Test
    void exportOfATaskSplitCarriesLabelsInJsonlCsvAndTxt() throws Exception {
        LabeledDataset d = Datasets.store(cache).task("foldoc-topics");
        Result r = run("dataset", "export", "foldoc-topics", "--split", "test", "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(d.test().size(), lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(d.test().text(0), first.get("text").getAsString());
        assertEquals(d.test().label(0), first.get("label").getAsString());

        Path csv = dir.resolve("test.csv");
        assertEquals(0, run("dataset", "export", "foldoc-topics", "--split", "test", "--format", "csv", "-o", csv.toString(),
                "--cache", cache.toString()).code());
        assertEquals("text,label", Files.readAllLines(csv).get(0));
        // read back through the user loader: same rows
        var back = org.plm4j.datasets.TextFiles.csv(csv, "text", "label");
        assertEquals(d.test().texts(), back.texts());
        assertEquals(d.test().labelOfEach(), back.labels());

        Result txt = run("dataset", "export", "foldoc-topics", "--split", "validation", "--format", "txt", "--cache", cache.toString());
        assertEquals(d.validation().texts(), txt.out().lines().toList());
    }

    @Test
    void errorsAreExplainedWithExitCodes() {
        Result unknown = run("dataset", "info", "imdb", "--cache", cache.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown dataset 'imdb'; built-in datasets: wordnet-glosses"), unknown.err());
        Result split = run("dataset", "export", "foldoc", "--split", "dev", "--cache", cache.toString());
        assertEquals(1, split.code());
        assertTrue(split.err().contains("unknown split 'dev'; use train, validation or test"), split.err());
        Result format = run("dataset", "export", "foldoc", "--format", "xml", "--cache", cache.toString());
        assertEquals(2, format.code());
        assertTrue(format.err().contains("xml"), format.err());
    }
}
