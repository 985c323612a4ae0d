package org.plm4j.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.plm4j.corpus.Corpus;
import org.plm4j.datasets.WordNet;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.pretrain.TrainingCheckpoint;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/**
 * Embryology on a short tiny pretraining run over WordNet glosses that keeps a checkpoint every
 * 10 steps from step 0: the probe curves move, and the random initialisation knows nothing.
 */
class ProbeSeriesTest {

    static final int STEPS = 40;
    static final int EVERY = 10;
    static final long SEED = 11;

    @TempDir
    static Path run;
    static WordPieceTokenizer tokenizer;
    static EncoderConfig architecture;
    static ProbeSeries series;

    @BeforeAll
    static void pretrainAndProbe() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed");
        EngineSetup.setThreads(1);
        Corpus corpus = WordNet.load().corpus().sample(8000, 3);
        tokenizer = WordPieceTrainer.train(corpus, WordPieceConfig.builder().optVocabSize(6000).build());
        PretrainConfig config = PretrainConfig.builder().optSteps(STEPS).optBatchSize(16).optSequenceLength(64)
                .optLearningRate(2e-3f).optEvalEvery(EVERY).optEvalBatches(1).optSeed(SEED).optOutputDir(run)
                .optCheckpointEvery(EVERY).optKeepCheckpoints(true).build();
        architecture = EncoderConfig.tiny(tokenizer.vocabSize());
        try (MaskedLanguageModel model = MaskedLanguageModel.create(architecture, SEED)) {
            Pretrainer.builder().setModel(model).setTokenizer(tokenizer).setData(corpus).optConfig(config).run();
        }
        List<String> heldOut = corpus.split(config.heldOutFraction(), config.seed()).heldOut().texts();
        series = ProbeSeries.over(run, tokenizer, Probe.parse("supersense,pos,mlm,ppl"),
                ProbeConfig.builder().optWords(1500).optTexts(heldOut).optSeed(5).build());
        System.out.println(series);
        System.out.println(series.chanceTable().print());
        System.out.println(series.table().print());
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void keptSeriesStartsWithTheInitialisationAndHoldsEveryKthStep() {
        List<TrainingCheckpoint> all = TrainingCheckpoint.all(run);
        assertArrayEquals(new int[] {0, 10, 20, 30, 40}, all.stream().mapToInt(TrainingCheckpoint::step).toArray());
        assertArrayEquals(new int[] {0, 10, 20, 30, 40}, series.steps());
        // step 0 is the random initialisation itself: the weights of a model created with the run's seed
        try (MaskedLanguageModel initial = all.get(0).loadModel();
             MaskedLanguageModel fresh = MaskedLanguageModel.create(architecture, SEED);
             MaskedLanguageModel trained = all.get(4).loadModel()) {
            String w = "bert.embeddings.word_embeddings.weight";
            float[] a = initial.parameters().get(w).toFloatArray();
            assertArrayEquals(fresh.parameters().get(w).toFloatArray(), a);
            assertTrue(!Arrays.equals(a, trained.parameters().get(w).toFloatArray()), "training changed the weights");
        }
    }

    @Test
    void everyProbeCurveChangesOverPretraining() {
        for (Probe p : series.probes()) {
            double[] s = series.scores(p);
            double range = Arrays.stream(s).max().getAsDouble() - Arrays.stream(s).min().getAsDouble();
            assertTrue(range > 0, p.key() + " is constant over the checkpoints: " + Arrays.toString(s));
        }
        // and the masked-LM probes move the way pretraining pushes them
        double[] ppl = series.scores(Probe.PERPLEXITY);
        double[] mlm = series.scores(Probe.MLM);
        assertTrue(ppl[ppl.length - 1] < ppl[0] / 2, "held-out perplexity did not halve: " + Arrays.toString(ppl));
        assertTrue(mlm[mlm.length - 1] > mlm[0], "masked-token accuracy did not rise: " + Arrays.toString(mlm));
    }

    @Test
    void randomInitialisationScoresAtChanceOnTheWordProbes() {
        // The word probes test on words the probe never trained on. Features that know nothing about a
        // word are independent of its label, and so are the probe's predictions: over n test words its
        // hits are then a sum of n draws with mean pe = sum over classes of (predicted share x true share)
        // (Cohen's expected agreement) and standard deviation about sqrt(pe (1 - pe) / n). We allow 3 of
        // them either way (a chance of about 0.3 % to fail by bad luck). Features that carried label
        // information, e.g. from subword pieces shared by train and test words or a gloss as context,
        // raise the accuracy above that band. And no uninformed probe expects more than the majority rate.
        for (Probe p : List.of(Probe.SUPERSENSE, Probe.POS)) {
            int n = series.testSize(p);
            double atInit = series.scores(p)[0];
            double pe = series.expectedByChance(p)[0];
            double tolerance = 3 * Math.sqrt(pe * (1 - pe) / n);
            System.out.printf("%s: step-0 accuracy %.4f, expected by chance %.4f +- %.4f, majority rate %.4f, %d test"
                    + " words%n", p.key(), atInit, pe, tolerance, series.chance(p), n);
            assertTrue(n >= 150, p.key() + " has only " + n + " test words: " + series.data(p));
            assertTrue(Math.abs(atInit - pe) <= tolerance, p.key() + " at step 0 scores " + atInit
                    + ", outside chance " + pe + " +- " + tolerance);
            assertTrue(atInit <= series.chance(p) + tolerance, p.key() + " at step 0 beats the majority rate");
        }
        // a uniform guess over V ids has perplexity V; the initialisation (weights of std 0.02) is close to it
        double v = tokenizer.vocabSize();
        double ppl0 = series.scores(Probe.PERPLEXITY)[0];
        assertTrue(ppl0 > v / 2 && ppl0 < 2 * v, "step-0 perplexity " + ppl0 + " is far from the uniform " + v);
    }

