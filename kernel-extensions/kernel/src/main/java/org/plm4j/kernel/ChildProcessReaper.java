package org.plm4j.kernel;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ends the processes that cells started (Apertium pipelines, tools run with {@code ProcessBuilder}) together
 * with the kernel, however the kernel ends.
 *
 * <ul>
 *   <li>Shutdown, restart, SIGTERM, SIGINT-less exits: a JVM shutdown hook ends every descendant process
 *       (politely, then forcibly after {@link #GRACE}).</li>
 *   <li>SIGKILL or a JVM crash run no Java code. Linux's {@code prctl(PR_SET_PDEATHSIG)} would do, but Java
 *       cannot call it on a child it starts; so a tiny watchdog ({@code /bin/sh}) is started at launch. The
 *       kernel tells it, through the watchdog's stdin, which descendants exist (polled every
 *       {@link #POLL}); when the kernel dies its end of the pipe closes, and the watchdog ends the
 *       descendants it was told about that still run with the same start time (so a reused pid is spared).</li>
 * </ul>
 * Orphans are found by pid, not by process group: the kernel may share its group with the Jupyter server.
 */
final class ChildProcessReaper {

    /** How often the kernel's descendants are listed for the watchdog. */
    static final Duration POLL = Duration.ofMillis(300);
    /** How long descendants get to end after SIGTERM before they are killed. */
    static final Duration GRACE = Duration.ofSeconds(1);

    // Reads "+ pid starttime" / "- pid" lines; at EOF (the kernel is gone) TERMs, then KILLs, those still alive.
    private static final String WATCHDOG = """
            trap '' INT HUP
            started() { s=$(cat /proc/$1/stat 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }
            live=''
            while read -r op pid start; do
              case $op in
                +) live="$live $pid:$start" ;;
                -) keep=''; for e in $live; do [ "${e%%:*}" = "$pid" ] || keep="$keep $e"; done; live=$keep ;;
              esac
            done
            for sig in TERM KILL; do
              for e in $live; do
                [ "$(started "${e%%:*}")" = "${e#*:}" ] && kill -s $sig "${e%%:*}" 2>/dev/null
              done
              [ $sig = TERM ] && sleep 1
            done
            exit 0
            """;

    private final Process watchdog;
    private final Writer toWatchdog;
    private final Map<Long, String> reported = new HashMap<>();

    private ChildProcessReaper(Process watchdog) {
        this.watchdog = watchdog;
        this.toWatchdog = watchdog == null ? null
                : new java.io.OutputStreamWriter(watchdog.getOutputStream(), StandardCharsets.US_ASCII);
    }

    /**
     * Installs the shutdown hook and, on Linux, starts the watchdog and its polling thread. Problems are
     * reported on stderr; the kernel runs without that protection then.
     */
    static ChildProcessReaper install() {
        Process watchdog = null;
        if (Files.isReadable(Path.of("/proc/self/stat")) && Files.isExecutable(Path.of("/bin/sh"))) {
            try {
                watchdog = new ProcessBuilder("/bin/sh", "-c", WATCHDOG)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
            } catch (IOException e) {
                System.err.println("plm4j kernel: no watchdog for child processes (" + e.getMessage()
                        + "); they are still ended on a normal shutdown");
            }
        }
        ChildProcessReaper reaper = new ChildProcessReaper(watchdog);
        Runtime.getRuntime().addShutdownHook(new Thread(reaper::endDescendants, "plm4j-end-child-processes"));
        if (watchdog != null) {
            Thread poller = new Thread(reaper::pollForever, "plm4j-child-process-poller");
            poller.setDaemon(true);
            poller.start();
        }
        return reaper;
    }

    private void pollForever() {
        try {
            while (watchdog.isAlive()) {
                report();
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException | IOException e) {
            // the kernel is shutting down or the watchdog is gone; the shutdown hook remains
        }
    }

    /** Tells the watchdog about descendants that appeared or ended since the last call. */
    synchronized void report() throws IOException {
        Map<Long, String> now = new HashMap<>();
        for (ProcessHandle p : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
            if (p.pid() != watchdog.pid()) {
                startTime(p.pid()).ifPresent(t -> now.put(p.pid(), t));
            }
        }
        StringBuilder lines = new StringBuilder();
        for (Iterator<Map.Entry<Long, String>> it = reported.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, String> e = it.next();
            if (!e.getValue().equals(now.get(e.getKey()))) {
                lines.append("- ").append(e.getKey()).append('\n');
                it.remove();
            }
        }
        for (Map.Entry<Long, String> e : now.entrySet()) {
            if (reported.putIfAbsent(e.getKey(), e.getValue()) == null) {
                lines.append("+ ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
            }
        }
        if (lines.length() > 0) {
            toWatchdog.write(lines.toString());
            toWatchdog.flush();
        }
    }

    /** Field 22 of /proc/PID/stat, the start time in clock ticks since boot. */
    private static Optional<String> startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
            return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Ends every descendant except the watchdog (which ends when this JVM's end of its pipe closes). */
    void endDescendants() {
        long watchdogPid = watchdog == null ? -1 : watchdog.pid();
        List<ProcessHandle> children = ProcessHandle.current().descendants().filter(p -> p.pid() != watchdogPid).toList();
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle p : children) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                p.destroyForcibly();
            }
        }
    }
}
