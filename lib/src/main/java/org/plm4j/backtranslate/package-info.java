/**
 * Back-translation: paraphrasing text by translating it into a pivot language and back
 * (English &rarr; Spanish &rarr; English by default), for data augmentation and for
 * back-translated task-adaptive pretraining (BT-TAPT).
 *
 * <ul>
 *   <li>{@link org.plm4j.backtranslate.BackTranslator} is the engine contract: one output per
 *       input, in order, or an exception; never a misaligned list.</li>
 *   <li>{@link org.plm4j.backtranslate.ApertiumTranslator} drives the Debian {@code apertium}
 *       command (rule-based, deterministic, CPU-only).</li>
 *   <li>{@link org.plm4j.backtranslate.TranslationCache} and
 *       {@link org.plm4j.backtranslate.CachedTranslator} keep every translation on disk, keyed by
 *       text, language pair and engine identity, so a rerun costs nothing.</li>
 *   <li>{@link org.plm4j.backtranslate.Augmenter} turns {@link org.plm4j.corpus.LabeledTexts} or a
 *       {@link org.plm4j.corpus.Corpus} into originals plus deduplicated paraphrases, configured by
 *       an {@link org.plm4j.backtranslate.AugmentationConfig}, and reports what it did in an
 *       {@link org.plm4j.backtranslate.AugmentationResult}.</li>
 * </ul>
 *
 * <p>Failures of the engine (missing binary, missing language pair, a process that dies or
 * times out) raise {@link org.plm4j.backtranslate.BackTranslationException} with what happened,
 * the language pair, and what to try, including the {@code apt-get install} line.
 */
package org.plm4j.backtranslate;
