package org.plm4j.bench.pretrain;

import org.plm4j.train.TrainingProgress;
import org.plm4j.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Measures training tokens/s of the tiny preset and the benchmark configuration. A measurement, not
 * a check: tagged {@code slow}, so the build skips it; run it with
 * {@code mvn -o -pl bench -am test -Dtest=ThroughputBenchmarkTest -Dplm4j.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class ThroughputBenchmarkTest {

    static Corpus zipfCorpus(int words, int texts, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int t = 0; t < texts; t++) {
            StringBuilder sb = new StringBuilder();
            int len = 8 + rng.nextInt(30);
            for (int i = 0; i < len; i++) {
                int w = (int) Math.min(words - 1, Math.floor(Math.pow(words, rng.nextDouble())));
                sb.append('w').append(w).append(' ');
            }
            out.add(sb.toString());
        }
        return Corpus.of("zipf", out);
    }

    void run(String name, EncoderConfig.Builder model, int vocab, int seq, int batch, int steps) {
        Corpus corpus = zipfCorpus(vocab - 5, 20000, 1);
        Tokenizer tok = TestTokenizers.whitespace(corpus.texts());
        EncoderConfig cfg = model.setVocabSize(tok.vocabSize()).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 1)) {
            PretrainConfig pc = PretrainConfig.builder().optSteps(steps).optBatchSize(batch).optSequenceLength(seq)
                    .optEvalEvery(100000).optEvalBatches(1).build();
            long[] at10 = new long[1];
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(tok).setData(corpus).optConfig(pc)
                    .optListener(new TrainingListener() { @Override public void onStep(TrainingProgress p) { if (p.step() == 10) { at10[0] = System.nanoTime(); } } })
                    .run();
            double steady = (steps - 10) * 1e9 / (System.nanoTime() - at10[0]);
            System.out.printf("%s: %s%n  %.0f tokens/s over all steps; steady state (steps 11-%d, incl. final eval) "
                    + "%.1f steps/s = %.0f tokens/s (%.0f ms/step)%n", name, m, r.tokensPerSecond(), steps, steady,
                    steady * batch * seq, 1000 / steady);
        }
    }

    @Test
    void tinyPreset() {
        run("tiny seq64 batch32", EncoderConfig.tiny(10).toBuilder(), 6000, 64, 32, 150);
    }

    @Test
    void benchmarkConfiguration() {
        run("bench h256 l4 seq128 batch32", EncoderConfig.mini(10).toBuilder(), 8000, 128, 32, 40);
    }

    /** Runs both measurements: {@code java -cp ... org.plm4j.bench.pretrain.ThroughputBenchmarkTest [tiny|bench]}. */
    public static void main(String[] args) {
        ThroughputBenchmarkTest t = new ThroughputBenchmarkTest();
        String which = args.length > 0 ? args[0] : "both";
        if (!which.equals("bench")) {
            t.tinyPreset();
        }
        if (!which.equals("tiny")) {
            t.benchmarkConfiguration();
        }
    }
}
