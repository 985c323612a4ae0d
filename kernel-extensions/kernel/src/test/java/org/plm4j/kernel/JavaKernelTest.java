package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plm4j.kernel.engine.CellError;
import org.plm4j.kernel.testing.Greeting;
import org.plm4j.kernel.testing.KernelHarness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaKernelTest {

    private static JavaKernel kernel;
    private static KernelHarness cells;

    private static String startupErrors;

    @BeforeAll
    static void start() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            kernel = JavaKernel.builder().build();
            kernel.onStartup();
        } finally {
            System.setErr(oldErr);
        }
        startupErrors = err.toString();
        cells = new KernelHarness(kernel);
    }

    @Test
    void extensionsAreInstalledAndAFailingOneIsReportedNotFatal() {
        assertTrue(startupErrors.contains("extension org.plm4j.kernel.testing.BrokenExtension failed to install and is disabled")
                && startupErrors.contains("broken on purpose"), startupErrors);
        KernelHarness.Cell cell = cells.run("%greet Grace Hopper");
        assertTrue(cell.outcome().succeeded(), () -> cell.outcome().toString());
        List<Object> displays = cell.of(PublishDisplayData.class);
        assertEquals(2, displays.size());
        assertEquals("greeting 0/1", KernelHarness.data((PublishDisplayData) displays.get(0)).get("text/plain"));
        assertEquals("Greeting[name=Grace Hopper]", KernelHarness.data((PublishDisplayData) displays.get(1)).get("text/plain"));
        List<Object> updates = cell.of(PublishUpdateDisplayData.class);
        assertEquals(1, updates.size());
        assertEquals("greet-progress", ((PublishUpdateDisplayData) updates.get(0)).getDisplayId());
        assertNull(cell.result(), "a magic returning null shows no execute_result");
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void languageInfoNamesTheJavaFeatureReleaseSoNotebooksStayCleanAcrossJdkUpdates() {
        var info = kernel.getLanguageInfo();
        assertEquals("java", info.getName());
        assertEquals(String.valueOf(Runtime.version().feature()), info.getVersion(),
                "a full runtime version (e.g. 17.0.15+6-Debian) would differ from the notebooks' stored language_info");
        assertEquals("text/x-java", info.getCodemirrorMode());
    }

    @Test
    void trailingExpressionIsRenderedAsResult() {
        KernelHarness.Cell cell = cells.run("int a = 20;\nint b = 22;\na + b");
        assertTrue(cell.outcome().succeeded());
        assertEquals("42", cell.result().get("text/plain"));
    }

    @Test
    void declarationsAndStatementsGiveNoResult() {
        KernelHarness.Cell cell = cells.run("record Point(int x, int y) {}\nimport java.util.*;\nList<Integer> xs = new ArrayList<>();\nxs.add(1);\nint size() { return xs.size(); }");
        assertTrue(cell.outcome().succeeded(), () -> cell.outcome().toString());
        assertNull(cell.result());
        assertEquals("Point[x=1, y=2] 1", cells.run("new Point(1, 2) + \" \" + size()").result().get("text/plain"));
    }

    @Test
    void cellObjectsUseTheKernelsClassesAndRenderers() {
        kernel.getRenderer().createRegistration(Greeting.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((g, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b>" + g.name() + "</b>"));
        KernelHarness.Cell cell = cells.run("new org.plm4j.kernel.testing.Greeting(\"Ada\")");
        assertEquals("<b>Ada</b>", cell.result().get("text/html"));

        Greeting.shared = new Greeting("from the kernel");
        KernelHarness.Cell read = cells.run("org.plm4j.kernel.testing.Greeting.shared.name()");
        assertEquals("from the kernel", read.result().get("text/plain"));
        assertTrue(cells.run("org.plm4j.kernel.testing.Greeting.shared == null").result().get("text/plain").equals("false"));
    }

    @Test
    void compileErrorNamesTheCellLineWithACaret() {
        KernelHarness.Cell cell = cells.run("int fine = 1;\n\nString s = missingName + 1;");
        CellError error = cell.outcome().error().orElseThrow();
        assertEquals("CompilationError", error.ename());
        assertTrue(error.evalue().startsWith("line 3: cannot find symbol"), error.evalue());
        assertTrue(error.text().contains("   3 | String s = missingName + 1;"), error.text());
        String sourceLine = "   3 | String s = missingName + 1;";
        String caretLine = error.traceback().get(error.traceback().indexOf(sourceLine) + 1);
        assertEquals(sourceLine.indexOf("missingName"), caretLine.indexOf('^'), caretLine);
        assertEquals("^".repeat("missingName".length()), caretLine.strip());
    }

    @Test
    void runtimeExceptionShowsOnlyUserFrames() {
        KernelHarness.Cell cell = cells.run("int divide(int a, int b) {\n  return a / b;\n}\ndivide(1, 0)");
        CellError error = cell.outcome().error().orElseThrow();
        assertEquals("ArithmeticException", error.ename());
        assertEquals("/ by zero", error.evalue());
        assertTrue(error.traceback().get(0).startsWith("java.lang.ArithmeticException: / by zero"));
        assertTrue(error.text().contains("divide (cell"), error.text());
        assertFalse(error.text().contains("jdk.jshell"), error.text());
        assertFalse(error.text().contains("org.plm4j.kernel"), error.text());
        assertEquals("3", cells.run("1 + 2").result().get("text/plain"));
    }

    @Test
    void helpfulNullPointerMessagesNameTheVariableNotJShellsWrapper() {
        cells.run("String unset = null;");
        CellError error = cells.run("unset.length()").outcome().error().orElseThrow();
        assertEquals("NullPointerException", error.ename());
        assertTrue(error.evalue().contains("because \"unset\" is null"), error.evalue());
        assertFalse(error.text().contains("$JShell$"), error.text());
    }

    @Test
    void stdoutAndStderrStreamFromCellAndItsThreads() {
        KernelHarness.Cell cell = cells.run("System.out.println(\"out\");\nSystem.err.println(\"err\");\n"
                + "Thread t = new Thread(() -> System.out.println(\"thread\"));\nt.start();\nt.join();");
        assertEquals("out\nthread\n", cell.stdout());
        assertEquals("err\n", cell.stderr());
    }

    @Test
    void displaysAndUpdatesArePublishedDuringTheCell() {
        KernelHarness.Cell cell = cells.run("String id = display(\"0%\");\nfor (int i = 1; i <= 2; i++) updateDisplay(id, (i * 50) + \"%\");");
        assertTrue(cell.outcome().succeeded());
        assertEquals(1, cell.of(PublishDisplayData.class).size());
        List<Object> updates = cell.of(PublishUpdateDisplayData.class);
        assertEquals(2, updates.size());
        assertEquals("100%", KernelHarness.data((PublishUpdateDisplayData) updates.get(1)).get("text/plain"));
    }

    @Test
    void interruptStopsABusyLoopAndTheKernelStaysUsable() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(kernel::interrupt, 500, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            KernelHarness.Cell cell = cells.run("long n = 0;\nwhile (true) { n++; }");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(CellError.INTERRUPTED, cell.outcome().error().orElseThrow().ename());
            assertTrue(millis < 4000, "took " + millis + " ms");
            assertEquals("2", cells.run("1 + 1").result().get("text/plain"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void interruptSetsTheFlagSoCooperativeLoopsEndCleanly() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            // interrupt once the loop runs (a fixed delay could hit the compiler on a busy machine)
            System.clearProperty("plm4j.test.looping");
            timer.submit(() -> {
                while (System.getProperty("plm4j.test.looping") == null) {
                    Thread.sleep(10);
                }
                kernel.interrupt();
                return null;
            });
            KernelHarness.Cell cell = cells.run("int steps = 0;\n{\n  System.setProperty(\"plm4j.test.looping\", \"yes\");\n"
                    + "  while (!Thread.currentThread().isInterrupted()) { steps++; }\n  System.out.println(\"stopped cleanly\");\n}");
            assertEquals(CellError.INTERRUPTED, cell.outcome().error().orElseThrow().ename());
            assertEquals("stopped cleanly\n", cell.stdout());
            assertTrue(cells.run("steps > 0").result().get("text/plain").equals("true"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void unknownMagicIsAReadableErrorAndMagicsRunInOrder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        CellError error = cells.run("%nope a b").outcome().error().orElseThrow();
        assertEquals("MagicError", error.ename());
        assertTrue(error.evalue().contains("unknown line magic %nope") && error.evalue().contains("%maven"), error.evalue());

        Path script = dir.resolve("helpers.jsh");
        Files.writeString(script, "int twice(int x) { return 2 * x; }\nSystem.out.println(\"loaded\");\n");
        KernelHarness.Cell cell = cells.run("System.out.println(\"before\");\n%load " + script + "\ntwice(21)");
        assertTrue(cell.outcome().succeeded(), () -> cell.outcome().toString());
        assertEquals("before\nloaded\n", cell.stdout());
        assertEquals("42", cell.result().get("text/plain"));

        Path notebook = dir.resolve("lib.ipynb");
        Files.writeString(notebook, "{\"cells\":[{\"cell_type\":\"markdown\",\"metadata\":{},\"source\":\"# helpers\"},"
                + "{\"cell_type\":\"code\",\"metadata\":{},\"outputs\":[],\"source\":[\"int thrice(int x) {\\n\", \"  return 3 * x;\\n\", \"}\"]},"
                + "{\"cell_type\":\"code\",\"metadata\":{},\"outputs\":[],\"source\":\"System.out.println(thrice(2));\"}],"
                + "\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}");
        KernelHarness.Cell fromNotebook = cells.run("%load " + notebook + "\nthrice(5)");
        assertEquals("6\n", fromNotebook.stdout());
        assertEquals("15", fromNotebook.result().get("text/plain"));
    }

    @Test
    void interruptReachesARunningMagic() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(kernel::interrupt, 300, TimeUnit.MILLISECONDS);
            KernelHarness.Cell cell = cells.run("%spin");
            assertEquals(CellError.INTERRUPTED, cell.outcome().error().orElseThrow().ename());
            assertEquals("spinning\nstopped after the interrupt\n", cell.stdout());
            assertEquals("5", cells.run("2 + 3").result().get("text/plain"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void jarsMagicAddsCompiledClassesToTheCells(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/demo")).resolve("Hello.java");
        Files.writeString(src, "package demo; public class Hello { public String hi() { return \"hi from a jar\"; } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        Path lib = Files.createDirectories(dir.resolve("lib"));
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(lib.resolve("demo.jar")))) {
            jar.putNextEntry(new java.util.jar.JarEntry("demo/Hello.class"));
            jar.write(Files.readAllBytes(classes.resolve("demo/Hello.class")));
            jar.closeEntry();
        }
        KernelHarness.Cell added = cells.run("%jars " + lib + "/*.jar");
        assertTrue(added.outcome().succeeded(), () -> added.outcome().toString());
        assertTrue(added.stdout().startsWith("Added to the class path: 1 entry"), added.stdout());
        assertEquals("hi from a jar", cells.run("new demo.Hello().hi()").result().get("text/plain"));
        CellError missing = cells.run("%jars " + dir.resolve("nothing") + "/*.jar").outcome().error().orElseThrow();
        assertTrue(missing.evalue().startsWith("no file matches"), missing.evalue());
    }

    @Test
    void completionAndIsCompleteUseJShellAnalysis() {
        assertTrue(kernel.complete("\"abc\".toUpperC", 14).getReplacements().contains("toUpperCase("));
        assertEquals("complete", kernel.isComplete("int x = 1;"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 2; i++) {"));
        assertEquals("invalid", kernel.isComplete("}"));
        assertNotNull(kernel.inspect("Math.max", 8, false));
    }
}
