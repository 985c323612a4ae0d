package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.model.EncoderConfig;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.record.RunRecord;
import org.plm4j.testing.TestCorpora;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/** DAPT: continued pretraining on a domain corpus lowers the domain's held-out perplexity; lineage is kept. */
class AdaptationTest {

    @BeforeAll
    static void oneThread() {
        EngineSetup.setThreads(1);
    }

    private static final String[][] DOMAIN = {
        {"the compiler", "parses", "the source"}, {"the kernel", "schedules", "the threads"},
        {"the linker", "resolves", "the symbols"}, {"the cache", "stores", "the pages"},
        {"the router", "forwards", "the packets"}, {"the parser", "builds", "the tree"},
    };
    private static final String[] WHEN = {"every build", "at boot", "under load", "on demand"};

    static Corpus domain(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] f = DOMAIN[rng.nextInt(DOMAIN.length)];
            texts.add(f[0] + " " + f[1] + " " + f[2] + " " + WHEN[rng.nextInt(WHEN.length)]);
        }
        return Corpus.of("computing-" + n, texts);
    }

    @Test
    void daptLowersDomainPerplexityBelowTheBaseModelsAndRecordsTheLineage(@TempDir Path dir) {
        Corpus general = TestCorpora.repetitive(300, 7);
        Corpus domain = domain(300, 11);
        List<String> all = new ArrayList<>(general.texts());
        all.addAll(domain.texts());
        Tokenizer tok = TestTokenizers.whitespace(all);
        EncoderConfig ec = EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(2).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
        PretrainConfig.Builder pc = PretrainConfig.builder().optBatchSize(16).optSequenceLength(32)
                .optLearningRate(2e-3f).optEvalBatches(2).optHeldOutFraction(0.1).optSeed(3);
        Path base = dir.resolve("base");
        try (MaskedLanguageModel m = MaskedLanguageModel.create(ec, 1)) {
            Pretrainer.builder().setModel(m).setTokenizer(tok).setData(general)
                    .optConfig(pc.optSteps(200).optEvalEvery(200).optOutputDir(base).build()).run();
        }
        CorpusSplit domainSplit = domain.split(0.1, 3);
        try (MaskedLanguageModel m = MaskedLanguageModel.load(base.resolve("checkpoint"))) {
            PretrainConfig dapt = pc.optSteps(150).optEvalEvery(150).optOutputDir(dir.resolve("dapt")).build();
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(tok).optAdaptation(Adaptation.DAPT)
                    .setData(domainSplit).optConfig(dapt).run();
            System.out.println("DAPT: " + r);
            // the first evaluation is the base model on the domain's held-out text
            assertTrue(r.perplexityAfter() < r.perplexityBefore() / 2, r.toString());
            assertEquals("dapt", r.record().kind());
            assertEquals(2, m.lineage().size());
            assertEquals("pretrain", m.lineage().get(0).toMap().get("kind"));
            assertEquals(general.split(0.1, 3).train().sha256(), m.lineage().get(0).toMap().get("sha256"));
            assertEquals("dapt", m.lineage().get(1).toMap().get("kind"));
            assertEquals(domainSplit.train().sha256(), m.lineage().get(1).toMap().get("sha256"));
            RunRecord rec = RunRecord.load(dir.resolve("dapt"));
            assertEquals(base.resolve("checkpoint").toAbsolutePath().toString(), rec.artifacts().get("base_checkpoint"));
            assertTrue(rec.lineage().get(1).kind().equals("dapt") && rec.lineage().get(1).source().equals(domainSplit.train().name()),
                    rec.lineage().toString());
        }
        try (MaskedLanguageModel again = MaskedLanguageModel.load(dir.resolve("dapt").resolve("checkpoint"))) {
            assertEquals(2, again.lineage().size(), "the lineage is saved in config.json");
        }
    }
}
