package org.plm4j.kernel.install;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes and removes the kernelspec of the plm4j kernel. The kernel.json pins the java binary and the absolute
 * {@code dist/lib} directory, uses {@code "interrupt_mode": "message"} (the kernel handles interrupt_request
 * on the control channel while a cell runs) and starts {@code org.plm4j.kernel.cli.Main kernel start}.
 */
public final class KernelInstaller {

    public static final String DEFAULT_NAME = "plm4j";
    public static final String DEFAULT_DISPLAY_NAME = "Java (plm4j)";
    public static final String MAIN_CLASS = "org.plm4j.kernel.cli.Main";
    /** JVM options of the kernel process. */
    public static final List<String> JVM_OPTIONS = List.of("-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-XX:+UseSerialGC");

    private final Path distLib;

    /** @param distLib the directory holding the kernel jar and its runtime class path */
    public KernelInstaller(Path distLib) {
        this.distLib = distLib.toAbsolutePath().normalize();
    }

    /** The directory of the jar this class was loaded from ({@code target/dist/lib}). */
    public static Path distLibOfThisJar() {
        try {
            Path jar = Path.of(KernelInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(jar) ? jar : jar.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kernel jar: " + e.getMessage(), e);
        }
    }

    /**
     * The MKL dispatch shim that {@code ./plm4j} builds next to the class path
     * ({@code dist/native/libplm4j-mkl-cpu.so}, see {@code lib/src/main/native/mkl_cpu_shim.c}),
     * or null when it was not built; the kernel preloads it so libtorch's oneMKL picks its kernels by
     * the CPU's instruction sets on non-Intel CPUs too.
     */
    public Path mklShim() {
        Path shim = distLib.resolveSibling("native").resolve("libplm4j-mkl-cpu.so");
        return Files.isRegularFile(shim) ? shim : null;
    }

    /** The content of kernel.json. */
    public Map<String, Object> kernelSpec(String displayName, Path javaBinary) {
        List<String> argv = new ArrayList<>();
        argv.add(javaBinary.toAbsolutePath().toString());
        argv.addAll(JVM_OPTIONS);
        argv.add("-cp");
        argv.add(distLib + "/*");
        argv.add(MAIN_CLASS);
        argv.add("kernel");
        argv.add("start");
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        Path shim = mklShim();
        spec.put("env", shim == null ? Map.of() : Map.of("LD_PRELOAD", shim.toString()));
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /**
     * Writes {@code kernel.json} into {@code location/NAME}, replacing an earlier install.
     *
     * @return the kernelspec directory
     */
    public Path install(KernelLocation location, String name, String displayName, Path javaBinary) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("kernel name `" + name + "` may only use letters, digits, '.', '_' and '-'");
        }
        Path dir = location.kernelDir(name);
        try {
            Files.createDirectories(dir);
            String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(kernelSpec(displayName, javaBinary));
            Files.writeString(dir.resolve("kernel.json"), json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kernelspec into " + dir + ": " + e.getMessage()
                    + "; choose another location with --prefix or --jupyter-path", e);
        }
        return dir;
    }

    /**
     * Deletes the kernelspec directory {@code location/NAME}.
     *
     * @return false when there was none
     */
    public static boolean uninstall(KernelLocation location, String name) {
        Path dir = location.kernelDir(name);
        if (!Files.isRegularFile(dir.resolve("kernel.json"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
