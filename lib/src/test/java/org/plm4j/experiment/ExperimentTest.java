package org.plm4j.experiment;

import org.plm4j.record.Metrics;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.baseline.MajorityClassifier;
import org.plm4j.baseline.TfIdfConfig;
import org.plm4j.baseline.TfIdfLogisticRegression;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.datasets.SplitSpec;
import org.plm4j.display.Html;
import org.plm4j.record.RunRecord;
import tech.tablesaw.api.Table;

class ExperimentTest {

    private static final List<String> LABELS = List.of("animals", "cooking", "sports");
    private static final List<List<String>> TOPIC = List.of(
            List.of("cat", "dog", "horse", "cow", "sheep", "bird", "fish", "tiger"),
            List.of("oven", "bake", "flour", "sugar", "pan", "boil", "salt", "recipe"),
            List.of("ball", "goal", "team", "coach", "match", "score", "player", "league"));
    private static final List<String> SHARED = List.of("the", "a", "and", "of", "with", "very", "big", "small",
            "today", "there", "every", "some", "red", "old", "new", "near");

    /** 40 texts per label; a topic word in about a quarter of the positions, so a few texts are ambiguous. */
    private static LabeledDataset task() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (int l = 0; l < LABELS.size(); l++) {
                StringBuilder b = new StringBuilder();
                int len = 6 + rnd.nextInt(6);
                for (int w = 0; w < len; w++) {
                    List<String> pool = rnd.nextInt(4) == 0 ? TOPIC.get(rnd.nextInt(5) == 0 ? rnd.nextInt(3) : l) : SHARED;
                    b.append(w == 0 ? "" : " ").append(pool.get(rnd.nextInt(pool.size())));
                }
                texts.add(b.toString());
                labels.add(LABELS.get(l));
            }
        }
        return LabeledDataset.of(LabeledTexts.of("topics", texts, labels), new SplitSpec(0.2, 0.3, 42));
    }

    /** The test split with every other word replaced by a shared word: harder, same labels. */
    private static LabeledTexts paraphrased(LabeledTexts test) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            String[] words = test.text(i).split(" ");
            for (int w = 0; w < words.length; w += 2) {
                words[w] = SHARED.get((i + w) % SHARED.size());
            }
            out.add(String.join(" ", words));
        }
        return LabeledTexts.of(test.name() + "-paraphrased", out, test.labelOfEach());
    }

    private static TfIdfLogisticRegression tfidf(LabeledDataset task, long seed) {
        return TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.builder().optEpochs(3).optSeed(seed).build());
    }

    @Test
    void threeSeedsOfTwoMethodsGiveOneRowEachAndThreeRecordsPerMethodThatRebuildTheSameTable(@TempDir Path dir)
            throws Exception {
        LabeledDataset task = task();
        Experiment exp = Experiment.builder(task).optOutputDir(dir).build();
        exp.run("majority", seed -> MajorityClassifier.fit(task.train()));
        MethodResult tf = exp.run("TF-IDF + LR", seed -> tfidf(task, seed));

        Comparison c = exp.comparison();
        Table t = c.table();
        System.out.println(t.print());
        assertEquals(List.of("majority", "TF-IDF + LR"), t.stringColumn("method").asList());
        assertEquals(List.of(3, 3), t.intColumn("runs").asList());
        assertEquals(List.of("method", "runs", "accuracy", "macro-F1", "micro-F1", "tail macro-F1", "wall s"),
                t.columnNames());
        assertEquals(List.of(1L, 2L, 3L), tf.seeds());
        assertEquals(tf.stats(Metrics.TEST_MACRO_F1).toString(), t.stringColumn("macro-F1").get(1));
        assertTrue(tf.mean(Metrics.TEST_MACRO_F1) > exp.results().get(0).mean(Metrics.TEST_MACRO_F1) + 0.2, c.toString());

        for (String slug : List.of("majority", "tf-idf-lr")) {
            for (long seed : List.of(1L, 2L, 3L)) {
                Path f = dir.resolve(slug).resolve("seed-" + seed).resolve(RunRecord.FILE_NAME);
                assertTrue(Files.isRegularFile(f), f + " written");
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(6, files.filter(p -> p.endsWith(RunRecord.FILE_NAME)).count());
        }
        RunRecord r = RunRecord.load(Experiment.runDir(dir, "TF-IDF + LR", 2));
        assertEquals(Experiment.KIND, r.kind());
        assertEquals(2L, r.seed());
        assertEquals("TF-IDF + LR", r.config().get(Experiment.CONFIG_METHOD));
        assertEquals(List.of("train", "validation", "test"), r.data().stream().map(RunRecord.DataSet::role).toList());
        assertEquals(RunRecord.DataSet.of("test", task.test()).sha256(), r.data().get(2).sha256());
        assertTrue(r.metric(Metrics.WALL_SECONDS) > 0);

        Comparison rebuilt = Comparison.fromRecords(dir);
        assertEquals(t.print(), rebuilt.table().print());
        for (int m = 0; m < 2; m++) {
            for (String metric : List.of(Metrics.TEST_ACCURACY, Metrics.TEST_MACRO_F1, Metrics.TEST_MICRO_F1,
                    Metrics.TEST_TAIL_MACRO_F1, Metrics.WALL_SECONDS)) {
                assertEquals(c.methods().get(m).stats(metric), rebuilt.methods().get(m).stats(metric), metric);
            }
        }
    }

    @Test
    void sameSeedsGiveIdenticalMetrics() {
        LabeledDataset task = task();
        Experiment a = Experiment.builder(task).optSeeds(5, 6).build();
        Experiment b = Experiment.builder(task).optSeeds(5, 6).build();
        MethodResult ra = a.run("TF-IDF + LR", seed -> tfidf(task, seed));
        MethodResult rb = b.run("TF-IDF + LR", seed -> tfidf(task, seed));
        for (int i = 0; i < 2; i++) {
            assertEquals(withoutWall(ra.runs().get(i).metrics()), withoutWall(rb.runs().get(i).metrics()));
        }
        assertEquals(ra.stats(Metrics.TEST_MACRO_F1), rb.stats(Metrics.TEST_MACRO_F1));
    }

    private static Map<String, Double> withoutWall(Map<String, Double> metrics) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.remove(Metrics.WALL_SECONDS);
        return m;
    }

    @Test
    void aMethodThatFailsForOneSeedThrowsNamingMethodAndSeedAndAddsNoRow(@TempDir Path dir) {
        LabeledDataset task = task();
        Experiment exp = Experiment.builder(task).optOutputDir(dir).build();
        exp.run("majority", seed -> MajorityClassifier.fit(task.train()));
        ExperimentException e = assertThrows(ExperimentException.class, () -> exp.run("flaky", seed -> {
            if (seed == 2) {
                throw new IllegalStateException("out of memory on purpose");
            }
            return MajorityClassifier.fit(task.train());
        }));
        assertTrue(e.getMessage().contains("method 'flaky' failed for seed 2"), e.getMessage());
        assertTrue(e.getMessage().contains("out of memory on purpose"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("flaky", e.method());
        assertEquals(2L, e.seed());
        assertEquals(List.of("majority"), exp.comparison().methods().stream().map(MethodResult::method).toList());
    }

    @Test
    void extraTestSetAddsAccuracyAndDropColumns() {
        LabeledDataset task = task();
        LabeledTexts para = paraphrased(task.test());
        Experiment exp = Experiment.builder(task).optSeeds(1, 2).addExtraTestSet("paraphrased", para).build();
        MethodResult r = exp.run("TF-IDF + LR", seed -> tfidf(task, seed));
        Table t = exp.comparison().table();
        System.out.println(t.print());
        assertTrue(t.columnNames().containsAll(List.of("paraphrased accuracy", "paraphrased drop")), t.columnNames().toString());
        for (RunRecord run : r.runs()) {
            assertEquals(run.metric(Metrics.TEST_ACCURACY) - run.metric(Metrics.accuracyOn("paraphrased")),
                    run.metric(Metrics.dropOn("paraphrased")), 1e-12);
            assertEquals("paraphrased", run.data().get(3).role());
        }
        assertEquals(r.stats(Metrics.dropOn("paraphrased")).toString(), t.stringColumn("paraphrased drop").get(0));
        assertTrue(r.mean(Metrics.dropOn("paraphrased")) > 0, "paraphrasing removes topic words: " + t.print());
    }

    @Test
    void againstABaselineSaysWhichMethodsDoNotBeatIt() {
        LabeledDataset task = task();
        Experiment exp = Experiment.builder(task).optSeeds(1, 2).build();
        exp.run("majority", seed -> MajorityClassifier.fit(task.train()));
        exp.run("TF-IDF + LR", seed -> tfidf(task, seed));
        Comparison c = exp.comparison().against("TF-IDF + LR");
        Table t = c.table();
        assertEquals(List.of("no", "(baseline)"), t.stringColumn("beats TF-IDF + LR?").asList());
        assertEquals(List.of("majority"), c.notBeatingBaseline());
        assertTrue(c.verdict().startsWith("Not clearly better than TF-IDF + LR"), c.verdict());
        assertTrue(c.toHtml().contains(Html.escape(c.verdict())));
        assertEquals(List.of(), exp.comparison().against("majority").notBeatingBaseline());
        assertThrows(IllegalArgumentException.class, () -> exp.comparison().against("BERT"));
    }

    @Test
    void closesEveryAutoCloseableClassifierAfterEvaluation() {
        LabeledDataset task = task();
        AtomicInteger closed = new AtomicInteger();
        Experiment exp = Experiment.builder(task).build();
        exp.run("closeable", seed -> new Closeable(MajorityClassifier.fit(task.train()), closed));
        assertEquals(Experiment.DEFAULT_SEEDS.size(), closed.get());
    }

    private record Closeable(TextClassifier inner, AtomicInteger closed) implements TextClassifier, AutoCloseable {
        @Override
        public List<String> labels() {
            return inner.labels();
        }

        @Override
        public Prediction predict(String text) {
            return inner.predict(text);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void rejectsRepeatedMethodNamesAndInvalidSettings() {
        LabeledDataset task = task();
        Experiment exp = Experiment.builder(task).optSeeds(1).build();
        exp.run("TF-IDF + LR", seed -> tfidf(task, seed));
        assertThrows(IllegalArgumentException.class, () -> exp.run("tf-idf lr", seed -> tfidf(task, seed)),
                "same output directory slug");
        assertEquals("seeds must be distinct, got [1, 1]",
                assertThrows(IllegalArgumentException.class, () -> Experiment.builder(task).optSeeds(1, 1).build())
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Experiment.builder(task).optSeeds().build());
        assertThrows(IllegalArgumentException.class, () -> Experiment.builder(task).addExtraTestSet("test", task.test()));
    }

    @Test
    void chartAndHtmlRenderHeadless() {
        LabeledDataset task = task();
        Experiment exp = Experiment.builder(task).optSeeds(1, 2).build();
        exp.run("majority", seed -> MajorityClassifier.fit(task.train()));
        exp.run("TF-IDF + LR", seed -> tfidf(task, seed));
        Comparison c = exp.comparison();
        assertTrue(Html.png(c.chart()).length > 1000);
        assertTrue(c.toHtml().contains("<img"));
        assertTrue(c.toString().startsWith("Comparison[majority: macro-F1 "), c.toString());
    }
}
