package org.plm4j.backtranslate;

import org.plm4j.train.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;

/**
 * Back-translation augmentation: every text round-trips through the configured pivots with a
 * {@link BackTranslator}; paraphrases identical to their source or to one another (ignoring case
 * and whitespace) are dropped, a seeded sample enforces the ratio, and labels are carried over.
 * The {@link AugmentationResult} holds the originals followed by the kept paraphrases, as
 * {@link LabeledTexts} (for fine-tuning) or {@link Corpus} (for task-adaptive pretraining on
 * back-translated text), with the counts of each step.
 *
 * <p>All texts are translated before the sample is drawn, so the outcome depends only on the
 * texts, the engine and the config; put a {@link CachedTranslator} in front to make reruns and
 * other ratios free.
 */
public final class Augmenter {

    private final BackTranslator translator;
    private final AugmentationConfig config;

    private Augmenter(BackTranslator translator, AugmentationConfig config) {
        this.translator = Objects.requireNonNull(translator, "translator");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** An augmenter using {@code translator} with {@code config}. */
    public static Augmenter of(BackTranslator translator, AugmentationConfig config) {
        return new Augmenter(translator, config);
    }

    /**
     * The default engine ({@link ApertiumTranslator#create()} behind the cache at
     * {@link TranslationCache#atDefaultLocation()}) with {@code config}.
     */
    public static Augmenter withApertium(AugmentationConfig config) {
        return new Augmenter(CachedTranslator.of(ApertiumTranslator.create()), config);
    }

    public AugmentationConfig config() {
        return config;
    }

    public BackTranslator translator() {
        return translator;
    }

    /** Augments labelled texts; paraphrases carry their source's label. */
    public AugmentationResult augment(LabeledTexts data) {
        return augment(data, TranslationProgress.NONE);
    }

    /**
     * {@link #augment(LabeledTexts)} reporting progress in text-legs ({@code 2 * texts * copies}
     * in all); interrupt the thread to cancel.
     */
    public AugmentationResult augment(LabeledTexts data, TranslationProgress progress) {
        return run(data.name(), data.texts(), data.labelOfEach(), progress);
    }

    /** Augments a corpus (no labels). */
    public AugmentationResult augment(Corpus corpus) {
        return augment(corpus, TranslationProgress.NONE);
    }

    /** {@link #augment(Corpus)} reporting progress like {@link #augment(LabeledTexts, TranslationProgress)}. */
    public AugmentationResult augment(Corpus corpus, TranslationProgress progress) {
        return run(corpus.name(), corpus.texts(), null, progress);
    }

    private AugmentationResult run(String name, List<String> texts, List<String> labels, TranslationProgress progress) {
        Objects.requireNonNull(progress, "progress");
        int n = texts.size();
        List<Pivot> pivots = config.usedPivots();
        List<List<String>> perPivot = new ArrayList<>(pivots.size());
        long total = 2L * n * pivots.size();
        for (int k = 0; k < pivots.size(); k++) {
            Pivot p = pivots.get(k);
            long offset = 2L * n * k;
            List<String> bt = translator.backTranslate(texts, p, (d, t) -> progress.onProgress(offset + d, total));
            if (bt.size() != n) {
                throw new BackTranslationException(translator.name() + " returned " + bt.size() + " paraphrases for "
                        + n + " texts through " + p + "; a BackTranslator must return one per input");
            }
            perPivot.add(bt);
        }
        int empty = 0;
        int identical = 0;
        List<Paraphrase> unique = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<String> seen = new HashSet<>();
            seen.add(normalise(texts.get(i)));
            for (int k = 0; k < pivots.size(); k++) {
                String t = perPivot.get(k).get(i);
                if (t == null || t.isBlank()) {
                    empty++;
                } else if (!seen.add(normalise(t))) {
                    identical++;
                } else {
                    unique.add(new Paraphrase(i, pivots.get(k).name(), t.strip(), labels == null ? null : labels.get(i)));
                }
            }
        }
        int target = (int) Math.min(unique.size(), Math.round(config.ratio() * n));
        List<Paraphrase> kept = unique;
        if (target < unique.size()) {
            boolean[] keep = new boolean[unique.size()];
            int[] order = Seeds.permutation(unique.size(), config.seed());
            for (int j = 0; j < target; j++) {
                keep[order[j]] = true;
            }
            kept = new ArrayList<>(target);
            for (int j = 0; j < keep.length; j++) {
                if (keep[j]) {
                    kept.add(unique.get(j));
                }
            }
        }
        AugmentationResult.Counts counts = new AugmentationResult.Counts(n, n * pivots.size(), n * pivots.size() - empty,
                identical, unique.size() - kept.size(), kept.size());
        List<String> identities = new ArrayList<>();
        for (Pivot p : pivots) {
            identities.add(p.forward() + " " + translator.identity(p.forward()));
            identities.add(p.backward() + " " + translator.identity(p.backward()));
        }
        return new AugmentationResult(name, texts, labels, kept, counts, config, translator.name(), identities);
    }

    /** Lower-case, whitespace collapsed and stripped: the form compared for "identical". */
    static String normalise(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Augmenter[" + translator.name() + ", " + config + "]";
    }
}
