package org.plm4j.backtranslate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApertiumTranslatorTest {

    @TempDir
    Path tmp;

    /** A fake {@code apertium}: lists eng-spa and spa-eng for -l, otherwise runs {@code body} on stdin. */
    private Path fake(String body) throws IOException {
        Path script = tmp.resolve("apertium");
        Files.writeString(script, "#!/bin/bash\n"
                + "if [ \"$1\" = \"-l\" ]; then printf '  eng-spa\\n  spa-eng\\n'; exit 0; fi\n"
                + "echo call >> '" + tmp.resolve("calls") + "'\n" + body + "\n");
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    private int calls() throws IOException {
        Path f = tmp.resolve("calls");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    private static List<String> upper(List<String> texts) {
        return texts.stream().map(t -> ApertiumTranslator.clean(t).toUpperCase(Locale.ROOT)).toList();
    }

    @Test
    void batchTranslationEqualsOneByOneTranslationForOddInputs() {
        String longText = "The big dog runs in the park. ".repeat(400).strip();
        List<String> inputs = List.of(
                "The cat sat on the mat.",
                "",
                "   ",
                "the big",
                "car is here",
                "a line\nbroken\r\nin three",
                "Hello <b>world</b> &amp; [x] ^y$ back\\slash {z}",
                "unknownzzq words *star #hash @at",
                longText,
                "the red",
                "house",
                "He said \"hi\" and left.");
        ApertiumTranslator engine = ApertiumTranslator.builder().optProcesses(2).optChunkSize(4).build();
        List<String> batch = engine.translate(inputs, "eng-spa");
        assertEquals(inputs.size(), batch.size());
        List<String> single = ApertiumTranslator.builder().optProcesses(1).build().translate(List.of(inputs.get(0)), "eng-spa");
        assertEquals(single.get(0), batch.get(0));
        for (int i = 3; i < inputs.size(); i++) {
            if (i == 8) {
                continue; // checked below without a second slow call
            }
            assertEquals(engine.translate(List.of(inputs.get(i)), "eng-spa").get(0), batch.get(i), "text " + i + ": " + inputs.get(i));
        }
        assertEquals("", batch.get(1));
        assertEquals("", batch.get(2));
        assertFalse(batch.get(3).toLowerCase(Locale.ROOT).contains("coche"), "a word of the next text moved into this one: " + batch.get(3));
        assertTrue(batch.get(6).contains("<b>") && batch.get(6).contains("&amp;") && batch.get(6).contains("[x]")
                && batch.get(6).contains("{z}"), batch.get(6));
        assertFalse(batch.get(7).contains("*unknown"), batch.get(7));
        assertTrue(batch.get(8).length() > longText.length() / 2, "long text truncated");
        assertFalse(batch.stream().anyMatch(t -> t.contains("\n")));
    }

    @Test
    void theFirstLetterFollowsTheSourcesCase() {
        assertEquals("una entidad", ApertiumTranslator.matchInitialCase("Una entidad", "an entity"));
        assertEquals("Una entidad", ApertiumTranslator.matchInitialCase("Una entidad", "An entity"));
        assertEquals("UNESCO es", ApertiumTranslator.matchInitialCase("UNESCO es", "unesco is"));
        List<String> out = ApertiumTranslator.create().translate(List.of("an entity that has physical existence"), "eng-spa");
        assertTrue(out.get(0).startsWith("una "), out.get(0));
    }

    @Test
    void marksAreStrippedUnlessTheSourceHadThem() {
        assertEquals("Hola mundo @foo bar *b", ApertiumTranslator.stripMarks("Hola *mundo @foo #bar *b", "Hello world @foo *b"));
    }

    @Test
    void aProcessKilledMidBatchIsRetriedAndTheResultStaysAligned() throws IOException {
        Path marker = tmp.resolve("died-once");
        Path cmd = fake("if [ ! -e '" + marker + "' ]; then touch '" + marker + "'; head -c 100 >/dev/null; kill -9 $$; fi\n"
                + "tr 'a-z' 'A-Z'");
        List<String> in = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            in.add("sentence number " + i + " is here");
        }
        List<String> out = ApertiumTranslator.builder().optCommand(cmd.toString()).optProcesses(1).build().translate(in, "eng-spa");
        assertEquals(upper(in), out);
        assertEquals(2, calls());
    }

    @Test
    void progressStreamsAndEndsAtTheTotalEvenAfterARetry() throws IOException {
        Path marker = tmp.resolve("died-once");
        Path cmd = fake("if [ ! -e '" + marker + "' ]; then touch '" + marker + "'; head -c 3000 | tr 'a-z' 'A-Z'; kill -9 $$; fi\n"
                + "tr 'a-z' 'A-Z'");
        List<String> in = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            in.add(i % 100 == 0 ? "" : "sentence number " + i + " is here");
        }
        List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> out = ApertiumTranslator.builder().optCommand(cmd.toString()).optProcesses(2).build()
                .translate(in, "eng-spa", (d, t) -> seen.add(new long[] {d, t}));
        assertEquals(upper(in), out);
        assertTrue(seen.size() > 10, "progress should stream, got " + seen.size() + " calls");
        assertEquals(2000, seen.get(seen.size() - 1)[0]);
        assertTrue(seen.stream().allMatch(x -> x[1] == 2000 && x[0] >= 0 && x[0] <= 2000));
    }

    @Test
    void aProcessThatKeepsDyingEndsInAClearError() throws IOException {
        Path cmd = fake("head -c 10 >/dev/null; kill -9 $$");
        ApertiumTranslator engine = ApertiumTranslator.builder().optCommand(cmd.toString()).optProcesses(1).optRetries(2).build();
        BackTranslationException e = assertThrows(BackTranslationException.class,
                () -> engine.translate(List.of("one", "two"), "eng-spa"));
        assertTrue(e.getMessage().contains("apertium eng-spa failed 3 time(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("killed by signal 9"), e.getMessage());
        assertTrue(e.getMessage().contains("optChunkSize"), e.getMessage());
        assertEquals(3, calls());
    }

    @Test
    void outputWithTheWrongNumberOfParagraphsFallsBackToSmallerBatches() throws IOException {
        // more than one paragraph in: one paragraph too many out; a single text is translated correctly
        Path cmd = fake("in=$(cat); n=$(printf '%s' \"$in\" | grep -c .); printf '%s\\n\\n' \"$in\" | tr 'a-z' 'A-Z';"
                + " if [ \"$n\" -gt 1 ]; then printf 'EXTRA\\n\\n'; fi");
        List<String> in = List.of("alpha", "beta", "", "gamma", "delta", "epsilon");
        List<String> out = ApertiumTranslator.builder().optCommand(cmd.toString()).optProcesses(1).build().translate(in, "eng-spa");
        assertEquals(upper(in), out);
    }

    @Test
    void aPipelineThatLosesOutputButExitsNormallyIsNeverMisaligned() throws IOException {
        // first call: half the paragraphs, exit 0 (a middle stage died); then a correct engine
        Path marker = tmp.resolve("truncated-once");
        Path cmd = fake("if [ ! -e '" + marker + "' ]; then touch '" + marker + "'; head -c 40 | tr 'a-z' 'A-Z'; cat >/dev/null; exit 0; fi\n"
                + "tr 'a-z' 'A-Z'");
        List<String> in = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            in.add("text number " + i);
        }
        assertEquals(upper(in), ApertiumTranslator.builder().optCommand(cmd.toString()).optProcesses(1).build().translate(in, "eng-spa"));
    }

    @Test
    void anEngineThatNeverAnswersASingleTextEndsInAnError() throws IOException {
        Path cmd = fake("cat >/dev/null; exit 0");
        BackTranslationException e = assertThrows(BackTranslationException.class, () -> ApertiumTranslator.builder()
                .optCommand(cmd.toString()).optRetries(1).build().translate(List.of("hello"), "eng-spa"));
        assertTrue(e.getMessage().contains("no output for a non-empty text"), e.getMessage());
    }

    @Test
    void aProcessThatHangsIsStoppedAtTheTimeout() throws IOException {
        Path cmd = fake("exec sleep 20");
        ApertiumTranslator engine = ApertiumTranslator.builder().optCommand(cmd.toString()).optTimeout(Duration.ofMillis(500)).build();
        long t0 = System.nanoTime();
        BackTranslationException e = assertThrows(BackTranslationException.class, () -> engine.translate(List.of("x"), "eng-spa"));
        assertTrue(e.getMessage().contains("took longer than"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void aMissingCommandNamesTheAptGetLine() {
        ApertiumTranslator engine = ApertiumTranslator.builder().optCommand(tmp.resolve("no-such-apertium").toString()).build();
        BackTranslationException e = assertThrows(BackTranslationException.class, () -> engine.translate(List.of("x"), "eng-spa"));
        assertTrue(e.getMessage().contains("sudo apt-get install -y apertium-eng-spa"), e.getMessage());
    }

    @Test
    void aMissingPairNamesItsPackage() throws IOException {
        ApertiumTranslator engine = ApertiumTranslator.builder().optCommand(fake("cat").toString()).build();
        BackTranslationException e = assertThrows(BackTranslationException.class, () -> engine.translate(List.of("x"), "en-gl"));
        assertTrue(e.getMessage().contains("no language pair 'en-gl'"), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install -y apertium-en-gl"), e.getMessage());
        assertEquals(0, calls());
    }

    @Test
    void anUnknownPairOfTheRealCommandIsReportedWithAnInstallHint() {
        BackTranslationException e = assertThrows(BackTranslationException.class,
                () -> ApertiumTranslator.create().translate(List.of("x"), "eng-xxx"));
        assertTrue(e.getMessage().contains("no language pair 'eng-xxx'") && e.getMessage().contains("apt-get install -y"), e.getMessage());
    }

    @Test
    void backTranslationGoesThereAndBack() {
        List<String> out = ApertiumTranslator.create().backTranslate(List.of("The cat sat on the mat.", ""), Pivot.SPA);
        assertEquals(2, out.size());
        assertTrue(out.get(0).toLowerCase(Locale.ROOT).contains("cat"), out.get(0));
        assertEquals("", out.get(1));
    }

    @Test
    void identityNamesPackageVersionAndMarkOption() {
        String id = ApertiumTranslator.create().identity("eng-spa");
        assertTrue(id.startsWith("apertium/apertium-eng-spa=") && id.contains("/marks=strip"), id);
        assertFalse(id.contains("=unknown"), "dpkg-query should know apertium-eng-spa: " + id);
        assertTrue(ApertiumTranslator.builder().optUnknownWords(UnknownWords.KEEP).build().identity("eng-spa").contains("marks=keep"));
    }
}
