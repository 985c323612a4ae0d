package org.plm4j.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.datasets.Foldoc;
import org.plm4j.kernel.runner.NotebookRunner;
import org.plm4j.kernel.runner.RunResult;

/** {@code %dataset} in a real kernel session (headless runner): list, load with --as, help, a usage error. */
class DatasetMagicScriptTest {

    @TempDir
    Path cache;

    @Test
    void loadBindsTheDatasetAndUsageErrorsAreExplained() {
        assumeTrue(Foldoc.isInstalled(), "dict-foldoc not installed");
        String script = String.join("\n",
                "%dataset list --cache " + cache,
                "%dataset load foldoc-topics --as topics --cache " + cache,
                "System.out.println(\"bound \" + topics.getClass().getSimpleName() + \" test=\" + topics.test().size());",
                "%dataset --help",
                "%dataset info",
                "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RunResult r;
        try (NotebookRunner runner = NotebookRunner.withNewKernel()) {
            r = runner.runScript(script, "datasets.jsh", new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMinutes(3));
        }
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8) + r.failureSummary();
        assertTrue(o.contains("wordnet-supersenses"), o);
        int test = org.plm4j.datasets.Datasets.store(cache).cached("foldoc-topics").orElseThrow().count("test");
        assertTrue(o.contains("bound LabeledDataset test=" + test), o);
        assertTrue(o.contains("Datasets.task(\"foldoc-topics\")"), "help shows the Java call: " + o);
        assertFalse(r.succeeded());
        assertTrue(e.contains("%dataset info needs a dataset name"), e);
    }
}
