package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import org.plm4j.model.EngineSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;

class MemoryTest {

    /** Tiny models train faster on one thread, and the 2 shared cores of CI are often busy. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        org.plm4j.model.EngineSetup.setThreads(1);
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

    @Test
    void liveNativeArraysAndRssStayFlatOverHundredsOfSteps() {
        Tokenizer tok = TestTokenizers.whitespace(PretrainerTest.CORPUS.texts());
        EncoderConfig cfg = EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(1).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
        int[] arraysAt = new int[1501];
        long[] rssAt = new long[1501];
        int before = liveArrays();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 1)) {
            int withModel = liveArrays();
            PretrainConfig pc = PretrainConfig.builder().optSteps(1500).optBatchSize(8).optSequenceLength(32)
                    .optEvalEvery(500).optEvalBatches(1).build();
            Pretrainer.pretrain(m, tok, PretrainerTest.CORPUS, pc, new PretrainListener() {
                @Override
                public void onStep(TrainingProgress p) {
                    arraysAt[p.step()] = liveArrays();
                    rssAt[p.step()] = rssKb() - Runtime.getRuntime().totalMemory() / 1024;
                }
            });
            assertEquals(arraysAt[20], arraysAt[1500], "native arrays leaked between step 20 and 1500");
            assertEquals(arraysAt[20], arraysAt[750]);
            // the optimiser's moment estimates are freed at the end of the run
            assertEquals(withModel, liveArrays(), "arrays left behind after the run");
            if (rssKb() >= 0) {
                // Resident memory minus the committed Java heap: native tensors and allocator caches, plus
                // JIT code and metaspace, which settle in the first few hundred steps. The lib's surefire
                // JVM pre-touches its heap (-XX:+AlwaysPreTouch), otherwise RSS grows by ~100 MB as G1
                // touches committed pages. The exact check is the live-array count above; this one guards
                // the native allocator. A steady leak of one batch of embeddings per step (8 x 32 x 32 floats =
                // 32 kB) adds 12 MB in each of the two windows 750-1125 and 1125-1500; a one-off jump (a new
                // malloc arena, JIT code) shows in one window only, so the smaller of the two is compared.
                long first = rssAt[1125] - rssAt[750];
                long second = rssAt[1500] - rssAt[1125];
                System.err.printf("non-heap RSS at step 100: %d kB, 750: %d kB, 1125: %d kB, 1500: %d kB%n",
                        rssAt[100], rssAt[750], rssAt[1125], rssAt[1500]);
                assertTrue(Math.min(first, second) < 6 * 1024, "non-heap RSS grew steadily: by " + first
                        + " kB from step 750 to 1125 and by " + second + " kB from 1125 to 1500");
            }
        }
        assertEquals(before, liveArrays(), "closing the model frees its arrays");
    }
}
