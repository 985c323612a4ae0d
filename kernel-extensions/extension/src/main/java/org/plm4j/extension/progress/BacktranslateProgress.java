package org.plm4j.extension.progress;

import java.util.function.LongSupplier;
import org.plm4j.backtranslate.TranslationProgress;

/**
 * Turns an augmentation's progress (text-legs done of total, reported from the translation
 * engine's threads) into one live {@link ProgressDisplay} with elapsed time and time left. Calls
 * are serialised here, so the display sees one update at a time.
 */
public final class BacktranslateProgress implements TranslationProgress {

    private final ProgressDisplay display;
    private final LongSupplier nanoClock;
    private final long start;
    private final String note;

    public BacktranslateProgress(ProgressDisplay display, String note, LongSupplier nanoClock) {
        this.display = display;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.note = note;
    }

    @Override
    public synchronized void onProgress(long done, long total) {
        double elapsed = (nanoClock.getAsLong() - start) / 1e9;
        double left = done > 0 && total >= done ? elapsed * (total - done) / done : Double.NaN;
        display.update(new Progress(done, total, Double.NaN, Double.NaN, elapsed, left, note));
    }

    /** Closes the display with {@code outcome}. */
    public synchronized void finish(String outcome) {
        display.finish(outcome);
    }
}
