package org.plm4j.model.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a directory through a temporary sibling that is moved into place at the end, so an
 * interrupted write leaves the previous directory (or none) intact, never a half-written one.
 */
final class AtomicDirectory {

    /** Fills the temporary directory. */
    interface Filler {
        void fill(Path tmp) throws IOException;
    }

    private AtomicDirectory() {
    }

    static void write(Path dir, Filler filler) throws IOException {
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
        try {
            filler.fill(tmp);
        } catch (IOException | RuntimeException | Error e) {
            deleteRecursively(tmp);
            throw e;
        }
        Path old = null;
        if (Files.exists(abs)) {
            old = parent.resolve("." + abs.getFileName() + ".old-" + System.nanoTime());
            Files.move(abs, old);
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs);
        }
        if (old != null) {
            deleteRecursively(old);
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
