package org.plm4j.pretrain;

import java.io.PrintStream;

/**
 * Receives pretraining progress. All methods are called on the training thread, between
 * steps; keep them cheap (throttle any display yourself). Default methods do nothing.
 */
public interface PretrainListener {

    /** A listener that ignores everything. */
    PretrainListener NONE = new PretrainListener() {};

    /** Before the first step, after the initial evaluation. */
    default void onStart(PretrainConfig config, EvalResult initial) {}

    /** After every optimiser step. */
    default void onStep(TrainingProgress progress) {}

    /** After every held-out evaluation (including the one at step 0). */
    default void onEval(EvalResult result) {}

    /** After the last step or on cancellation ({@code result} is then partial). */
    default void onEnd(PretrainResult result) {}

    /** Prints a line to {@code out} every {@code everySteps} steps and on each evaluation. */
    static PretrainListener printing(PrintStream out, int everySteps) {
        return new PretrainListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() % everySteps == 0 || p.step() == p.totalSteps()) {
                    out.println(p);
                }
            }

            @Override
            public void onEval(EvalResult r) {
                out.println(r);
            }
        };
    }
}
