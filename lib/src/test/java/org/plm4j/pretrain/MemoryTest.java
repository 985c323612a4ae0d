package org.plm4j.pretrain;

import org.plm4j.train.TrainingProgress;
import org.plm4j.train.TrainingListener;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import org.plm4j.internal.EngineSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

class MemoryTest {

    /** Tiny models train faster on one thread, and the 2 shared cores of CI are often busy. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        org.plm4j.internal.EngineSetup.setThreads(1);
    }

    static int liveArrays() {
        // the engine's base managers are children of its system manager, which sees every live array
        try (NDManager probe = EngineSetup.engine().newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    static long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    /** Collects garbage and gives cleaners a moment, so freed direct buffers are released. */
    static void settleDirectMemory() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void liveNativeArraysAndRssStayFlatOverTenThousandSteps() {
        Tokenizer tok = TestTokenizers.whitespace(PretrainerTest.CORPUS.texts());
        EncoderConfig cfg = EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(1).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
        int steps = 10_000;
        int[] arraysAt = new int[steps + 1];
        long[] rssAt = new long[steps + 1];
        int before = liveArrays();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 1)) {
            int withModel = liveArrays();
            PretrainConfig pc = PretrainConfig.builder().optSteps(steps).optBatchSize(8).optSequenceLength(32)
                    .optEvalEvery(2500).optEvalBatches(1).build();
            Pretrainer.builder().setModel(m).setTokenizer(tok).setData(PretrainerTest.CORPUS).optConfig(pc)
                    .optListener(new TrainingListener() { @Override public void onStep(TrainingProgress p) { if (p.step() % 250 != 0 && p.step() != 20) { return; } arraysAt[p.step()] = liveArrays(); if (p.step() % 2500 == 0 || p.step() == 250) { settleDirectMemory(); rssAt[p.step()] = rssKb() - Runtime.getRuntime().totalMemory() / 1024; } } })
                    .run();
            for (int s = 250; s <= steps; s += 250) {
                assertEquals(arraysAt[20], arraysAt[s], "native arrays leaked between step 20 and " + s);
            }
            // the optimiser's moment estimates are freed at the end of the run
            assertEquals(withModel, liveArrays(), "arrays left behind after the run");
            if (rssKb() >= 0) {
                // Resident memory minus the committed Java heap: native tensors and allocator caches, plus
                // JIT code and metaspace, which settle in the first few hundred steps. The lib's surefire
                // JVM pre-touches its heap (-XX:+AlwaysPreTouch), otherwise RSS grows by ~100 MB as G1
                // touches committed pages. The exact check is the live-array count above; this one guards
                // the native allocator. A steady leak of one batch of embeddings per step (8 x 32 x 32 floats =
                // 32 kB) per step would show in both windows; a one-off jump (a new
                // malloc arena, JIT code) shows in one window only, so the smaller of the two is compared.
                // Over 10,000 steps the windows are 2,500 steps wide: such a leak would add 80 MB to each,
                // a leak of 6.5 kB per step the 16 MB limit. Each sample follows a GC, so direct buffers
                // of closed arrays (freed by their cleaners, not by close) are not counted as growth.
                long first = rssAt[7500] - rssAt[5000];
                long second = rssAt[10000] - rssAt[7500];
                System.err.printf("non-heap RSS at step 250: %d kB, 5000: %d kB, 7500: %d kB, 10000: %d kB%n",
                        rssAt[250], rssAt[5000], rssAt[7500], rssAt[10000]);
                assertTrue(Math.min(first, second) < 16 * 1024, "non-heap RSS grew steadily: by " + first
                        + " kB from step 5000 to 7500 and by " + second + " kB from 7500 to 10000");
            }
        }
        assertEquals(before, liveArrays(), "closing the model frees its arrays");
    }
}
