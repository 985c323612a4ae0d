package org.plm4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.Corpora;
import org.plm4j.corpus.Corpus;

/** Loaders of users' files and each error case of issue 4, with the message it must produce. */
class TextFilesTest {

    @TempDir
    Path dir;

    Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void csvReadsTextAndLabelColumnsWithQuotes() throws IOException {
        Path p = write("reviews.csv", "id,text,label\n1,\"good, very good\",pos\n2,bad,neg\n3,\"multi\nline\",pos\n4,meh,neg\n");
        TextFiles.Loaded l = TextFiles.csv(p, "text", "label");
        assertEquals(List.of("good, very good", "bad", "multi\nline", "meh"), l.texts());
        assertEquals(List.of("pos", "neg", "pos", "neg"), l.labels());
        assertEquals("reviews", l.name());
        assertEquals(4, l.table().rowCount());
    }

    @Test
    void malformedCsvRowsAreReportedWithLineNumbersAndFailByDefault() throws IOException {
        Path p = write("bad.csv", "text,label\nfine,a\nonly-one-field\n,b\nok,\nalso fine,b\n");
        TextFiles.MalformedRowsException e = assertThrows(TextFiles.MalformedRowsException.class,
                () -> TextFiles.csv(p, "text", "label"));
        assertEquals(List.of(new RowProblem(3, "has 1 field(s), the header has 2"),
                new RowProblem(4, "empty text in column 'text'"), new RowProblem(5, "empty label in column 'label'")),
                e.problems());
        assertTrue(e.getMessage().contains("line 3: has 1 field(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("OnMalformed.SKIP"), e.getMessage());
    }

    @Test
    void skippedRowsAreListedInTheResultAndTheManifest() throws IOException {
        Path p = write("bad.tsv", "text\tlabel\nfine\ta\nbroken\nmore\ta\nx\tb\ny\tb\n");
        TextFiles.Loaded l = TextFiles.tsv(p, "text", "label", TextFiles.OnMalformed.SKIP);
        assertEquals(List.of(new RowProblem(3, "has 1 field(s), the header has 2")), l.skipped());
        LabeledDataset d = l.dataset(new SplitSpec(0, 0.5, 1));
        assertEquals(l.skipped(), d.manifest().skippedRows());
        assertTrue(d.toHtml().contains("skipped malformed rows: 1"));
    }

    @Test
    void unknownColumnNamesTheColumnsThatExist() throws IOException {
        Path p = write("d.csv", "sentence,category\na,b\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextFiles.csv(p, "text", "category"));
        assertEquals("unknown text column 'text' in " + p + "; its columns are: sentence, category", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TextFiles.csv(p, "sentence", "label"));
        assertTrue(e.getMessage().startsWith("unknown label column 'label'"), e.getMessage());
    }

    @Test
    void jsonlReportsBadJsonMissingFieldsAndEmptyTextsByLine() throws IOException {
        Path p = write("d.jsonl", "{\"text\":\"one\",\"label\":\"a\"}\n\n{not json\n{\"text\":\"\",\"label\":\"a\"}\n"
                + "{\"text\":\"two\"}\n[1,2]\n{\"text\":\"three\",\"label\":7}\n");
        TextFiles.MalformedRowsException e = assertThrows(TextFiles.MalformedRowsException.class,
                () -> TextFiles.jsonl(p, "text", "label"));
        List<Long> lines = e.problems().stream().map(RowProblem::line).toList();
        assertEquals(List.of(3L, 4L, 5L, 6L), lines);
        assertTrue(e.problems().get(0).reason().startsWith("not valid JSON"), e.problems().get(0).reason());
        assertEquals("empty or non-string text in field 'text'", e.problems().get(1).reason());
        assertEquals("no field 'label'", e.problems().get(2).reason());
        assertEquals("not a JSON object", e.problems().get(3).reason());
        TextFiles.Loaded l = TextFiles.jsonl(p, "text", "label", TextFiles.OnMalformed.SKIP);
        assertEquals(List.of("one", "three"), l.texts());
        assertEquals(List.of("a", "7"), l.labels());
        assertEquals(4, l.skipped().size());
    }

    @Test
    void jsonlUnknownFieldIsExplained() throws IOException {
        Path p = write("d.jsonl", "{\"sentence\":\"one\",\"label\":\"a\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextFiles.jsonl(p, "text", "label"));
        assertTrue(e.getMessage().startsWith("unknown text field 'text'"), e.getMessage());
    }

    @Test
    void aLabelWithASingleExampleCannotBeStratified() throws IOException {
        Path p = write("d.csv", "text,label\na,x\nb,x\nc,x\nd,rare\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextFiles.csv(p, "text", "label").dataset());
        assertTrue(e.getMessage().contains("1 label(s) have a single example"), e.getMessage());
        assertTrue(e.getMessage().contains(": rare;"), e.getMessage());
        assertTrue(e.getMessage().contains("filterLabels"), e.getMessage());
    }

    @Test
    void emptyFileHasNoUsableRows() throws IOException {
        Path p = write("d.csv", "text,label\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextFiles.csv(p, "text", "label"));
        assertTrue(e.getMessage().contains("has no usable rows"), e.getMessage());
    }

    @Test
    void missingSourcePackageNamesTheAptGetLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Foldoc.load(dir));
        assertTrue(e.getMessage().contains("sudo apt-get install dict-foldoc"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> WordNet.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("sudo apt-get install wordnet-base"), e.getMessage());
    }

    @Test
    void unknownDatasetListsTheBuiltInOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.store(dir).load("imdb"));
        assertTrue(e.getMessage().contains("unknown dataset 'imdb'; built-in datasets: wordnet-glosses, wordnet-supersenses, foldoc, foldoc-topics"),
                e.getMessage());
    }

    @Test
    void directoryOfTxtFilesIsOneDocumentPerFileAndSplitsIntoACorpusDataset() throws IOException {
        Path d = Files.createDirectory(dir.resolve("docs"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(d.resolve("f" + i + ".txt"), "document number " + i + "\n");
        }
        Files.writeString(d.resolve("skip.md"), "not a txt");
        Corpus c = Corpora.directory(d);
        assertEquals(10, c.size());
        assertEquals("document number 0", c.texts().get(0));
        CorpusDataset cd = CorpusDataset.of(c, new SplitSpec(0.1, 0.1, 5));
        assertEquals(List.of(8, 1, 1), List.of(cd.train().size(), cd.validation().size(), cd.test().size()));
        assertEquals(cd.train().size(), cd.corpus().size());
    }
}
