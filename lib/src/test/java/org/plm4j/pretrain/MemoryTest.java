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
        int[] arraysAt = new int[401];
        long[] rssAt = new long[401];
        int before = liveArrays();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 1)) {
            int withModel = liveArrays();
            PretrainConfig pc = PretrainConfig.builder().optSteps(400).optBatchSize(8).optSequenceLength(32)
                    .optEvalEvery(100).optEvalBatches(1).build();
            Pretrainer.pretrain(m, tok, PretrainerTest.CORPUS, pc, new PretrainListener() {
                @Override
                public void onStep(TrainingProgress p) {
                    arraysAt[p.step()] = liveArrays();
                    rssAt[p.step()] = rssKb() - Runtime.getRuntime().totalMemory() / 1024;
                }
            });
            assertEquals(arraysAt[20], arraysAt[400], "native arrays leaked between step 20 and 400");
            assertEquals(arraysAt[20], arraysAt[250]);
            // the optimiser's moment estimates are freed at the end of the run
            assertEquals(withModel, liveArrays(), "arrays left behind after the run");
            if (rssAt[50] > 0) {
                // RSS outside the Java heap (native tensors, allocator caches): a leak of one activation
                // per step (8 x 32 x 32 floats = 32 kB) would add 11 MB over 350 steps
                long growthKb = rssAt[400] - rssAt[50];
                System.out.printf("non-heap RSS at step 50: %d kB, at 200: %d kB, at 400: %d kB%n", rssAt[50],
                        rssAt[200], rssAt[400]);
                assertTrue(growthKb < 8 * 1024, "non-heap RSS grew by " + growthKb + " kB over 350 steps");
            }
        }
        assertEquals(before, liveArrays(), "closing the model frees its arrays");
    }
}
