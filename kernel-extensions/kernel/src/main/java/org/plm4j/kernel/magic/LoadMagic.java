package org.plm4j.kernel.magic;

import org.plm4j.extension.magic.MagicUsageException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %load file.jsh|file.ipynb}: runs a JShell script, or the code cells of a notebook in order, in the
 * current kernel (so its declarations stay available).
 */
public final class LoadMagic implements LineMagic<Void, BaseKernel> {

    /** Runs source code as if it were a cell; failures are thrown as the kernel's cell errors. */
    @FunctionalInterface
    public interface SourceRunner {
        void run(String source, String label);
    }

    private final SourceRunner runner;

    public LoadMagic(SourceRunner runner) {
        this.runner = runner;
    }

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.size() != 1) {
            throw new MagicUsageException("expected one file, got " + args.size() + ". Usage: %load path/to/script.jsh or %load notebook.ipynb");
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            throw new MagicUsageException("file " + file.toAbsolutePath() + " does not exist");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".ipynb")) {
            List<String> cells = codeCells(file);
            for (int i = 0; i < cells.size(); i++) {
                runner.run(cells.get(i), name + " cell " + (i + 1));
            }
        } else {
            runner.run(read(file), name);
        }
        return null;
    }

    /** The sources of the code cells of a notebook, in order. */
    public static List<String> codeCells(Path notebook) {
        JsonObject nb;
        try {
            nb = JsonParser.parseString(read(notebook)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new MagicUsageException(notebook + " is not a notebook (JSON): " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        JsonArray cells = nb.has("cells") ? nb.getAsJsonArray("cells") : new JsonArray();
        for (JsonElement c : cells) {
            JsonObject cell = c.getAsJsonObject();
            if ("code".equals(cell.get("cell_type").getAsString())) {
                out.add(sourceOf(cell));
            }
        }
        return out;
    }

    /** The source of a notebook cell, whether stored as a string or a list of lines. */
    public static String sourceOf(JsonObject cell) {
        JsonElement src = cell.get("source");
        if (src == null) {
            return "";
        }
        if (src.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            src.getAsJsonArray().forEach(l -> sb.append(l.getAsString()));
            return sb.toString();
        }
        return src.getAsString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new MagicUsageException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
