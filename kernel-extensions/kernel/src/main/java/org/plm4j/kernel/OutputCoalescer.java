package org.plm4j.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Collects a cell's stdout and stderr text and sends it as few {@code stream} messages, at most one per
 * {@link #INTERVAL_MILLIS}: a write after a quiet interval is sent at once, and writes that follow a send wait
 * until the interval since that send has passed. A loop printing 200,000 lines sends a few dozen messages, while a
 * single line appears without delay. stdout and stderr keep their relative order (consecutive text of one stream
 * becomes one message).
 *
 * <p>A cell may write at most {@link #limitBytes()} characters; the rest is dropped and a note says so once.
 * Text written while no cell is attached is dropped. Thread-safe.
 */
final class OutputCoalescer implements AutoCloseable {

    /** Shortest time between two sends. */
    static final long INTERVAL_MILLIS = 50;
    /** Default per-cell output limit; the system property {@code plm4j.output.limit.mb} overrides it. */
    static final int DEFAULT_LIMIT_MB = 5;

    private record Chunk(boolean stderr, StringBuilder text) {
    }

    private final Object lock = new Object();
    private final Object sendLock = new Object();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plm4j-output-flusher");
        t.setDaemon(true);
        return t;
    });
    private final long limit;
    private final long intervalMillis;
    private List<Chunk> pending = new ArrayList<>();
    private ShellReplyEnvironment target;
    private boolean scheduled;
    private boolean sentBefore;
    private long lastSendNanos;
    private long written;
    private boolean truncated;

    OutputCoalescer() {
        this(Long.getLong("plm4j.output.limit.mb", DEFAULT_LIMIT_MB) * 1024 * 1024, INTERVAL_MILLIS);
    }

    OutputCoalescer(long limitBytes, long intervalMillis) {
        this.limit = limitBytes;
        this.intervalMillis = intervalMillis;
    }

    long limitBytes() {
        return limit;
    }

    /** Starts a cell: text goes to {@code target} and the output limit starts afresh. */
    void attach(ShellReplyEnvironment target) {
        synchronized (lock) {
            this.target = target;
            this.written = 0;
            this.truncated = false;
        }
    }

    /** Sends what is pending and drops text written from now on, until the next {@link #attach}. */
    void detach() {
        flush();
        synchronized (lock) {
            target = null;
            pending = new ArrayList<>();
        }
    }

    /** Queues text of stdout or stderr. */
    void append(boolean stderr, String text) {
        if (text.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (target == null || truncated) {
                return;
            }
            long room = limit - written;
            if (text.length() > room) {
                truncated = true;
                add(stderr, text.substring(0, (int) Math.max(0, room)));
                add(true, "\n[output truncated after " + limit / (1024 * 1024) + " MB: a notebook page cannot show "
                        + "more. Write large output to a file instead, e.g. java.nio.file.Files.write(...)]\n");
            } else {
                add(stderr, text);
            }
            written += text.length();
            if (!scheduled) {
                scheduled = true;
                long sinceSend = System.nanoTime() - lastSendNanos;
                long wait = sentBefore ? Math.max(0, TimeUnit.MILLISECONDS.toNanos(intervalMillis) - sinceSend) : 0;
                scheduler.schedule(this::flush, wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void add(boolean stderr, String text) {
        if (text.isEmpty()) {
            return;
        }
        Chunk last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
        if (last != null && last.stderr() == stderr) {
            last.text().append(text);
        } else {
            pending.add(new Chunk(stderr, new StringBuilder(text)));
        }
    }

    /** Sends the pending text now, in order. */
    void flush() {
        synchronized (sendLock) {
            List<Chunk> chunks;
            ShellReplyEnvironment env;
            synchronized (lock) {
                scheduled = false;
                if (pending.isEmpty() || target == null) {
                    return;
                }
                chunks = pending;
                pending = new ArrayList<>();
                env = target;
                sentBefore = true;
                lastSendNanos = System.nanoTime();
            }
            for (Chunk c : chunks) {
                if (c.stderr()) {
                    env.writeToStdErr(c.text().toString());
                } else {
                    env.writeToStdOut(c.text().toString());
                }
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