    @Test
    void theChanceBandRejectsFeaturesThatCarryLabelInformation() {
        // Negative control of the test above: the same initialisation, probed on each synset's gloss
        // definition instead of a word. The random encoder mixes the gloss's tokens, which tell the part
        // of speech ("to ...", "a ..."), so its accuracy must leave the band the word probes stay in.
        List<String> texts = new java.util.ArrayList<>();
        List<String> labels = new java.util.ArrayList<>();
        for (org.plm4j.datasets.Synset s : WordNet.load().synsets()) {
            if (!s.definition().isBlank()) {
                texts.add(s.definition());
                labels.add(s.pos() == 's' ? "a" : String.valueOf(s.pos()));
            }
        }
        org.plm4j.corpus.LabeledSplit split = org.plm4j.corpus.LabeledTexts.of("gloss-pos", texts, labels)
                .sample(1500, 5).split(0.3, 5);
        try (MaskedLanguageModel initial = TrainingCheckpoint.all(run).get(0).loadModel()) {
            List<org.plm4j.classify.Prediction> predicted = org.plm4j.baseline.LinearProbe
                    .fit(initial, tokenizer, split.train(), 5).predict(split.test().texts());
            int n = predicted.size();
            int hits = 0;
            java.util.Map<String, Integer> predictedCounts = new java.util.HashMap<>();
            for (int j = 0; j < n; j++) {
                hits += predicted.get(j).label().equals(split.test().label(j)) ? 1 : 0;
                predictedCounts.merge(predicted.get(j).label(), 1, Integer::sum);
            }
            double pe = 0;
            for (var e : split.test().labelCounts().entrySet()) {
                pe += (double) predictedCounts.getOrDefault(e.getKey(), 0) / n * e.getValue() / n;
            }
            double accuracy = (double) hits / n;
            double tolerance = 3 * Math.sqrt(pe * (1 - pe) / n);
            System.out.printf("gloss as input at step 0: accuracy %.4f, expected by chance %.4f +- %.4f%n", accuracy,
                    pe, tolerance);
            assertTrue(accuracy > pe + tolerance, "gloss features at step 0 stay within chance: " + accuracy);
        }
    }

    @Test
    void rendersTableChartAndHtml() throws Exception {
        assertEquals(5, series.table().rowCount());
        assertEquals(List.of("step", "supersense", "pos", "mlm", "ppl"), series.table().columnNames());
        assertEquals(4, series.chanceTable().rowCount());
        assertTrue(BitmapEncoder.getBufferedImage(series.chart()).getWidth() > 0);
        assertTrue(series.toHtml().contains("<img"));
        assertTrue(series.toString().length() < 400, series.toString());
    }

    @Test
    void runRecordHoldsEveryScoreTheWordSetsAndTheCheckpoints() {
        org.plm4j.record.RunRecord r = org.plm4j.record.RunRecord.fromJson(series.record().toJson());
        assertEquals(ProbeSeries.KIND, r.kind());
        assertEquals(series.scores(Probe.SUPERSENSE)[0], r.metric("supersense_step_0"), 0.0);
        assertEquals(series.scores(Probe.PERPLEXITY)[4], r.metric("ppl_step_40"), 0.0);
        assertEquals(series.expectedByChance(Probe.POS)[2], r.metric("pos_by_chance_step_20"), 0.0);
        assertEquals(series.chance(Probe.MLM), r.metric("mlm_chance"), 0.0);
        assertEquals(5, r.artifacts().size());
        assertEquals(List.of("supersense_train", "supersense_test", "pos_train", "pos_test", "heldout"),
                r.data().stream().map(org.plm4j.record.RunRecord.DataSet::role).toList());
        assertEquals(List.of("pretrain"), r.lineage().kinds());
    }

    @Test
    void probesOfGivenCheckpointFoldersMatchThoseOfTheRunDirectory() {
        List<Path> two = TrainingCheckpoint.all(run).stream().map(TrainingCheckpoint::path).toList().subList(3, 5);
        ProbeSeries part = ProbeSeries.over(two, tokenizer, List.of(Probe.PERPLEXITY),
                ProbeConfig.builder().optTexts(List.of("a small domesticated carnivorous mammal with soft fur",
                        "move fast by using one's feet")).optSeed(5).build());
        assertArrayEquals(new int[] {30, 40}, part.steps());
        assertThrows(IllegalArgumentException.class, () -> part.scores(Probe.POS));
    }

    @Test
    void unknownProbeNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Probe.parse("supersense,syntax"));
        assertTrue(e.getMessage().contains("'syntax'") && e.getMessage().contains("supersense, pos, mlm, ppl"),
                e.getMessage());
    }

    @Test
    void directoryWithoutCheckpointsSaysHowToWriteThem(@TempDir Path empty) {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ProbeSeries.over(empty, tokenizer, List.of(Probe.MLM)));
        assertTrue(e.getMessage().contains("optKeepCheckpoints(true)"), e.getMessage());
    }
}
