package org.plm4j.extension.magic;

import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.backtranslate.ApertiumTranslator;
import org.plm4j.backtranslate.CachedTranslator;
import org.plm4j.backtranslate.Pivot;
import org.plm4j.baseline.LinearProbe;
import org.plm4j.baseline.MajorityClassifier;
import org.plm4j.baseline.TfIdfConfig;
import org.plm4j.baseline.TfIdfLogisticRegression;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.evaluate.ClassificationEvaluation;
import org.plm4j.extension.session.Session;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.EvalResult;
import org.plm4j.pretrain.Perplexity;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.robustness.Robustness;
import org.plm4j.robustness.RobustnessReport;
import org.plm4j.tokenizer.Tokenizer;

/**
 * {@code %evaluate}: evaluation from a notebook line, a thin parser over
 * {@link ClassificationEvaluation} (Tribuo's metrics) for classifiers and baselines and over
 * {@link Perplexity} for masked language models. Shows the metrics tables, the confusion heat map
 * and the head/tail breakdown; binds the evaluation with {@code --as}.
 */
public final class EvaluateMagic extends OptionsMagic {

    static final MagicOptions OPTIONS = MagicOptions.builder("evaluate",
                    "evaluate a classifier or a baseline on a task split (Tribuo metrics), or a masked LM's perplexity")
            .option("classifier", "VAR", null, "a TextClassifier (or FineTuneResult) variable to evaluate")
            .option("baseline", "majority|tfidf|probe", null,
                    "fit a baseline on the training split and evaluate it (probe: logistic regression on frozen --model embeddings)")
            .option("dataset", "NAME|VAR", Datasets.FOLDOC_TOPICS,
                    "a task (foldoc-topics, wordnet-supersenses) or a LabeledDataset variable")
            .option("split", "test|validation", "test", "the split to evaluate on")
            .option("model", "VAR", null, "a MaskedLanguageModel variable (for --baseline probe and --corpus)")
            .option("tokenizer", "VAR", null, "its Tokenizer variable")
            .option("corpus", "NAME|VAR", null,
                    "masked-LM mode: held-out perplexity of --model on a Corpus/LabeledTexts variable or a dataset's test split")
            .option("seed", "N", TfIdfConfig.DEFAULT_SEED, "seed of the baseline's training (and of the perplexity masks)")
            .option("head-fraction", "F", ClassificationEvaluation.DEFAULT_HEAD_FRACTION,
                    "share of classes (most frequent in training) counted as head in the head/tail breakdown")
            .option("paraphrased", "PIVOT", null,
                    "robustness: also evaluate on the split back-translated through PIVOT (spa, cat, ...; Apertium, cached)"
                            + " and show the drop from clean accuracy")
            .option("as", "NAME", null, "bind the ClassificationEvaluation (or EvalResult for --corpus, RobustnessReport"
                    + " for --paraphrased) to this variable")
            .javaCall("""
                    LabeledDataset data = Datasets.task("foldoc-topics");
                    ClassificationEvaluation ev = ClassificationEvaluation.of(classifier, data.test());
                    // --baseline majority|tfidf|probe:
                    //   MajorityClassifier.fit(data.train())
                    //   TfIdfLogisticRegression.fit(data.train(), TfIdfConfig.builder().optSeed(seed).build())
                    //   LinearProbe.fit(model, tokenizer, data.train(), seed)
                    ev.headTail(data.train().labelCounts(), headFraction);
                    ev.confusionChart();
                    // --paraphrased spa: LabeledTexts p = Robustness.paraphrasedCopy(data.test(),
                    //         CachedTranslator.of(ApertiumTranslator.create()), Pivot.of("spa"));
                    //     RobustnessReport r = Robustness.evaluate(classifier, data.test(), p);
                    // --corpus: Perplexity.evaluate(model, tokenizer, texts, PretrainConfig.builder().optSeed(seed).build())""")
            .build();

