package org.plm4j.baseline;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.classify.Prediction;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.Foldoc;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.evaluate.ClassificationEvaluation;

class TfIdfLogisticRegressionTest {

    @Test
    void learnsASeparableGeneratedCorpusAlmostPerfectly() {
        LabeledTexts train = BaselineCorpora.separable("topics-train", 60, 1);
        LabeledTexts test = BaselineCorpora.separable("topics-test", 30, 2);
        TfIdfLogisticRegression c = TfIdfLogisticRegression.fit(train, TfIdfConfig.defaults());
        ClassificationEvaluation e = ClassificationEvaluation.of(c, test);
        System.out.println(e);
        assertEquals(1.0, e.accuracy(), 1e-12, e.toString());
        assertEquals(BaselineCorpora.LABELS, c.labels());
        assertTrue(c.vocabulary().stream().anyMatch(t -> t.contains(" ")), "bigrams are features");
    }

    @Test
    void sameSeedGivesIdenticalPredictions() {
        LabeledTexts train = BaselineCorpora.separable("train", 30, 3);
        LabeledTexts test = BaselineCorpora.separable("test", 10, 4);
        TfIdfConfig cfg = TfIdfConfig.builder().optEpochs(3).optSeed(11).build();
        List<Prediction> a = TfIdfLogisticRegression.fit(train, cfg).predict(test.texts());
        List<Prediction> b = TfIdfLogisticRegression.fit(train, cfg).predict(test.texts());
        assertEquals(a, b);
        List<Prediction> other = TfIdfLogisticRegression.fit(train, cfg.toBuilder().optSeed(12).build()).predict(test.texts());
        assertNotEquals(a, other, "another seed shuffles the training order differently");
    }

    @Test
    void textWithoutAKnownTermGetsTheTrainingClassFrequencies() {
        LabeledTexts train = BaselineCorpora.separable("train", 20, 5);
        TfIdfLogisticRegression c = TfIdfLogisticRegression.fit(train);
        Prediction p = c.predict("zzz qqq");
        assertEquals(1.0 / 3, p.probability("animals"), 1e-12);
    }

    @Test
    void configBuilderNamesTheInvalidFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TfIdfConfig.builder().optMinDocumentFrequency(0).build());
        assertEquals("minDocumentFrequency must be >= 1, got 0", e.getMessage());
        assertEquals(TfIdfConfig.DEFAULT_MAX_FEATURES, TfIdfConfig.defaults().maxFeatures());
        assertThrows(IllegalArgumentException.class, () -> TfIdfConfig.builder().optMaxNgram(4).build());
        assertThrows(IllegalArgumentException.class,
                () -> TfIdfLogisticRegression.fit(LabeledTexts.of("one", List.of("a b"), List.of("x"))));
    }

    @Test
    void beatsTheMajorityBaselineClearlyOnFoldocTopics(@TempDir Path cache) {
        assumeTrue(Foldoc.isInstalled(), "dict-foldoc not installed");
        LabeledDataset task = Datasets.store(cache).task(Datasets.FOLDOC_TOPICS);
        System.out.printf("foldoc-topics: %d train, %d test, %d labels%n", task.train().size(), task.test().size(),
                task.labels().size());
        ClassificationEvaluation majority = ClassificationEvaluation.of(MajorityClassifier.fit(task.train()), task.test());
        long t0 = System.nanoTime();
        TfIdfLogisticRegression tfidf = TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.defaults());
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        ClassificationEvaluation e = ClassificationEvaluation.of(tfidf, task.test());
        System.out.println(majority);
        System.out.printf("%s (fit %.1f s, %d terms)%n", e, fitSeconds, tfidf.vocabularySize());
        System.out.println(e.headTail(task.train().labelCounts()));
        assertTrue(e.accuracy() > majority.accuracy() + 0.15, e + " vs " + majority);
        assertTrue(e.macroF1() > majority.macroF1() + 0.3, e + " vs " + majority);
    }
}
