package org.plm4j.pretrain;

import org.plm4j.train.TrainingProgress;
import org.plm4j.train.TrainingListener;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.CorpusSplit;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/** Resumable training checkpoints: same losses after resume, atomic commits, clear errors. */
class TrainingCheckpointTest {

    @BeforeAll
    static void oneThread() {
        EngineSetup.setThreads(1);
    }

    @AfterEach
    void resetHook() {
        TrainingCheckpoint.beforeCommit = () -> {};
    }

    static final Tokenizer TOK = TestTokenizers.whitespace(PretrainerTest.CORPUS.texts());
    static final CorpusSplit SPLIT = PretrainerTest.CORPUS.split(0.1, 3);

    static EncoderConfig model() {
        // dropout stays on (0.1): resume must also reproduce the dropout masks
        return EncoderConfig.builder(TOK.vocabSize()).optHiddenSize(32).optLayers(2).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
    }

    static PretrainConfig.Builder cfg(int steps) {
        return PretrainConfig.builder().optSteps(steps).optBatchSize(8).optSequenceLength(32).optLearningRate(2e-3f)
                .optEvalEvery(10).optEvalBatches(1).optHeldOutFraction(0.1).optSeed(5);
    }

    private static TrainingListener cancelAfter(int n, AtomicInteger seen) {
        return new TrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                seen.set(p.step());
            }
        };
    }

    @Test
    void resumedRunHasBitIdenticalLossesToAnUninterruptedOne(@TempDir Path dir) {
        // the acceptance case: 2,000 steps straight vs 1,000, stop, resume 1,000
        int n = 1000;
        PretrainResult straight;
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            straight = Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT)
                    .optConfig(cfg(2 * n).build()).run();
        }
        PretrainConfig withCheckpoints = cfg(2 * n).optOutputDir(dir).optCheckpointEvery(250).build();
        AtomicInteger seen = new AtomicInteger();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            PretrainCancelledException e = assertThrows(PretrainCancelledException.class, () ->
                    Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optConfig(withCheckpoints)
                            .optListener(cancelAfter(n, seen)).optCancel(() -> seen.get() >= n).run());
            assertEquals(n, e.partialResult().stepsDone());
        }
        TrainingCheckpoint ck = TrainingCheckpoint.latest(dir);
        assertEquals(n, ck.step(), "the cancellation wrote a checkpoint of the last completed step");
        PretrainResult resumed;
        try (MaskedLanguageModel m = ck.loadModel()) {
            resumed = Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optResumeFrom(ck).run();
        }
        assertTrue(resumed.completed());
        // within one JVM and thread count the run is bit-identical (tolerance 0)
        assertArrayEquals(straight.lossHistory(), resumed.lossHistory());
        assertEquals(straight.perplexityAfter(), resumed.perplexityAfter(), 0.0);
        assertEquals(straight.history().rowCount(), resumed.history().rowCount());
        assertEquals(2 * n, TrainingCheckpoint.latest(dir).step());
    }

    @Test
    void resumeIsAlsoExactWithPyTorchGeneratorDropoutMasks(@TempDir Path dir) {
        PretrainResult straight;
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            straight = Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT)
                    .optConfig(cfg(30).optJavaDropout(false).build()).run();
        }
        AtomicInteger seen = new AtomicInteger();
        PretrainConfig c = cfg(30).optJavaDropout(false).optOutputDir(dir).optCheckpointEvery(100).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            assertThrows(PretrainCancelledException.class,
                    () -> Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optConfig(c)
                            .optListener(cancelAfter(12, seen)).optCancel(() -> seen.get() >= 12).run());
        }
        TrainingCheckpoint ck = TrainingCheckpoint.latest(dir);
        try (MaskedLanguageModel m = ck.loadModel()) {
            assertArrayEquals(straight.lossHistory(), Pretrainer.builder().setModel(m).setTokenizer(TOK)
                    .setData(SPLIT).optResumeFrom(ck).run().lossHistory());
        }
    }

    @Test
    void aFailureBetweenWritesLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws Exception {
        AtomicInteger commits = new AtomicInteger();
        TrainingCheckpoint.beforeCommit = () -> {
            if (commits.incrementAndGet() == 2) {
                throw new IllegalStateException("simulated kill while writing the second checkpoint");
            }
        };
        PretrainConfig c = cfg(30).optOutputDir(dir).optCheckpointEvery(10).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            assertThrows(IllegalStateException.class, () -> Pretrainer.builder().setModel(m).setTokenizer(TOK)
                    .setData(SPLIT).optConfig(c).run());
        }
        TrainingCheckpoint.beforeCommit = () -> {};
        TrainingCheckpoint ck = TrainingCheckpoint.latest(dir);
        assertEquals(10, ck.step());
        try (MaskedLanguageModel m = ck.loadModel()) {
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optResumeFrom(ck)
                    .run();
            assertTrue(r.completed());
            assertEquals(31, r.history().rowCount());
        }
        try (var files = Files.list(dir.resolve(TrainingCheckpoint.DIR))) {
            assertEquals(2, files.count(), "only 'latest' and the newest checkpoint remain");
        }
    }

    @Test
    void corruptOrForeignCheckpointsFailClearlyAndOverwriteNothing(@TempDir Path dir) throws Exception {
        PretrainConfig c = cfg(10).optOutputDir(dir).optCheckpointEvery(10).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optConfig(c).run();
        }
        TrainingCheckpoint ck = TrainingCheckpoint.latest(dir);
        Path opt = ck.optimizerFile();
        byte[] weightsBefore = Files.readAllBytes(ck.path().resolve("model").resolve(MaskedLanguageModel.WEIGHTS_FILE));

        // another architecture
        EncoderConfig other = model().toBuilder().optHiddenSize(64).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(other, 1)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optResumeFrom(ck)
                            .run());
            assertTrue(e.getMessage().contains("hidden 64") || e.getMessage().contains("64"), e.getMessage());
        }
        // other training data
        try (MaskedLanguageModel m = ck.loadModel()) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> Pretrainer.builder().setModel(m)
                    .setTokenizer(TOK).setData(PretrainerTest.CORPUS.split(0.2, 3)).optResumeFrom(ck).run());
            assertTrue(e.getMessage().contains("same corpus"), e.getMessage());
        }
        // a truncated optimizer file
        byte[] optBytes = Files.readAllBytes(opt);
        Files.write(opt, java.util.Arrays.copyOf(optBytes, optBytes.length / 3));
        try (MaskedLanguageModel m = ck.loadModel()) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Pretrainer.builder().setModel(m).setTokenizer(TOK).setData(SPLIT).optResumeFrom(ck)
                            .run());
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
        // a garbled state file
        Files.writeString(ck.path().resolve(TrainingCheckpoint.STATE_FILE), "{ not json");
        CheckpointException e = assertThrows(CheckpointException.class, () -> TrainingCheckpoint.latest(dir));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        // no checkpoint at all
        e = assertThrows(CheckpointException.class, () -> TrainingCheckpoint.latest(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("optCheckpointEvery"), e.getMessage());
        assertArrayEquals(weightsBefore,
                Files.readAllBytes(ck.path().resolve("model").resolve(MaskedLanguageModel.WEIGHTS_FILE)));
    }

    @Test
    void emptyCorpusIsAClearError() {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(model(), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pretrainer.builder()
                    .setModel(m).setTokenizer(TOK)
                    .setData(org.plm4j.corpus.Corpus.of("empty", java.util.List.of())).optConfig(cfg(5).build())
                    .run());
            assertTrue(e.getMessage().contains("'empty' has 0 texts"), e.getMessage());
        }
    }

    @Test
    void checkpointSettingsNeedAnOutputDir() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cfg(5).optCheckpointEvery(2).build());
        assertTrue(e.getMessage().contains("optOutputDir"), e.getMessage());
    }
}
