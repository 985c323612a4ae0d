package org.plm4j.extension.progress;

/**
 * One snapshot of a long operation, as the live display shows it.
 *
 * @param step             steps done so far
 * @param total            steps planned ({@code <= 0} when unknown)
 * @param loss             the latest training loss, {@code NaN} if none
 * @param tokensPerSecond  throughput, {@code NaN} if unknown
 * @param elapsedSeconds   wall time since the start
 * @param secondsLeft      estimated time to the end, {@code NaN} if unknown
 * @param note             free text shown after the numbers (e.g. the last held-out perplexity), may be empty
 */
public record Progress(long step, long total, double loss, double tokensPerSecond,
                       double elapsedSeconds, double secondsLeft, String note) {

    public Progress {
        note = note == null ? "" : note;
    }

    /** Fraction done in [0, 1], or {@code NaN} when the total is unknown. */
    public double fraction() {
        return total <= 0 ? Double.NaN : Math.min(1.0, Math.max(0.0, (double) step / total));
    }
}
