package org.plm4j.backtranslate;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.plm4j.datasets.Datasets;

/**
 * Translations kept on disk, keyed by the text, the language pair and the engine's
 * {@link BackTranslator#identity(String) identity}, so that translating the same text again
 * costs a hash lookup.
 *
 * <p>Layout: {@code DIR/PAIR/ID/} per pair and engine identity ({@code ID} = the first 16 hex
 * digits of the identity's SHA-256, the identity itself in {@code identity.txt}), holding
 * append-only shards {@code *.jsonl} with one {@code {"k": sha256(text), "t": translation}} per
 * line. Every {@link #put} writes a new shard to a temporary name and renames it into place, so
 * a reader never sees half a shard and two processes writing at once each add their own file.
 * A bucket is read once per instance into memory (later shards of other processes are not
 * seen until a new instance is made); unreadable lines are skipped. {@link #compact} merges a
 * bucket's shards when many small runs have added many files. Thread-safe.
 */
public final class TranslationCache {

    /** The subdirectory of the plm4j cache root used by {@link #atDefaultLocation()}. */
    public static final String SUBDIRECTORY = "translations";

    private final Path dir;
    private final Map<String, Map<String, String>> buckets = new ConcurrentHashMap<>();

    private TranslationCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /**
     * The cache in {@code translations/} under the plm4j cache root: {@code -Dplm4j.cache},
     * else {@code $PLM4J_CACHE}, else {@code ~/.cache/plm4j} (the root the datasets use).
     */
    public static TranslationCache atDefaultLocation() {
        return new TranslationCache(Datasets.defaultCacheDir().resolveSibling(SUBDIRECTORY));
    }

    /** A cache in {@code dir} (created on first write). */
    public static TranslationCache in(Path dir) {
        return new TranslationCache(dir);
    }

    public Path directory() {
        return dir;
    }

    /**
     * The cached translation of each text (null where there is none), aligned with {@code texts}.
     */
    public String[] lookup(String identity, String pair, List<String> texts) {
        Map<String, String> b = bucket(identity, pair);
        String[] out = new String[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(key(texts.get(i)));
        }
        return out;
    }

