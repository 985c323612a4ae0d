package org.plm4j.record;

import org.plm4j.model.Lineage;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonSerializer;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plm4j.corpus.LabeledTexts;

/**
 * Provenance of one run, in the one record schema every kind of run writes (pretrain, dapt, tapt,
 * finetune, backtranslate, robustness, experiment, pca, ...): what was run, on which data, with
 * which software, from which weights, and what came out. Immutable; stored as JSON
 * ({@code run.json}) next to the run's artifacts so any number can be traced back and reproduced.
 *
 * <p>Metric names are snake_case ({@code test_macro_f1}, {@code tokens_per_second}; see
 * {@link Metrics}), so records of one study line up in one table. Records of format version 1
 * (camelCase or dotted metric names, lineage as a string map) are migrated when read.
 *
 * @param formatVersion version of this JSON layout
 * @param kind what ran, e.g. {@code "pretrain"}
 * @param status {@code "completed"}, {@code "stopped-early"}, {@code "cancelled"} or {@code "failed"}
 * @param config the run's settings (model and training), as JSON-friendly values
 * @param seed the run's seed
 * @param versions plm4j, DJL, engine, Java, OS, CPU model and cores ({@link Versions#current()})
 * @param data checksums and counts of the data sets used
 * @param lineage where the weights the run started from came from, oldest step first
 * @param artifacts paths the run read or wrote by snake_case role, e.g. {@code base_checkpoint},
 *     {@code checkpoint}, {@code classifier}
 * @param metrics final numbers by snake_case name (NaN allowed)
 * @param timings start, end and wall-clock seconds
 */
