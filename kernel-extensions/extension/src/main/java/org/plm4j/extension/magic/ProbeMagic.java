package org.plm4j.extension.magic;

import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.extension.session.Session;
import org.plm4j.model.CheckpointException;
import org.plm4j.probe.Probe;
import org.plm4j.probe.ProbeConfig;
import org.plm4j.probe.ProbeSeries;

/**
 * {@code %probe}: probes at every checkpoint of a pretraining run from a notebook line. A thin parser
 * over {@link ProbeSeries#over(Path, org.plm4j.tokenizer.Tokenizer, List, ProbeConfig)}: it shows the
 * series (table and chart of score against step) and binds it with {@code --as}.
 */
public final class ProbeMagic extends OptionsMagic {

    private static final ProbeConfig DEFAULTS = ProbeConfig.builder().build();

    static final MagicOptions OPTIONS = MagicOptions.builder("probe",
                    "probes at every checkpoint of a pretraining run (embryology: what the model knows when)")
            .option("run", "DIR", null, "the run's output directory (%pretrain --out DIR --checkpoint-every K "
                    + "--keep-checkpoints)")
            .option("tokenizer", "VAR", null, "the Tokenizer variable the run was trained with")
            .option("tasks", "LIST", "supersense,pos,mlm,ppl", "probes, comma-separated: supersense, pos, mlm, ppl")
            .option("words", "N", DEFAULTS.words(), "words a word probe (supersense, pos) samples, at most")
            .option("texts", "VAR|TASK", null, "held-out texts of mlm and ppl: a Corpus or LabeledTexts variable, "
                    + "or a task name (its test split); default: a sample of WordNet definitions")
            .option("seed", "N", DEFAULTS.seed(), "seed of the word sample, the probes and the masks")
            .option("as", "NAME", null, "bind the ProbeSeries to this variable")
            .javaCall("""
                    ProbeSeries series = ProbeSeries.over(Path.of(run), tokenizer, Probe.parse(tasks),
                            ProbeConfig.builder().optWords(words).optSeed(seed)
                                    .optTexts(null)                   // --texts VAR: its texts
                                    .build());                        // shown: table + chart of score against step""")
            .build();

    public ProbeMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        Path run = Path.of(p.required("run"));
        SessionResolver resolve = new SessionResolver(session, "probe");
        String textsVar = p.string("texts");
        List<String> texts = textsVar == null ? null : resolve.texts(textsVar);
        ProbeSeries series;
        try {
            List<Probe> probes = Probe.parse(p.required("tasks"));
            ProbeConfig config = ProbeConfig.builder().optWords(p.integer("words")).optSeed(p.longValue("seed"))
                    .optTexts(texts).build();
            series = ProbeSeries.over(run, resolve.tokenizer(p.identifier("tokenizer")), probes, config);
        } catch (IllegalArgumentException | CheckpointException e) {
            throw p.error(e.getMessage());
        }
        kernel.display(kernel.getRenderer().render(series));
        String as = p.identifier("as");
        if (as != null) {
            session.bind(as, series, ProbeSeries.class);
        }
    }
}
