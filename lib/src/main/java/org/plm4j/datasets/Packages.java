package org.plm4j.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Versions of installed Debian packages, read with {@code dpkg-query} or from {@code /var/lib/dpkg/status}. */
final class Packages {

    private Packages() {
    }

    /** The installed version of {@code pkg}, or {@code "unknown"} if neither dpkg source knows it. */
    static String version(String pkg) {
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
