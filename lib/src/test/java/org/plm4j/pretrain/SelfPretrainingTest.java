package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.datasets.WordNet;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.record.RunRecord;
import org.plm4j.testing.TestTokenizers;

/** Self-pretraining: from scratch on the task's training text only, recorded as such; its equal-token control. */
class SelfPretrainingTest {

    static LabeledDataset task;
    static PretrainPlan plan;
    static PretrainResult result;

    /** A two-class task whose every text is distinct (numbered), so split membership can be checked. */
    static LabeledDataset task() {
        SplittableRandom rng = new SplittableRandom(4);
        String[] animals = {"cat", "dog", "bird", "horse"};
        String[] tools = {"hammer", "saw", "drill", "wrench"};
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            boolean animal = rng.nextBoolean();
            String[] words = animal ? animals : tools;
            texts.add("item " + i + " the " + words[rng.nextInt(4)] + " is near the " + words[rng.nextInt(4)]);
            labels.add(animal ? "animal" : "tool");
        }
        return LabeledDataset.of(LabeledTexts.of("toy-task", texts, labels));
    }

    @BeforeAll
    static void selfPretrain() {
        EngineSetup.setThreads(1);
        task = task();
        plan = Pretrainer.selfPretrain(task, PretrainConfig.builder().optSteps(4).optBatchSize(8)
                .optSequenceLength(32).optEvalEvery(2).optEvalBatches(1).optSeed(3).build());
        result = plan.run(null);
    }

    @AfterAll
    static void close() {
        if (plan != null) {
            plan.model().close();
            plan.tokenizer().close();
        }
    }

    @Test
    void lineageAndRunRecordSayItIsSelfPretraining() {
        assertEquals("self-pretraining", Adaptation.SELF_PRETRAINING.key());
        assertEquals(List.of("self-pretraining"), plan.model().lineage().kinds());
        assertEquals("self-pretraining", result.record().kind());
        assertEquals(List.of("self-pretraining"), result.record().lineage().kinds());
        assertEquals("self-pretraining", RunRecord.fromJson(result.record().toJson()).kind());
        assertTrue(plan.modelCreated() && plan.tokenizerTrained(), "self-pretraining starts from scratch");
        assertTrue(plan.title().startsWith("self-pretraining"), plan.title());
    }

    @Test
    void pretrainingDataHoldsOnlyTheTasksTrainingText() {
        Set<String> pretraining = new HashSet<>(plan.split().train().texts());
        pretraining.addAll(plan.split().heldOut().texts());
        assertEquals(new HashSet<>(task.train().texts()), pretraining);
        for (String t : task.validation().texts()) {
            assertTrue(!pretraining.contains(t), "validation text in the pretraining data: " + t);
        }
        for (String t : task.test().texts()) {
            assertTrue(!pretraining.contains(t), "test text in the pretraining data: " + t);
        }
        RunRecord.DataSet train = result.record().data().get(0);
        assertEquals(plan.split().train().sha256(), train.sha256());
    }

    @Test
    void selfPretrainingRefusesAGivenModel() {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(plan.tokenizer().vocabSize()), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PretrainPlan.builder().setData(task.taptCorpus()).optModel(m)
                            .optAdaptation(Adaptation.SELF_PRETRAINING).build());
            assertTrue(e.getMessage().contains("from scratch"), e.getMessage());
        }
    }

    @Test
    void controlCorpusHasTheSameTokenCountWithinOneDocument() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed");
        Corpus general = WordNet.load().corpus();
        long target = Pretrainer.tokenCount(plan.split().train(), plan.tokenizer());
        Corpus control = Pretrainer.equalTokenCorpus(general, plan.tokenizer(), target, 9);
        long count = Pretrainer.tokenCount(control, plan.tokenizer());
        long longest = 0;
        for (String t : control.texts()) {
            longest = Math.max(longest, plan.tokenizer().encode(t).length);
        }
        System.out.printf("self-pretraining text: %d tokens; control %s: %d texts, %d tokens (longest text %d)%n",
                target, control.name(), control.size(), count, longest);
        assertTrue(count >= target && count - target < longest, "control holds " + count + " tokens for " + target);
        assertEquals(general.name() + "-" + count + "-tokens", control.name());
        assertEquals(control.texts(), Pretrainer.equalTokenCorpus(general, plan.tokenizer(), target, 9).texts());
        assertNotEquals(control.texts(), Pretrainer.equalTokenCorpus(general, plan.tokenizer(), target, 10).texts());
    }

    @Test
    void controlCorpusTooSmallSaysHowManyTokensItHolds() {
        Corpus small = Corpus.of("small", List.of("one two three", "four five"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pretrainer.equalTokenCorpus(small, TestTokenizers.whitespace(small.texts()), 100, 1));
        assertTrue(e.getMessage().contains("holds 5 tokens") && e.getMessage().contains("100"), e.getMessage());
    }
}
