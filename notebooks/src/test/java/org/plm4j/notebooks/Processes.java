package org.plm4j.notebooks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finding and ending the processes a test started. */
final class Processes {

    private Processes() {
    }

    /** {@code root} and all its descendants, as they are now. */
    static List<ProcessHandle> treeOf(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).collect(Collectors.toList());
    }

    /** Every live process whose command line contains {@code marker} (e.g. a test's own temporary directory). */
    static List<ProcessHandle> withCommandLineContaining(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .collect(Collectors.toList());
    }

    /** Ends the given processes: SIGTERM, then SIGKILL for those still alive after 5 s. */
    static void kill(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle p : processes) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** One line per process: pid and command line. */
    static String describe(List<ProcessHandle> processes) {
        return processes.stream()
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("\n"));
    }
}
