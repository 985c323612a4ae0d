package org.plm4j.extension.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.backtranslate.ApertiumTranslator;
import org.plm4j.backtranslate.AugmentationConfig;
import org.plm4j.backtranslate.AugmentationResult;
import org.plm4j.backtranslate.Augmenter;
import org.plm4j.backtranslate.BackTranslator;
import org.plm4j.backtranslate.CachedTranslator;
import org.plm4j.backtranslate.Pivot;
import org.plm4j.backtranslate.TranslationCache;
import org.plm4j.backtranslate.UnknownWords;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.CorpusDataset;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.extension.progress.BacktranslateProgress;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.session.Session;

/**
 * {@code %backtranslate}: back-translation augmentation of a built-in dataset split or a session
 * variable from a notebook line. A thin parser over {@link Augmenter}, {@link AugmentationConfig},
 * {@link ApertiumTranslator} and {@link CachedTranslator}: it shows a live progress display while
 * translating, then the {@link AugmentationResult} (counts and example pairs), and binds it with
 * {@code --as}.
 */
public final class BacktranslateMagic extends OptionsMagic {

    static final MagicOptions OPTIONS = MagicOptions.builder("backtranslate",
                    "paraphrase texts by translating them to a pivot language and back (Apertium)")
            .option("dataset", "NAME", null, "a built-in dataset: " + String.join(", ", Datasets.NAMES))
            .option("split", "train|validation|test", "train", "the split of --dataset (or of a dataset variable)")
            .option("data", "VAR", null, "instead of --dataset: a LabeledTexts, Corpus, LabeledDataset, CorpusDataset or List<String> variable")
            .option("limit", "N", null, "a seeded sample of N texts first (quick looks)")
            .option("pivot", "LANG[,LANG]", Pivot.DEFAULT.name(), "pivots in order of use: "
                    + String.join(", ", Pivot.BUILT_IN.stream().map(Pivot::name).toList()))
            .option("copies", "K", AugmentationConfig.DEFAULT_COPIES, "paraphrases per text (one per pivot: needs K pivots)")
            .option("ratio", "R", AugmentationConfig.DEFAULT_RATIO, "kept paraphrases per original text, at most K")
            .option("seed", "N", AugmentationConfig.DEFAULT_SEED, "seed of the ratio sample and of --limit")
            .flag("keep-unknown", "keep Apertium's *, @, # marks of unknown words")
            .flag("no-cache", "translate without the on-disk translation cache")
            .option("cache", "DIR", null, "translation cache directory (default $PLM4J_CACHE/translations or ~/.cache/plm4j/translations)")
            .option("as", "VAR", null, "bind the AugmentationResult to this variable (.labeledTexts(), .corpus())")
            .javaCall("""
                    LabeledTexts train = Datasets.task("foldoc-topics").train();          // or your own LabeledTexts / Corpus
                    BackTranslator engine = CachedTranslator.of(ApertiumTranslator.create()); // optUnknownWords(UnknownWords.KEEP)
                    AugmentationConfig config = AugmentationConfig.builder()
                            .addPivot(Pivot.SPA)                                         // .addPivot(Pivot.CAT) for --copies 2
                            .optCopies(1).optRatio(1.0).optSeed(42).build();
                    AugmentationResult aug = Augmenter.of(engine, config).augment(train);  // augment(train, (done, total) -> ...)
                    aug;                                    // counts and example pairs
                    LabeledTexts augmented = aug.labeledTexts();   // originals + paraphrases, labels carried
                    Corpus tapt = aug.corpus();                    // for Pretrainer.builder()...optAdaptation(Adaptation.TAPT), ...)""")
            .build();

    public BacktranslateMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        Object data = data(session, p);
        AugmentationConfig config = config(p);
        ApertiumTranslator apertium = ApertiumTranslator.builder()
                .optUnknownWords(p.flag("keep-unknown") ? UnknownWords.KEEP : UnknownWords.STRIP).build();
        BackTranslator engine = p.flag("no-cache") ? apertium
                : CachedTranslator.of(apertium, p.has("cache") ? TranslationCache.in(Path.of(p.string("cache")))
                        : TranslationCache.atDefaultLocation());
        Augmenter augmenter = Augmenter.of(engine, config);
        int n = data instanceof LabeledTexts l ? l.size() : ((Corpus) data).size();
        String pivots = String.join(", ", config.usedPivots().stream().map(Pivot::name).toList());
        BacktranslateProgress progress = new BacktranslateProgress(ProgressDisplay.forKernel(kernel,
                "back-translating " + n + " texts through " + pivots), "texts × legs", System::nanoTime);
        AugmentationResult result;
        try {
            result = data instanceof LabeledTexts l ? augmenter.augment(l, progress) : augmenter.augment((Corpus) data, progress);
        } catch (RuntimeException e) {
            progress.finish("failed");
            throw e;
        }
        progress.finish("done: " + result.counts().kept() + " paraphrases kept");
        kernel.display(kernel.getRenderer().render(result));
        String as = p.identifier("as");
        if (as != null) {
            session.bind(as, result, AugmentationResult.class);
        }
    }

    static AugmentationConfig config(MagicOptions.Parsed p) {
        AugmentationConfig.Builder b = AugmentationConfig.builder();
        for (String name : p.string("pivot").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                b.addPivot(Pivot.of(name));
            } catch (IllegalArgumentException e) {
                throw p.error("--pivot: " + e.getMessage());
            }
        }
        try {
            return b.optCopies(p.integer("copies")).optRatio(p.real("ratio")).optSeed(p.longValue("seed")).build();
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage().replace("addPivot(Pivot.CAT)", "--pivot spa,cat"));
        }
    }

    /** The texts to augment: a LabeledTexts or a Corpus, sampled with --limit. */
    static Object data(Session session, MagicOptions.Parsed p) {
        String dataset = p.string("dataset");
        String var = p.identifier("data");
        String split = p.string("split");
        if ((dataset == null) == (var == null)) {
            throw p.error("give either --dataset NAME or --data VAR");
        }
        Object o;
        if (dataset != null) {
            if (!Datasets.NAMES.contains(dataset)) {
                throw p.error("--dataset " + dataset + ": unknown; built-in datasets: " + String.join(", ", Datasets.NAMES));
            }
            o = Datasets.load(dataset);
        } else {
            o = session.variable(var).orElseThrow(() -> p.error("--data " + var + ": no such variable in this session"));
        }
        try {
            if (o instanceof LabeledDataset d) {
                o = d.split(split);
            } else if (o instanceof CorpusDataset d) {
                o = d.split(split);
            }
        } catch (IllegalArgumentException e) {
            throw p.error("--split " + split + ": " + e.getMessage());
        }
        if (o instanceof List<?> list) {
            List<String> texts = new ArrayList<>(list.size());
            list.forEach(x -> texts.add(String.valueOf(x)));
            o = Corpus.of(var, texts);
        }
        if (!(o instanceof LabeledTexts) && !(o instanceof Corpus)) {
            throw p.error("--data " + var + " holds a " + o.getClass().getName()
                    + "; pass LabeledTexts, Corpus, LabeledDataset, CorpusDataset or List<String>");
        }
        if (p.has("limit")) {
            int n = p.integer("limit");
            long seed = p.longValue("seed");
            o = o instanceof LabeledTexts l ? l.sample(n, seed) : ((Corpus) o).sample(n, seed);
        }
        return o;
    }
}
