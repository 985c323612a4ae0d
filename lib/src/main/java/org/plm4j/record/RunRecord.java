package org.plm4j.record;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
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
import org.plm4j.corpus.LabeledTexts;

/**
 * Provenance of one run (pretraining, fine-tuning, evaluation): what was run, on which data,
 * with which software, and what came out. Immutable; stored as JSON ({@code run.json}) next to
 * the run's artifacts so any number can be traced back and reproduced.
 *
 * @param formatVersion version of this JSON layout
 * @param kind what ran, e.g. {@code "pretrain"}
 * @param status {@code "completed"}, {@code "cancelled"} or {@code "failed"}
 * @param config the run's settings (model and training), as JSON-friendly values
 * @param seed the run's seed
 * @param versions plm4j, DJL, engine, Java, OS, CPU model and cores ({@link Versions#current()})
 * @param data checksums and counts of the data sets used
 * @param lineage where the run started from, e.g. {@code baseCheckpoint}, and what it wrote
 * @param metrics final numbers (NaN allowed)
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
        Map<String, String> lineage,
        Map<String, Double> metrics,
        Timings timings) {

    /** Name of the record file in a run directory. */
    public static final String FILE_NAME = "run.json";
    /** Current {@link #formatVersion()}. */
    public static final int FORMAT_VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    /** Copies the collections (unmodifiable). */
    public RunRecord {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        versions = versions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        data = data == null ? List.of() : List.copyOf(data);
        lineage = lineage == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
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
     * Parses JSON written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if it is not a run record
     */
    public static RunRecord fromJson(String json) {
        try {
            RunRecord r = GSON.fromJson(json, RunRecord.class);
            if (r == null || r.kind() == null) {
                throw new IllegalArgumentException("not a plm4j run record (no 'kind'): "
                        + json.substring(0, Math.min(80, json.length())));
            }
            return r;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a valid run record: " + e.getMessage(), e);
        }
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

    /** Loads a record from a {@code run.json} file or from a run directory containing one. */
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