public record RunRecord(
        int formatVersion,
        String kind,
        String status,
        Map<String, Object> config,
        long seed,
        Map<String, String> versions,
        List<DataSet> data,
        Lineage lineage,
        Map<String, String> artifacts,
        Map<String, Double> metrics,
        Timings timings) {

    /** Name of the record file in a run directory. */
    public static final String FILE_NAME = "run.json";
    /** Current {@link #formatVersion()}. */
    public static final int FORMAT_VERSION = 2;

    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues()
            .registerTypeAdapter(Lineage.class, (JsonSerializer<Lineage>) (l, t, c) -> c.serialize(l.toMaps()))
            .registerTypeAdapter(Lineage.class, (JsonDeserializer<Lineage>) (j, t, c) -> Lineage.fromMaps(
                    c.deserialize(j, new TypeToken<List<Map<String, Object>>>() {}.getType())))
            .create();

    /** Checks the metric and artifact names and copies the collections (unmodifiable). */
    public RunRecord {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        versions = versions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        data = data == null ? List.of() : List.copyOf(data);
        lineage = lineage == null ? Lineage.EMPTY : lineage;
        artifacts = artifacts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        for (String k : metrics.keySet()) {
            checkName("metric", k);
        }
        for (String k : artifacts.keySet()) {
            checkName("artifact", k);
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || !SNAKE.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name + "' is not snake_case (lower-case letters, "
                    + "digits and _ , starting with a letter); e.g. " + Metrics.snakeCase(String.valueOf(name)));
        }
    }

    /**
     * A record of the current format stamped with this machine's {@link Versions#current()}.
     *
     * @param status see {@link #status()}
     */
    public static RunRecord of(String kind, String status, Map<String, Object> config, long seed, List<DataSet> data,
                               Lineage lineage, Map<String, String> artifacts, Map<String, Double> metrics,
                               Timings timings) {
        return new RunRecord(FORMAT_VERSION, kind, status, config, seed, Versions.current(), data, lineage, artifacts,
                metrics, timings);
    }

    /**
     * A data set a run used.
     *
     * @param role e.g. {@code "train"}, {@code "heldout"}, {@code "corpus"}
     * @param name the corpus name
     * @param sha256 the corpus checksum
     * @param texts number of texts
     * @param tokens number of tokens (or -1 when not counted)
     */
    public record DataSet(String role, String name, String sha256, long texts, long tokens) {

        /**
         * A labelled split under {@code role}: its name, size (tokens not counted, -1) and the
         * SHA-256 of its texts and labels in order (each pair as {@code text \t label \n}, UTF-8),
         * so two runs on the same split carry the same checksum.
         */
        public static DataSet of(String role, LabeledTexts texts) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < texts.size(); i++) {
                    md.update(texts.text(i).getBytes(StandardCharsets.UTF_8));
                    md.update((byte) '\t');
                    md.update(texts.label(i).getBytes(StandardCharsets.UTF_8));
                    md.update((byte) '\n');
                }
                return new DataSet(role, texts.name(), HexFormat.of().formatHex(md.digest()), texts.size(), -1);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }
    }

    /**
     * When a run happened.
     *
     * @param start ISO-8601 instant
     * @param end ISO-8601 instant
     * @param wallSeconds elapsed seconds
     */
    public record Timings(String start, String end, double wallSeconds) {
        /** Timings between two instants. */
        public static Timings between(Instant start, Instant end) {
            return new Timings(start.toString(), end.toString(), Duration.between(start, end).toNanos() / 1e9);
        }
    }

    /** A metric, or NaN when absent. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    /** The record as pretty-printed JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Parses JSON written by {@link #toJson()}; a record of format version 1 is migrated: metric
     * names become snake_case, its lineage map becomes structured steps, paths become artifacts.
     *
     * @throws IllegalArgumentException if it is not a run record
     */
    public static RunRecord fromJson(String json) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("kind")) {
                throw new IllegalArgumentException("not a plm4j run record (no 'kind'): "
                        + json.substring(0, Math.min(80, json.length())));
            }
            JsonObject o = root.getAsJsonObject();
            int version = o.has("formatVersion") ? o.get("formatVersion").getAsInt() : 1;
            if (version > FORMAT_VERSION) {
                throw new IllegalArgumentException("run record format " + version + " is newer than this plm4j reads ("
                        + FORMAT_VERSION + "); update plm4j");
            }
            if (version < 2) {
                migrateV1(o);
            }
            return GSON.fromJson(o, RunRecord.class);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a valid run record: " + e.getMessage(), e);
        }
    }

    private static final Pattern V1_STEP = Pattern.compile("(?:finetune\\.)?step(\\d+)(?:\\.(.+))?");
    private static final Pattern V1_STEP_TEXT = Pattern.compile("(\\S+) corpus=(\\S*) sha256=(\\S*) steps=(\\S*)");

    /** Format 1 to 2, in place. */
    private static void migrateV1(JsonObject o) {
        JsonObject metrics = new JsonObject();
        if (o.has("metrics") && o.get("metrics").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("metrics").entrySet()) {
                metrics.add(Metrics.snakeCase(e.getKey()), e.getValue());
            }
        }
        o.add("metrics", metrics);
        java.util.TreeMap<Integer, Map<String, String>> steps = new java.util.TreeMap<>();
        JsonObject artifacts = new JsonObject();
        if (o.has("lineage") && o.get("lineage").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("lineage").entrySet()) {
                String key = e.getKey();
                String value = e.getValue().isJsonNull() ? "" : e.getValue().getAsString();
                Matcher m = V1_STEP.matcher(key);
                if (m.matches()) {
                    Map<String, String> step = steps.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new LinkedHashMap<>());
                    if (m.group(2) != null) {
                        step.put(m.group(2), value);
                    } else {
                        Matcher t = V1_STEP_TEXT.matcher(value);
                        if (t.matches()) {
                            step.put("kind", t.group(1));
                            step.put("source", t.group(2));
                            step.put("sha256", t.group(3));
                            step.put("steps", t.group(4));
                        } else {
                            step.put("kind", value);
                        }
                    }
                } else if (!key.equals("adaptation") && !key.equals("finetune.adaptation")) {
                    artifacts.addProperty(Metrics.snakeCase(key), value);
                }
            }
        }
        JsonArray lineage = new JsonArray();
        steps.values().forEach(step -> {
            JsonObject s = new JsonObject();
            step.forEach(s::addProperty);
            lineage.add(s);
        });
        o.add("lineage", lineage);
        o.add("artifacts", artifacts);
        o.addProperty("formatVersion", FORMAT_VERSION);
    }

    /**
     * Writes {@code run.json} into {@code runDir} atomically (temporary file, then move).
     *
     * @return the written file
     */
    public Path write(Path runDir) {
        try {
            Files.createDirectories(runDir);
            Path target = runDir.resolve(FILE_NAME);
            Path tmp = Files.createTempFile(runDir, ".run-", ".json.tmp");
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the run record to " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a record from a {@code run.json} file or from a run directory containing one (format 1 is migrated). */
    public static RunRecord load(Path fileOrDir) {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE_NAME) : fileOrDir;
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the run record " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RunRecord[").append(kind).append(", ").append(status)
                .append(", seed ").append(seed);
        if (timings != null) {
            sb.append(String.format(", %.1f s", timings.wallSeconds()));
        }
        data.stream().limit(3).forEach(d -> sb.append(", ").append(d.role()).append('=').append(d.name()));
        metrics.entrySet().stream().limit(6).forEach(e -> sb.append(String.format(", %s=%.4g", e.getKey(), e.getValue())));
        return sb.append(']').toString();
    }
}
