package org.plm4j.kernel.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JShellEngineTest {

    private static JShellEngine engine;

    @BeforeAll
    static void start() {
        engine = new JShellEngine(List.of());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void splitsACellIntoSnippetsWithTheirOffsets() {
        String cell = "import java.util.*;\nint x = 1;\n// comment\nvoid f() {\n  x++;\n}\nx + 1";
        List<SnippetSource> pieces = engine.split(cell);
        assertEquals(4, pieces.size(), pieces::toString);
        assertEquals("import java.util.*;", pieces.get(0).source().strip());
        assertTrue(pieces.get(2).source().contains("void f() {\n  x++;\n}"), pieces.get(2).source());
        assertEquals(cell.indexOf("x + 1"), pieces.get(3).offset() + pieces.get(3).source().indexOf("x + 1"));
    }

    @Test
    void returnsTheRealObjectOfATrailingExpression() {
        Object value = engine.evaluate("java.util.List<Integer> xs = java.util.List.of(1, 2);\nxs", "t").orElseThrow();
        assertEquals(List.of(1, 2), value);
        assertTrue(engine.evaluate("int unused = 3;", "t").isEmpty());
        assertTrue(engine.evaluate("System.out.print(\"\")", "t").isEmpty(), "void expressions have no value");
    }

    @Test
    void laterSnippetsDoNotRunAfterAFailure() {
        CellFailureException e = assertThrows(CellFailureException.class,
                () -> engine.evaluate("int before = 1;\nint boom = 1 / 0;\nint after = 2;", "cell [9]"));
        assertEquals("ArithmeticException", e.error().ename());
        assertTrue(e.error().text().contains("cell [9] line 2"), e.error().text());
        assertEquals(1, engine.evaluate("before", "t").orElseThrow());
        assertThrows(CellFailureException.class, () -> engine.evaluate("after", "t"));
    }

    @Test
    void incompleteInputIsReportedByTheCompiler() {
        CellFailureException e = assertThrows(CellFailureException.class, () -> engine.evaluate("int y = 2;\nfor (int i = 0; i < 3; i++) {", "t"));
        assertEquals("CompilationError", e.error().ename());
        assertTrue(e.error().evalue().startsWith("line 2"), e.error().evalue());
    }

    private static CellError failureOf(String cell) {
        return assertThrows(CellFailureException.class, () -> engine.evaluate(cell, "exit")).error();
    }

    @Test
    void systemExitInACellIsAnErrorAndTheSessionKeepsItsVariables() {
        engine.evaluate("int keptAcrossExit = 41;", "t");
        CellError e = failureOf("System.exit(3);");
        assertEquals("CellExitError", e.ename());
        assertTrue(e.evalue().startsWith("System.exit(3) was called from cell code and blocked"), e.evalue());
        assertTrue(e.evalue().contains("Kernel > Restart"), e.evalue());
        assertEquals(42, engine.evaluate("keptAcrossExit + 1", "t").orElseThrow());
    }

    @Test
    void runtimeExitAndHaltInAMethodTheCellDefinesAreErrors() {
        engine.evaluate("void quit(int code) { Runtime.getRuntime().exit(code); }\nvoid halt() { Runtime.getRuntime().halt(9); }", "t");
        assertTrue(failureOf("quit(4);").evalue().startsWith("Runtime.exit(4)"));
        assertTrue(failureOf("halt();").evalue().startsWith("Runtime.halt(9)"));
        // a catch (Exception e) around the call does not hide it
        assertTrue(failureOf("try { System.exit(1); } catch (Exception e) { }").evalue().startsWith("System.exit(1)"));
    }

    @Test
    void exitThroughAMethodReferenceOrAClassTheCellDeclaresIsAnError() {
        assertTrue(failureOf("java.util.function.IntConsumer q = System::exit;\nq.accept(6);").evalue().startsWith("System.exit(6)"));
        assertTrue(failureOf("java.util.function.IntConsumer q = Runtime.getRuntime()::halt;\nq.accept(7);").evalue().startsWith("Runtime.halt(7)"));
        engine.evaluate("class Quitter { static void go() { System.exit(8); } }", "t");
        assertTrue(failureOf("Quitter.go();").evalue().startsWith("System.exit(8)"));
    }

    @Test
    void exitInAThreadTheCellStartsEndsOnlyThatThread() {
        Object caught = engine.evaluate("""
                Throwable[] seen = new Throwable[1];
                Thread t = new Thread(() -> System.exit(5));
                t.setUncaughtExceptionHandler((th, ex) -> seen[0] = ex);
                t.start();
                t.join();
                seen[0].getMessage()
                """, "t").orElseThrow();
        assertTrue(String.valueOf(caught).startsWith("System.exit(5) was called from cell code and blocked"), String.valueOf(caught));
        assertEquals(2, engine.evaluate("1 + 1", "t").orElseThrow());
    }
}
