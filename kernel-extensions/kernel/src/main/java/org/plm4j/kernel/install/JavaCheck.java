package org.plm4j.kernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a Java runtime can run the kernel: version 17 or newer, with the {@code jdk.jshell} module
 * (a JDK, not a bare JRE). Problems come back as a message that says what to install.
 */
public final class JavaCheck {

    /** The minimum feature release. */
    public static final int MIN_VERSION = 17;
    /** What to run on Debian/Ubuntu to get a suitable JDK. */
    public static final String INSTALL_HINT = "apt-get install openjdk-17-jdk-headless";

    private JavaCheck() {
    }

    /** Checks the JVM running this code. */
    public static Optional<String> checkCurrent() {
        return check(currentJavaBinary().toString(), Runtime.version().feature(), ModuleLayer.boot().findModule("jdk.jshell").isPresent());
    }

    /**
     * The verdict for a runtime with the given facts.
     *
     * @return empty when it is fine, else the message to show
     */
    public static Optional<String> check(String javaName, int featureVersion, boolean hasJShell) {
        if (featureVersion < MIN_VERSION) {
            return Optional.of("Java " + featureVersion + " at " + javaName + " is too old: the plm4j kernel needs Java "
                    + MIN_VERSION + " or newer with the jdk.jshell module. Install a JDK, e.g. `" + INSTALL_HINT
                    + "`, then run the installer with that java or pass --java /usr/lib/jvm/java-17-openjdk-amd64/bin/java.");
        }
        if (!hasJShell) {
            return Optional.of("The Java runtime at " + javaName + " (version " + featureVersion + ") has no jdk.jshell module "
                    + "(it is a JRE, not a JDK); the kernel evaluates cells with JShell. Install a JDK, e.g. `" + INSTALL_HINT
                    + "`, and pass its java with --java.");
        }
        return Optional.empty();
    }

    /** Checks another java binary by asking it for its modules ({@code java --list-modules}). */
    public static Optional<String> checkBinary(Path java) {
        if (!Files.isExecutable(java)) {
            return Optional.of("No executable java at " + java + ". Install a JDK, e.g. `" + INSTALL_HINT + "`, or pass the right --java path.");
        }
        try {
            Process p = new ProcessBuilder(java.toString(), "--list-modules").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return check(java.toString(), 8, false); // --list-modules exists since Java 9
            }
            Matcher m = Pattern.compile("^java\\.base@(\\d+)", Pattern.MULTILINE).matcher(out);
            int feature = m.find() ? Integer.parseInt(m.group(1)) : 0;
            return check(java.toString(), feature, out.contains("jdk.jshell@"));
        } catch (IOException e) {
            return Optional.of("Cannot run " + java + ": " + e.getMessage() + ". Install a JDK, e.g. `" + INSTALL_HINT + "`.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Interrupted while checking " + java);
        }
    }

    /** The absolute path of the java binary running this JVM. */
    public static Path currentJavaBinary() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java")).toAbsolutePath();
    }
}
