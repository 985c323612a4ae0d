package org.plm4j.extension.progress;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.plm4j.display.Html;

/**
 * A single live progress display for a long operation: shown once with a display id, then
 * updated in place ({@code update_display_data}) — step/total, loss, tokens/s, time left.
 *
 * <p>Updates must come from inside the running cell (the base library drops displays sent while
 * no cell runs), so the training thread calls {@link #update(Progress)} itself; updates are
 * throttled to {@link #MIN_INTERVAL_NANOS} apart so a fast loop costs almost nothing and the
 * notebook is not flooded. The first and the final update are always sent.
 */
public final class ProgressDisplay {

    /** Minimum time between two updates sent to the front end: 250 ms. */
    public static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final String title;
    private final String displayId;
    private final Consumer<DisplayData> show;
    private final BiConsumer<String, DisplayData> update;
    private final LongSupplier nanoClock;
    private long lastSent = Long.MIN_VALUE;
    private boolean shown;
    private Progress last;

    /**
     * A display that publishes through the given functions; {@code show} sends the first
     * {@code display_data}, {@code update} replaces it by display id.
     */
    public ProgressDisplay(String title, Consumer<DisplayData> show, BiConsumer<String, DisplayData> update,
                           LongSupplier nanoClock) {
        this.title = Objects.requireNonNull(title, "title");
        this.show = Objects.requireNonNull(show, "show");
        this.update = Objects.requireNonNull(update, "update");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.displayId = "plm4j-progress-" + UUID.randomUUID();
    }

    /** A display publishing through {@code kernel}'s display stream (works in any jjava-jupyter kernel). */
    public static ProgressDisplay forKernel(BaseKernel kernel, String title) {
        return new ProgressDisplay(title,
                data -> kernel.getIO().display.display(data),
                (id, data) -> kernel.getIO().display.updateDisplay(id, data),
                System::nanoTime);
    }

    public String displayId() {
        return displayId;
    }

    /** Shows {@code p}, unless the previous update was sent less than 250 ms ago. */
    public void update(Progress p) {
        last = p;
        long now = nanoClock.getAsLong();
        if (shown && now - lastSent < MIN_INTERVAL_NANOS) {
            return;
        }
        send(p, null);
        lastSent = now;
    }

    /** Sends the last state with a closing line (always sent, whatever the throttle). */
    public void finish(String outcome) {
        Progress p = last != null ? last : new Progress(0, 0, Double.NaN, Double.NaN, 0, Double.NaN, "");
        send(p, outcome);
    }

    /**
     * Like {@link #finish(String)}, with {@code finalNote} in place of the last state's note: for a note that the
     * outcome supersedes (e.g. the held-out perplexity of an earlier step next to the final one).
     */
    public void finish(String outcome, String finalNote) {
        Progress p = last != null ? last : new Progress(0, 0, Double.NaN, Double.NaN, 0, Double.NaN, "");
        send(new Progress(p.step(), p.total(), p.loss(), p.tokensPerSecond(), p.elapsedSeconds(), p.secondsLeft(),
                finalNote), outcome);
    }

    private void send(Progress p, String outcome) {
        DisplayData data = new DisplayData();
        data.putText(text(title, p, outcome));
        data.putHTML(html(title, p, outcome));
        data.setDisplayId(displayId);
        if (!shown) {
            show.accept(data);
            shown = true;
        } else {
            update.accept(displayId, data);
        }
    }

    /** The plain-text line: {@code title  [#####.....] 120/300  loss 5.1234  2,345 tok/s  0:42 left  note}. */
    static String text(String title, Progress p, String outcome) {
        StringBuilder b = new StringBuilder(title).append("  ");
        double f = p.fraction();
        if (!Double.isNaN(f)) {
            int width = 30, filled = (int) Math.round(f * width);
            b.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        }
        b.append(p.step());
        if (p.total() > 0) {
            b.append('/').append(p.total());
        }
        numbers(p).forEach(s -> b.append("  ").append(s));
        if (!p.note().isEmpty()) {
            b.append("  ").append(p.note());
        }
        if (outcome != null) {
            b.append("  — ").append(outcome);
        }
        return b.toString();
    }

    /**
     * The HTML line. Each item (bar, step count, each number, the note) is one unbreakable span, so a narrow
     * window wraps between items, never inside one; the outcome gets a line of its own.
     */
    static String html(String title, Progress p, String outcome) {
        StringBuilder b = new StringBuilder("<div class=\"plm4j-progress\">");
        StringBuilder head = new StringBuilder("<b>").append(Html.escape(title)).append("</b> ");
        double f = p.fraction();
        if (!Double.isNaN(f)) {
            head.append("<progress style=\"width:12em\" max=\"").append(p.total()).append("\" value=\"").append(p.step()).append("\"></progress> ");
        }
        head.append(p.step());
        if (p.total() > 0) {
            head.append(" / ").append(p.total());
        }
        b.append(NOWRAP).append(head).append("</span>");
        numbers(p).forEach(s -> b.append(" &middot; ").append(NOWRAP).append(Html.escape(s)).append("</span>"));
        if (!p.note().isEmpty()) {
            b.append(" &middot; ").append(NOWRAP).append(Html.escape(p.note())).append("</span>");
        }
        if (outcome != null) {
            b.append("<div><i>").append(Html.escape(outcome)).append("</i></div>");
        }
        return b.append("</div>").toString();
    }

    private static final String NOWRAP = "<span style=\"white-space:nowrap\">";

    private static java.util.List<String> numbers(Progress p) {
        java.util.List<String> out = new java.util.ArrayList<>(4);
        if (!Double.isNaN(p.loss())) {
            out.add(String.format(Locale.ROOT, "loss %.4f", p.loss()));
        }
        if (!Double.isNaN(p.tokensPerSecond())) {
            out.add(String.format(Locale.ROOT, "%,.0f tok/s", p.tokensPerSecond()));
        }
        out.add(duration(p.elapsedSeconds()) + " elapsed");
        if (!Double.isNaN(p.secondsLeft())) {
            out.add(duration(p.secondsLeft()) + " left");
        }
        return out;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from one hour on. */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
