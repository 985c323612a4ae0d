package org.plm4j.kernel.cli;

import com.google.gson.JsonObject;
import org.plm4j.kernel.runner.NotebookRunner;
import org.plm4j.kernel.runner.ParameterInjector;
import org.plm4j.kernel.runner.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code run FILE.ipynb|FILE.jsh [-p name=value]... [-o OUT.ipynb] [--timeout SECONDS]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Execute a notebook's code cells (outputs written back, like nbconvert --execute --inplace) or a .jsh script, without Jupyter.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "a .ipynb notebook or a .jsh script")
    Path file;
    @Option(names = {"-p", "--parameter"}, paramLabel = "name=value", description = "override a parameter (papermill style); repeatable")
    List<String> parameters = List.of();
    @Option(names = {"-o", "--output"}, paramLabel = "OUT.ipynb", description = "write the executed notebook here instead of overwriting FILE")
    Path output;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "interrupt a cell that runs longer than this")
    Long timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            System.err.println("No such file: " + file.toAbsolutePath());
            return 2;
        }
        Map<String, String> params = new LinkedHashMap<>();
        try {
            for (String p : parameters) {
                Map.Entry<String, String> e = ParameterInjector.parse(p);
                params.put(e.getKey(), e.getValue());
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Duration timeout = timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds);
        boolean script = !file.toString().endsWith(".ipynb");
        try (NotebookRunner runner = NotebookRunner.withNewKernel()) {
            RunResult result;
            if (script) {
                String source = Files.readString(file);
                if (!params.isEmpty()) {
                    source = ParameterInjector.injectionCode("", params) + source;
                }
                result = runner.runScript(source, file.getFileName().toString(), System.out, System.err, timeout);
            } else {
                JsonObject nb = NotebookRunner.read(file);
                result = runner.run(nb, params, timeout);
                Path target = output != null ? output : file;
                NotebookRunner.write(nb, target);
                System.err.println("Executed " + result.cellsRun() + " code cells of " + file + "; wrote " + target);
            }
            if (!result.succeeded()) {
                System.err.println(result.failureSummary());
                return 1;
            }
            return 0;
        }
    }
}
