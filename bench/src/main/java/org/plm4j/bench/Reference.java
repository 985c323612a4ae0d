package org.plm4j.bench;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Python references under {@code bench/src/main/python}: found from the working directory or
 * the bench jar, run with Debian's {@code /usr/bin/python3} and the OpenBLAS overrides unset, their
 * last stdout line read as JSON.
 */
public final class Reference {

    private Reference() {
    }

    /** Runs {@code minilm_reference.py} with {@code args} and returns its JSON result. */
    public static JsonObject run(String... args) throws IOException, InterruptedException {
        return runScript("minilm_reference.py", args);
    }

    /** Runs {@code bench/src/main/python/SCRIPT} with {@code args} and returns its last line as JSON. */
    public static JsonObject runScript(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            throw new IllegalStateException("/usr/bin/python3 is missing; apt-get install -y python3-torch python3-numpy");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", findScript(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        int rc = p.waitFor();
        if (rc != 0 || out.isEmpty()) {
            throw new IllegalStateException("the Python reference " + script + " failed (exit " + rc
                    + "); is python3-torch installed? apt-get install -y python3-torch. Output: " + out);
        }
        return new Gson().fromJson(out.substring(out.lastIndexOf('\n') + 1), JsonObject.class);
    }

    /**
     * Writes token-id batches for the reference: {@code {"batches": [[ids of each row]...],
     * "labels": [[label of each row]...], "classes": k}} (labels only when given).
     */
    public static void writeBatches(Path file, List<List<Integer>> batches, List<int[]> ids, int[] labels, int classes) {
        JsonArray all = new JsonArray();
        JsonArray allLabels = new JsonArray();
        for (List<Integer> batch : batches) {
            JsonArray rows = new JsonArray();
            JsonArray ys = new JsonArray();
            for (int r : batch) {
                JsonArray row = new JsonArray();
                for (int id : ids.get(r)) {
                    row.add(id);
                }
                rows.add(row);
                if (labels != null) {
                    ys.add(labels[r]);
                }
            }
            all.add(rows);
            allLabels.add(ys);
        }
        JsonObject o = new JsonObject();
        o.add("batches", all);
        if (labels != null) {
            o.add("labels", allLabels);
            o.addProperty("classes", classes);
        }
        try {
            Files.writeString(file, o.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a temporary directory and what it holds. */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static Path findScript(String name) {
        String rel = "bench/src/main/python/" + name;
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(Reference.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            // only the working directory
        }
        for (Path s : starts) {
            for (Path d = s; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve(rel))) {
                    return d.resolve(rel);
                }
            }
        }
        throw new IllegalStateException("cannot find " + rel + " above " + starts);
    }
}
