package org.plm4j.kernel.install;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelInstallerTest {

    @Test
    void theKernelPreloadsTheMklShimOnlyWhenItWasBuiltNextToTheClassPath(@TempDir Path prefix) throws Exception {
        Path dist = prefix.resolve("dist/lib");
        Files.createDirectories(dist);
        KernelInstaller installer = new KernelInstaller(dist);
        assertEquals(java.util.Map.of(), installer.kernelSpec("Java (test)", Path.of("/opt/jdk/bin/java")).get("env"));
        Path shim = Files.createDirectories(prefix.resolve("dist/native")).resolve("libplm4j-mkl-cpu.so");
        Files.write(shim, new byte[] {0x7f, 'E', 'L', 'F'});
        assertEquals(java.util.Map.of("LD_PRELOAD", shim.toAbsolutePath().toString()),
                installer.kernelSpec("Java (test)", Path.of("/opt/jdk/bin/java")).get("env"));
    }

    @Test
    void installWritesAValidKernelJsonIntoThePrefixAndUninstallRemovesIt(@TempDir Path prefix) throws Exception {
        Path dist = prefix.resolve("dist/lib");
        Path java = Path.of("/opt/jdk/bin/java");
        KernelLocation where = KernelLocation.prefix(prefix);
        Path dir = new KernelInstaller(dist).install(where, "plm4j-test", "Java (test)", java);
        assertEquals(prefix.resolve("share/jupyter/kernels/plm4j-test"), dir);

        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (test)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        var argv = spec.getAsJsonArray("argv");
        assertEquals("/opt/jdk/bin/java", argv.get(0).getAsString());
        String joined = argv.toString();
        assertTrue(joined.contains("\"-cp\",\"" + dist.toAbsolutePath() + "/*\""), joined);
        assertTrue(joined.endsWith("\"org.plm4j.kernel.cli.Main\",\"kernel\",\"start\",\"{connection_file}\"]"), joined);

        assertTrue(KernelInstaller.uninstall(where, "plm4j-test"));
        assertFalse(Files.exists(dir));
        assertFalse(KernelInstaller.uninstall(where, "plm4j-test"));
    }

    @Test
    void jupyterPathLocationUsesTheKernelsSubdirectory(@TempDir Path tmp) {
        assertEquals(tmp.resolve("kernels/x"), KernelLocation.jupyterPath(tmp).kernelDir("x"));
    }

    @Test
    void javaCheckSaysWhatToInstall() {
        assertEquals(Optional.empty(), JavaCheck.check("/usr/bin/java", 17, true));
        String old = JavaCheck.check("/usr/bin/java", 11, true).orElseThrow();
        assertTrue(old.startsWith("Java 11 at /usr/bin/java is too old: the plm4j kernel needs Java 17 or newer"), old);
        assertTrue(old.contains("apt-get install openjdk-17-jdk-headless"), old);
        String jre = JavaCheck.check("/jre/bin/java", 21, false).orElseThrow();
        assertTrue(jre.contains("has no jdk.jshell module") && jre.contains("apt-get install openjdk-17-jdk-headless"), jre);
        assertEquals(Optional.empty(), JavaCheck.checkCurrent());
        assertEquals(Optional.empty(), JavaCheck.checkBinary(JavaCheck.currentJavaBinary()));
    }
}
