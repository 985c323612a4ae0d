package org.plm4j.internal;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine once with sensible thread settings for this machine.
 *
 * <p>Unless the user already set them (system properties {@code ai.djl.pytorch.num_threads} /
 * {@code ai.djl.pytorch.num_interop_threads}, read by DJL when the engine starts), intra-op
 * threads default to the number of available processors and inter-op threads to 1 (an
 * encoder's ops run one after another, extra inter-op threads only compete for cores).
 */
public final class EngineSetup {

    private static volatile Engine engine;

    private EngineSetup() {}

    /** The PyTorch engine, started on first use. */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (EngineSetup.class) {
                e = engine;
                if (e == null) {
                    String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
                    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                        System.setProperty("ai.djl.pytorch.num_threads", cores);
                    }
                    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                    }
                    try {
                        e = Engine.getEngine("PyTorch");
                    } catch (RuntimeException ex) {
                        throw new IllegalStateException("DJL's PyTorch engine did not start; plm4j needs "
                                + "ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu (linux-x86_64) "
                                + "on the classpath", ex);
                    }
                    engine = e;
                }
            }
        }
        return e;
    }

    /**
     * Turns PyTorch's (thread-local) gradient recording off on the calling thread. DJL only does
     * this on the thread that started the engine; a notebook kernel may run cells on another one.
     * Called by plm4j before inference and at the start of training loops.
     */
    public static void noGradOnThisThread() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /**
     * Sets PyTorch's intra-op thread count for the whole JVM, effective immediately. Fewer
     * threads than cores help when other processes compete for the CPU (OpenMP threads spin
     * while waiting, so oversubscribed cores slow every step down) and for very small models.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        engine();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /** PyTorch's current intra-op thread count. */
    public static int threads() {
        engine();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }
}
