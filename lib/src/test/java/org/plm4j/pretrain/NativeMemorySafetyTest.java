package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Training must not depend on when the JVM frees direct buffers. DJL backs some tensors with Java
 * direct buffers; if autograd keeps such a tensor past the life of its buffer, the backward pass
 * reads freed memory. A notebook kernel (network threads, other cells) reuses freed memory all the
 * time, and the symptom was a different loss curve than the headless runner's for the same seed,
 * and now and then an infinite gradient. Here a thread frees and refills direct memory with 0x7f
 * bytes while training: the losses must be bit-identical to a quiet run.
 */
class NativeMemorySafetyTest {

    private static double[] train(Tokenizer tok) {
        return train(tok, PretrainConfig.builder());
    }

    private static double[] train(Tokenizer tok, PretrainConfig.Builder options) {
        EncoderConfig cfg = EncoderConfig.builder(tok.vocabSize()).optHiddenSize(32).optLayers(2).optHeads(2)
                .optIntermediateSize(64).optMaxPositions(32).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(cfg, 3)) {
            PretrainConfig pc = options.optSteps(40).optBatchSize(8).optSequenceLength(32)
                    .optEvalEvery(40).optEvalBatches(1).optSeed(3).build();
            return Pretrainer.builder().setModel(m).setTokenizer(tok).setData(PretrainerTest.CORPUS).optConfig(pc)
                    .run().lossHistory();
        }
    }

    @Test
    void lossesDoNotChangeWhenFreedDirectMemoryIsReusedDuringTraining() throws InterruptedException {
        checkUnderNoise(() -> PretrainConfig.builder());
    }

    /** Gradient accumulation scales each micro-batch loss: that scale must be a manager-owned array too. */
    @Test
    void accumulatedWholeWordLineByLineTrainingIsAlsoImmuneToFreedMemoryReuse() throws InterruptedException {
        checkUnderNoise(() -> PretrainConfig.builder().optGradientAccumulation(3).optWholeWordMasking(true)
                .optPacking(false));
    }

    /**
     * The default dropout masks are drawn in Java (tensors made from Java memory that autograd keeps
     * for backward, covered above); the masks drawn with PyTorch's generator must be immune too.
     */
    @Test
    void pytorchGeneratorDropoutMasksAreAlsoImmuneToFreedMemoryReuse() throws InterruptedException {
        checkUnderNoise(() -> PretrainConfig.builder().optJavaDropout(false));
    }

    private static void checkUnderNoise(java.util.function.Supplier<PretrainConfig.Builder> options)
            throws InterruptedException {
        Tokenizer tok = TestTokenizers.whitespace(PretrainerTest.CORPUS.texts());
        double[] quiet = train(tok, options.get());
        Thread noise = new Thread(() -> {
            ArrayDeque<ByteBuffer> keep = new ArrayDeque<>();
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 14);
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                keep.add(b);
                if (keep.size() > 64) {
                    keep.removeFirst();
                }
                if (i % 8 == 0) {
                    System.gc();
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "direct-memory-noise");
        noise.setDaemon(true);
        noise.start();
        try {
            double[] noisy = train(tok, options.get());
            assertArrayEquals(quiet, noisy, "loss history changed while freed direct memory was reused");
        } finally {
            noise.interrupt();
            noise.join();
        }
    }
}
