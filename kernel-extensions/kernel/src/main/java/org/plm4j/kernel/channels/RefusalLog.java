package org.plm4j.kernel.channels;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Reports refused messages: one line each on the kernel's stderr (the Jupyter server's log), with the
 * channel and the reason. A flood is summarised: after {@link #LINES_PER_MINUTE} lines in a minute, further
 * refusals are counted and reported in one line when the minute is over.
 */
public final class RefusalLog {

    /** Refusal lines written per minute before the rest are only counted. */
    public static final int LINES_PER_MINUTE = 20;

    private final PrintStream out;
    private final LongSupplier clockMillis;
    private boolean windowOpen;
    private long windowStart;
    private int linesInWindow;
    private long suppressed;

    /** Writes to the stderr of the JVM as it was when the kernel started (cells redirect System.err). */
    public RefusalLog(PrintStream out) {
        this(out, System::currentTimeMillis);
    }

    RefusalLog(PrintStream out, LongSupplier clockMillis) {
        this.out = out;
        this.clockMillis = clockMillis;
    }

    /** Writes one line about the channels (not a refusal) to the same log. */
    public void note(String line) {
        out.println("plm4j kernel: " + line);
    }

    /** Reports one refused message. */
    public synchronized void refused(String channel, String reason) {
        long now = clockMillis.getAsLong();
        if (!windowOpen || now - windowStart >= 60_000) {
            if (suppressed > 0) {
                out.println("plm4j kernel: " + suppressed + " more message(s) refused in the last minute (not shown)");
            }
            windowOpen = true;
            windowStart = now;
            linesInWindow = 0;
            suppressed = 0;
        }
        if (linesInWindow++ < LINES_PER_MINUTE) {
            out.println("plm4j kernel: refused a message on the " + channel + " channel: " + reason
                    + "; it was not executed and gets no reply");
        } else {
            suppressed++;
        }
    }
}
