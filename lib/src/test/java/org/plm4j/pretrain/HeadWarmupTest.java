package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingProgress;

/** Head warm-up: for the first N steps only the masked-LM head trains; then everything does. */
class HeadWarmupTest {

    @BeforeAll
    static void oneThread() {
        EngineSetup.setThreads(1);
    }

    private static Map<String, float[]> snapshot(MaskedLanguageModel m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.parameters().forEach((n, t) -> out.put(n, t.toFloatArray()));
        return out;
    }

    @Test
    void duringTheWarmUpOnlyTheHeadMovesAndAfterItTheEncoderDoesToo() {
        int warm = 6;
        Map<String, float[]>[] atWarmEnd = new Map[1];
        try (MaskedLanguageModel m = MaskedLanguageModel.create(TrainingCheckpointTest.model(), 1)) {
            Map<String, float[]> before = snapshot(m);
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(TrainingCheckpointTest.TOK)
                    .setData(TrainingCheckpointTest.SPLIT)
                    .optConfig(TrainingCheckpointTest.cfg(14).optHeadWarmupSteps(warm).build())
                    .optListener(new TrainingListener() {
                        @Override
                        public void onStep(TrainingProgress p) {
                            if (p.step() == warm) {
                                atWarmEnd[0] = snapshot(m);
                            }
                        }
                    }).run();
            assertEquals(14, r.stepsDone());
            Map<String, float[]> after = snapshot(m);
            for (String name : before.keySet()) {
                boolean head = name.startsWith(Pretrainer.MLM_HEAD_PREFIX);
                boolean movedInWarmUp = !Arrays.equals(before.get(name), atWarmEnd[0].get(name));
                assertEquals(head, movedInWarmUp, name + (head ? " should train" : " should stay frozen")
                        + " during the head warm-up");
                assertFalse(Arrays.equals(atWarmEnd[0].get(name), after.get(name)),
                        name + " should train after the warm-up");
            }
            assertTrue(r.record().config().toString().contains("headWarmupSteps=" + warm), r.record().config().toString());
        }
    }

    @Test
    void aRunInterruptedInTheWarmUpResumesToTheSameLosses(@TempDir Path dir) {
        PretrainConfig.Builder c = TrainingCheckpointTest.cfg(16).optHeadWarmupSteps(8);
        PretrainResult straight;
        try (MaskedLanguageModel m = MaskedLanguageModel.create(TrainingCheckpointTest.model(), 1)) {
            straight = Pretrainer.builder().setModel(m).setTokenizer(TrainingCheckpointTest.TOK)
                    .setData(TrainingCheckpointTest.SPLIT).optConfig(c.build()).run();
        }
        for (int stopAt : new int[] {5, 8, 11}) {
            Path out = dir.resolve("stop-" + stopAt);
            AtomicInteger seen = new AtomicInteger();
            try (MaskedLanguageModel m = MaskedLanguageModel.create(TrainingCheckpointTest.model(), 1)) {
                assertThrows(PretrainCancelledException.class, () -> Pretrainer.builder().setModel(m)
                        .setTokenizer(TrainingCheckpointTest.TOK).setData(TrainingCheckpointTest.SPLIT)
                        .optConfig(c.optOutputDir(out).optCheckpointEvery(100).build())
                        .optListener(new TrainingListener() {
                            @Override
                            public void onStep(TrainingProgress p) {
                                seen.set(p.step());
                            }
                        }).optCancel(() -> seen.get() >= stopAt).run());
            }
            TrainingCheckpoint ck = TrainingCheckpoint.latest(out);
            assertEquals(stopAt, ck.step());
            try (MaskedLanguageModel m = ck.loadModel()) {
                PretrainResult resumed = Pretrainer.builder().setModel(m).setTokenizer(TrainingCheckpointTest.TOK)
                        .setData(TrainingCheckpointTest.SPLIT).optResumeFrom(ck).run();
                assertArrayEquals(straight.lossHistory(), resumed.lossHistory(), "stopped at step " + stopAt);
            }
        }
    }

    @Test
    void aWarmUpAsLongAsTheRunIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainConfig.builder().optSteps(10).optHeadWarmupSteps(10).build());
        assertTrue(e.getMessage().contains("headWarmupSteps must be in [0, steps=10), got 10"), e.getMessage());
    }
}
