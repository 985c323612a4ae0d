package org.plm4j.backtranslate;

import java.util.List;

/**
 * A machine-translation engine seen from augmentation: batches of texts in, the same number of
 * translations out, in the same order. {@link ApertiumTranslator} is the built-in engine; a
 * neural model, a remote service or a test double implement {@link #translate(List, String)}
 * (and, to paraphrase in one step, may override
 * {@link #backTranslate(List, Pivot, TranslationProgress)}), and {@link CachedTranslator} and
 * {@link Augmenter} work with any of them unchanged.
 *
 * <p>Contract: {@code translate} returns exactly one string per input, aligned by index (an
 * empty or blank input translates to the empty string), or throws
 * {@link BackTranslationException}; it never returns a list of another size. Implementations
 * must be safe to call from several threads.
 */
public interface BackTranslator {

    /** A short name for reports ({@code apertium}). */
    String name();

    /**
     * What determines this engine's output for {@code pair}, for cache keys: engine, data version
     * and options that change the text (for Apertium: the package version and the
     * unknown-word option). Two engines with the same identity must translate identically.
     */
    String identity(String pair);

    /**
     * Translates each text with the language pair {@code pair} (an engine-specific name; for
     * Apertium a mode such as {@code eng-spa}).
     *
     * @throws BackTranslationException if the engine is missing, the pair is not installed, or
     *     translation failed after retries
     */
    List<String> translate(List<String> texts, String pair);

    /**
     * {@link #translate(List, String)} reporting texts done to {@code progress}; by default once,
     * at the end. Engines that can tell earlier override it.
     */
    default List<String> translate(List<String> texts, String pair, TranslationProgress progress) {
        List<String> out = translate(texts, pair);
        progress.onProgress(texts.size(), texts.size());
        return out;
    }

    /**
     * The round trip {@code pivot.forward()} then {@code pivot.backward()}: paraphrases of the
     * texts in their own language, aligned by index.
     */
    default List<String> backTranslate(List<String> texts, Pivot pivot) {
        return backTranslate(texts, pivot, TranslationProgress.NONE);
    }

    /**
     * {@link #backTranslate(List, Pivot)} reporting progress in text-legs: {@code 2 * texts.size()}
     * in all, the forward leg first. Override this form to paraphrase in another way.
     */
    default List<String> backTranslate(List<String> texts, Pivot pivot, TranslationProgress progress) {
        long n = texts.size();
        List<String> there = translate(texts, pivot.forward(), (d, t) -> progress.onProgress(d, 2 * n));
        return translate(there, pivot.backward(), (d, t) -> progress.onProgress(n + d, 2 * n));
    }
}
