package org.plm4j.backtranslate;

/**
 * Receives how far a translation or augmentation has come: {@code done} of {@code total} units
 * (texts for one translation, text-legs for a round trip or an augmentation). Calls may come from
 * an engine's worker threads, one at a time; {@code done} can step back when a failed process is
 * retried. Keep it cheap and throttle any display yourself.
 *
 * <p>Cancellation: interrupt the calling thread; the running translation processes are stopped
 * and a {@link BackTranslationException} says so.
 */
@FunctionalInterface
public interface TranslationProgress {

    /** Ignores everything. */
    TranslationProgress NONE = (done, total) -> {
    };

    void onProgress(long done, long total);
}