    public EvaluateMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        String as = p.identifier("as");
        if (p.string("corpus") != null) {
            perplexity(kernel, session, p, as);
            return;
        }
        LabeledDataset data = new SessionResolver(session, "evaluate").dataset(p.required("dataset"));
        LabeledTexts gold = switch (p.required("split").toLowerCase(Locale.ROOT)) {
            case "test" -> data.test();
            case "validation" -> data.validation();
            default -> throw p.error("--split must be test or validation, got '" + p.string("split") + "'");
        };
        TextClassifier classifier = classifier(session, p, data);
        if (p.string("paraphrased") != null) {
            robustness(kernel, session, p, classifier, gold, as);
            return;
        }
        ClassificationEvaluation ev;
        try {
            ev = ClassificationEvaluation.of(classifier, gold);
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        kernel.display(kernel.getRenderer().render(ev));
        kernel.display(kernel.getRenderer().render(ev.headTail(data.train().labelCounts(), p.real("head-fraction")).toTable()));
        kernel.display(kernel.getRenderer().render(ev.confusionChart()));
        if (as != null) {
            session.bind(as, ev, ClassificationEvaluation.class);
        }
    }

    private static void robustness(BaseKernel kernel, Session session, MagicOptions.Parsed p, TextClassifier classifier,
                                   LabeledTexts gold, String as) {
        Pivot pivot;
        try {
            pivot = Pivot.of(p.string("paraphrased"));
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        LabeledTexts paraphrased = Robustness.paraphrasedCopy(gold,
                CachedTranslator.of(ApertiumTranslator.create()), pivot);
        RobustnessReport r = Robustness.evaluate(classifier, gold, paraphrased);
        kernel.display(kernel.getRenderer().render(r));
        if (as != null) {
            session.bind(as, r, RobustnessReport.class);
        }
    }

    private static TextClassifier classifier(Session session, MagicOptions.Parsed p, LabeledDataset data) {
        String var = p.identifier("classifier");
        String baseline = p.string("baseline");
        if ((var == null) == (baseline == null)) {
            throw p.error("give exactly one of --classifier VAR and --baseline majority|tfidf|probe (or --corpus for perplexity)");
        }
        if (var != null) {
            Object o = session.variable(var).orElseThrow(() -> p.error("--classifier " + var + ": no such variable"));
            if (o instanceof FineTuneResult r) {
                return r.classifier();
            }
            if (o instanceof TextClassifier c) {
                return c;
            }
            throw p.error("--classifier " + var + " holds a " + o.getClass().getName()
                    + ", not a TextClassifier or FineTuneResult");
        }
        long seed = p.longValue("seed");
        return switch (baseline.toLowerCase(Locale.ROOT)) {
            case "majority" -> MajorityClassifier.fit(data.train());
            case "tfidf" -> TfIdfLogisticRegression.fit(data.train(), TfIdfConfig.builder().optSeed(seed).build());
            case "probe" -> LinearProbe.fit(model(session, p), new SessionResolver(session, "evaluate").tokenizer(p.identifier("tokenizer")), data.train(), seed);
            default -> throw p.error("--baseline must be majority, tfidf or probe, got '" + baseline + "'");
        };
    }

    private static MaskedLanguageModel model(Session session, MagicOptions.Parsed p) {
        return new SessionResolver(session, "evaluate").model(p.identifier("model"));
    }

    private static void perplexity(BaseKernel kernel, Session session, MagicOptions.Parsed p, String as) {
        MaskedLanguageModel model = model(session, p);
        Tokenizer tokenizer = new SessionResolver(session, "evaluate").tokenizer(p.identifier("tokenizer"));
        String spec = p.string("corpus");
        List<String> texts = new SessionResolver(session, "evaluate").texts(spec);
        EvalResult r;
        try {
            r = Perplexity.evaluate(model, tokenizer, texts, PretrainConfig.builder().optSeed(p.longValue("seed")).build());
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "masked-LM perplexity on %s (%d texts): %.2f (loss %.4f)%n", spec, texts.size(),
                r.perplexity(), r.loss());
        if (as != null) {
            session.bind(as, r, EvalResult.class);
        }
    }
}
