package org.plm4j.record;

import org.plm4j.internal.EngineSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Versions of the software and hardware a run used, for {@link RunRecord#versions()}. */
public final class Versions {

    private Versions() {}

    /**
     * plm4j, DJL, the PyTorch engine (when started), Java, OS, CPU model and core count.
     * Never fails: an unknown value is reported as {@code "unknown"}.
     */
    public static Map<String, String> current() {
        Map<String, String> v = new LinkedHashMap<>();
        String plm4j = Versions.class.getPackage().getImplementationVersion();
        v.put("plm4j", plm4j == null ? "0.1.0-SNAPSHOT" : plm4j);
        try {
            v.put("djl", ai.djl.engine.Engine.getDjlVersion());
        } catch (RuntimeException | LinkageError e) {
            v.put("djl", "unknown");
        }
        try {
            ai.djl.engine.Engine e = org.plm4j.internal.EngineSetup.engine();
            v.put("engine", e.getEngineName() + " " + e.getVersion());
        } catch (RuntimeException | LinkageError e) {
            v.put("engine", "unknown");
        }
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        v.put("cpu", cpuModel());
        v.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return v;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("PROCESSOR_IDENTIFIER");
        return env == null ? "unknown" : env;
    }

    /**
     * The installed version of Debian package {@code pkg} (from {@code dpkg-query}, else
     * {@code /var/lib/dpkg/status}), or {@code "unknown"} if neither knows it. Datasets record it in
     * their manifests and translators in their cache keys.
     */
    public static String debianPackage(String pkg) {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", pkg).redirectErrorStream(false).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.getErrorStream().readAllBytes();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
        } catch (IOException e) {
            // no dpkg-query: fall back to the status file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path status = Path.of("/var/lib/dpkg/status");
        if (Files.isRegularFile(status)) {
            try {
                boolean in = false;
                for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                    if (line.startsWith("Package: ")) {
                        in = line.substring(9).strip().equals(pkg);
                    } else if (in && line.startsWith("Version: ")) {
                        return line.substring(9).strip();
                    }
                }
            } catch (IOException e) {
                return "unknown";
            }
        }
        return "unknown";
    }
}
