package org.plm4j.kernel.runner;

import com.google.gson.FormattingStyle;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.plm4j.kernel.CellOutcome;
import org.plm4j.kernel.JavaKernel;
import org.plm4j.kernel.engine.CellError;
import org.plm4j.kernel.magic.LoadMagic;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs notebooks and JShell scripts without Jupyter: the code cells go through {@link JavaKernel#execute} with a
 * {@link LocalReplyEnvironment}, so magics, renderers, extensions and live displays behave as in a notebook.
 * Outputs are stored like Jupyter stores them (nbformat 4). The run stops at the first failing cell.
 */
public final class NotebookRunner implements AutoCloseable {

    private final JavaKernel kernel;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plm4j-runner-timeout");
        t.setDaemon(true);
        return t;
    });

    /** Uses a started kernel (see {@link #withNewKernel()}). */
    public NotebookRunner(JavaKernel kernel) {
        this.kernel = kernel;
    }

    /** A runner on a new kernel that sees this JVM's class path, with extensions installed. */
    public static NotebookRunner withNewKernel() {
        JavaKernel kernel = JavaKernel.builder().build();
        kernel.onStartup();
        return new NotebookRunner(kernel);
    }

    /**
     * Executes the code cells of a notebook in place: outputs and execution counts are replaced.
     *
     * @param notebook   nbformat 4 JSON, modified in place
     * @param parameters papermill-style parameters (may be empty)
     * @param timeout    per-cell limit, or null for none
     */
    public RunResult run(JsonObject notebook, Map<String, String> parameters, Duration timeout) {
        if (!parameters.isEmpty()) {
            ParameterInjector.inject(notebook, parameters);
        }
        NotebookOutputs outputs = new NotebookOutputs();
        JsonArray cells = notebook.getAsJsonArray("cells");
        int ran = 0;
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            String source = LoadMagic.sourceOf(cell);
            JsonArray cellOutputs = new JsonArray();
            cell.add("outputs", cellOutputs);
            if (source.isBlank()) {
                cell.add("execution_count", null);
                continue;
            }
            int count = kernel.nextExecutionCount();
            cell.addProperty("execution_count", count);
            ran++;
            CellOutcome outcome = execute(source, count, "cell [" + count + "]", timeout, content -> outputs.add(cellOutputs, content));
            if (!outcome.succeeded()) {
                return new RunResult(ran, i, source.lines().findFirst().orElse(""), outcome.error());
            }
        }
        return new RunResult(ran, -1, "", Optional.empty());
    }

    /**
     * Runs a JShell script as one cell, printing its output: stdout and text/plain displays to {@code out},
     * stderr and errors to {@code err}.
     */
    public RunResult runScript(String source, String label, PrintStream out, PrintStream err, Duration timeout) {
        int count = kernel.nextExecutionCount();
        CellOutcome outcome = execute(source, count, label, timeout, content -> {
            if (content instanceof PublishStream s) {
                (s.getStreamType() == PublishStream.StreamType.ERR ? err : out).print(s.getText());
            } else if (content instanceof PublishError e) {
                err.println(String.join("\n", e.getStacktrace()));
            } else {
                String text = NotebookOutputs.plainText(content);
                if (text != null) {
                    out.println(text);
                }
            }
        });
        out.flush();
        err.flush();
        return new RunResult(1, outcome.succeeded() ? -1 : 0,
                outcome.succeeded() ? "" : source.lines().filter(l -> !l.isBlank()).findFirst().orElse(""), outcome.error());
    }

    private CellOutcome execute(String source, int count, String label, Duration timeout, java.util.function.Consumer<Object> sink) {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> guard = timeout == null ? null : timer.schedule(() -> {
            timedOut.set(true);
            kernel.interrupt();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        CellOutcome outcome = kernel.execute(new LocalReplyEnvironment(sink), source, count, false, label);
        if (guard != null) {
            guard.cancel(false);
        }
        if (timedOut.get() && !outcome.succeeded()) {
            CellError e = outcome.error().orElseThrow();
            return new CellOutcome(count, Optional.of(new CellError("Timeout",
                    "the cell ran longer than the timeout of " + timeout.toSeconds() + " s and was interrupted; raise --timeout",
                    e.traceback())));
        }
        return outcome;
    }

    /** Reads a notebook file. */
    public static JsonObject read(Path file) throws IOException {
        JsonElement json = JsonParser.parseString(Files.readString(file));
        if (!json.isJsonObject() || !json.getAsJsonObject().has("cells")) {
            throw new IOException(file + " is not an nbformat 4 notebook (no \"cells\")");
        }
        return json.getAsJsonObject();
    }

    /** Writes a notebook file (indent 1, like Jupyter). */
    public static void write(JsonObject notebook, Path file) throws IOException {
        String json = new GsonBuilder().setFormattingStyle(FormattingStyle.PRETTY.withIndent(" "))
                .disableHtmlEscaping().serializeNulls().create().toJson(notebook);
        Files.writeString(file, json + "\n");
    }

    /** The kernel the cells run in. */
    public JavaKernel kernel() {
        return kernel;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        kernel.onShutdown(false);
    }

}