    /**
     * Stores translations (aligned with {@code texts}) as one new shard.
     *
     * @throws IllegalArgumentException if the two lists differ in size
     * @throws UncheckedIOException if the directory is not writable (the message says how to choose another)
     */
    public void put(String identity, String pair, List<String> texts, List<String> translations) {
        if (texts.size() != translations.size()) {
            throw new IllegalArgumentException("texts and translations must have the same size, got "
                    + texts.size() + " and " + translations.size());
        }
        if (texts.isEmpty()) {
            return;
        }
        Map<String, String> b = bucket(identity, pair);
        Path bucketDir = bucketDir(identity, pair);
        String shard = System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        Path tmp = bucketDir.resolve("." + shard + ".tmp");
        try {
            Files.createDirectories(bucketDir);
            Path idFile = bucketDir.resolve("identity.txt");
            if (!Files.exists(idFile)) {
                Path idTmp = bucketDir.resolve(".identity-" + shard + ".tmp");
                Files.writeString(idTmp, identity + "\n" + pair + "\n", StandardCharsets.UTF_8);
                move(idTmp, idFile);
            }
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (int i = 0; i < texts.size(); i++) {
                    JsonObject o = new JsonObject();
                    o.addProperty("k", key(texts.get(i)));
                    o.addProperty("t", translations.get(i));
                    w.write(o.toString());
                    w.write('\n');
                }
            }
            move(tmp, bucketDir.resolve(shard + ".jsonl"));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot write the translation cache in " + bucketDir.toAbsolutePath()
                    + "; set -D" + Datasets.CACHE_PROPERTY + "=DIR or $" + Datasets.CACHE_ENV
                    + " to a writable directory, or use TranslationCache.in(dir)", e);
        }
        for (int i = 0; i < texts.size(); i++) {
            b.put(key(texts.get(i)), translations.get(i));
        }
    }

    /**
     * Merges the bucket's shards into one (written to a temporary name and renamed, then the merged
     * shards deleted); shards another process adds meanwhile are left alone. Returns the number of
     * shards merged.
     */
    public int compact(String identity, String pair) {
        Path bucketDir = bucketDir(identity, pair);
        if (!Files.isDirectory(bucketDir)) {
            return 0;
        }
        try {
            List<Path> shards = shards(bucketDir);
            if (shards.size() < 2) {
                return 0;
            }
            Map<String, String> merged = new java.util.LinkedHashMap<>();
            for (Path shard : shards) {
                readShard(shard, merged);
            }
            String name = System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
            Path tmp = bucketDir.resolve("." + name + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, String> e : merged.entrySet()) {
                    JsonObject o = new JsonObject();
                    o.addProperty("k", e.getKey());
                    o.addProperty("t", e.getValue());
                    w.write(o.toString());
                    w.write('\n');
                }
            }
            move(tmp, bucketDir.resolve(name + ".jsonl"));
            for (Path shard : shards) {
                Files.deleteIfExists(shard);
            }
            return shards.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the translation cache in " + bucketDir.toAbsolutePath(), e);
        }
    }

    /** Number of distinct texts cached for this engine identity and pair. */
    public int size(String identity, String pair) {
        return bucket(identity, pair).size();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path bucketDir(String identity, String pair) {
        return dir.resolve(pair.replaceAll("[^A-Za-z0-9_.-]", "_")).resolve(key(identity).substring(0, 16));
    }

    private Map<String, String> bucket(String identity, String pair) {
        return buckets.computeIfAbsent(pair + "\u0000" + identity, k -> load(bucketDir(identity, pair)));
    }

    private static Map<String, String> load(Path bucketDir) {
        Map<String, String> m = new ConcurrentHashMap<>();
        if (!Files.isDirectory(bucketDir)) {
            return m;
        }
        try {
            for (Path shard : shards(bucketDir)) {
                readShard(shard, m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the translation cache in " + bucketDir.toAbsolutePath(), e);
        }
        return m;
    }

    private static List<Path> shards(Path bucketDir) throws IOException {
        try (Stream<Path> s = Files.list(bucketDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static void readShard(Path shard, Map<String, String> into) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(shard, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return; // merged by compact() in another process meanwhile: its entries are in the merged shard
        }
        for (String line : lines) {
            if (!readFast(line, into)) {
                try {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    into.put(o.get("k").getAsString(), o.get("t").getAsString());
                } catch (RuntimeException e) {
                    // a damaged line: that text is translated again
                }
            }
        }
    }

    private static final String K_PREFIX = "{\"k\":\"";
    private static final String T_PREFIX = "\",\"t\":\"";

    /**
     * Reads a line exactly as {@link #put} writes it ({@code {"k":"HEX64","t":"..."}}) when its
     * translation has no escapes; false sends the line to the JSON parser.
     */
    private static boolean readFast(String line, Map<String, String> into) {
        int keyEnd = K_PREFIX.length() + 64;
        if (!line.startsWith(K_PREFIX) || line.length() < keyEnd + T_PREFIX.length() + 2
                || !line.startsWith(T_PREFIX, keyEnd) || !line.endsWith("\"}")) {
            return false;
        }
        int from = keyEnd + T_PREFIX.length();
        int to = line.length() - 2;
        if (line.indexOf('\\', from) >= 0 || line.indexOf('"', from) != to) {
            return false;
        }
        into.put(line.substring(K_PREFIX.length(), keyEnd), line.substring(from, to));
        return true;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    /** SHA-256 of the UTF-8 text, hex. */
    static String key(String text) {
        MessageDigest md = SHA256.get();
        md.reset();
        return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "TranslationCache[" + dir + "]";
    }
}
