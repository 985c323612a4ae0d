package org.plm4j.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotebookRunnerTest {

    private static NotebookRunner runner;

    @BeforeAll
    static void start() {
        runner = NotebookRunner.withNewKernel();
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static JsonObject notebook(String... codeCells) {
        JsonArray cells = new JsonArray();
        for (String code : codeCells) {
            JsonObject c = new JsonObject();
            c.addProperty("cell_type", "code");
            JsonObject meta = new JsonObject();
            if (code.startsWith("int greeting")) {
                JsonArray tags = new JsonArray();
                tags.add("parameters");
                meta.add("tags", tags);
            }
            c.add("metadata", meta);
            c.add("outputs", new JsonArray());
            c.addProperty("source", code);
            cells.add(c);
        }
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", new JsonObject());
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        return nb;
    }

    @Test
    void executesCellsAndStoresOutputsLikeJupyter(@TempDir Path dir) throws Exception {
        JsonObject nb = notebook(
                "int greeting = 1;",
                "System.out.println(\"a\");\nSystem.out.println(\"b\");\nSystem.err.println(\"c\");\ngreeting * 10",
                "String id = display(\"0 %\");\nupdateDisplay(id, \"100 %\");");
        Path file = dir.resolve("t.ipynb");
        NotebookRunner.write(nb, file);
        JsonObject executed = NotebookRunner.read(file);
        RunResult result = runner.run(executed, Map.of("greeting", "4"), Duration.ofSeconds(60));
        assertTrue(result.succeeded(), result::failureSummary);
        NotebookRunner.write(executed, file);
        executed = NotebookRunner.read(file);
        JsonArray cells = executed.getAsJsonArray("cells");
        assertEquals(4, cells.size(), "the injected-parameters cell follows the parameters cell");
        JsonArray outputs = cells.get(2).getAsJsonObject().getAsJsonArray("outputs");
        assertEquals("{\"output_type\":\"stream\",\"name\":\"stdout\",\"text\":\"a\\nb\\n\"}", outputs.get(0).toString());
        assertEquals("{\"output_type\":\"stream\",\"name\":\"stderr\",\"text\":\"c\\n\"}", outputs.get(1).toString());
        JsonObject result2 = outputs.get(2).getAsJsonObject();
        assertEquals("execute_result", result2.get("output_type").getAsString());
        assertEquals("40", result2.getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals(cells.get(2).getAsJsonObject().get("execution_count"), result2.get("execution_count"));

        JsonArray display = cells.get(3).getAsJsonObject().getAsJsonArray("outputs");
        assertEquals(1, display.size(), "update_display_data replaces the display instead of adding an output");
        assertEquals("100 %", display.get(0).getAsJsonObject().getAsJsonObject("data").get("text/plain").getAsString());
        assertFalse(display.get(0).getAsJsonObject().has("transient"));
    }

    @Test
    void stopsAtTheFirstFailingCellAndNamesIt() {
        JsonObject nb = notebook("int ok = 1;", "Object o = null;\no.toString();", "System.out.println(\"never\");");
        RunResult result = runner.run(nb, Map.of(), null);
        assertFalse(result.succeeded());
        assertEquals(1, result.failedCell());
        assertEquals("Cell 1 (Object o = null;) failed: NullPointerException", result.failureSummary().replaceAll(": Cannot invoke.*", ""));
        JsonObject error = nb.getAsJsonArray("cells").get(1).getAsJsonObject().getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertEquals("error", error.get("output_type").getAsString());
        assertEquals("NullPointerException", error.get("ename").getAsString());
        assertTrue(error.getAsJsonArray("traceback").size() >= 2);
        assertEquals(0, nb.getAsJsonArray("cells").get(2).getAsJsonObject().getAsJsonArray("outputs").size());
    }

    @Test
    void aCellOverTheTimeoutIsInterrupted() {
        JsonObject nb = notebook("while (true) { }");
        RunResult result = runner.run(nb, Map.of(), Duration.ofSeconds(1));
        assertEquals("Timeout", result.error().orElseThrow().ename());
    }

    @Test
    void runsAJShellScriptPrintingItsOutput(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String script = Files.writeString(dir.resolve("s.jsh"), "int k = 6;\nSystem.out.println(\"k=\" + k);\nk * 7\n").toString();
        RunResult ok = runner.runScript(Files.readString(Path.of(script)), "s.jsh", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null);
        assertTrue(ok.succeeded());
        assertEquals("k=6\n42\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
