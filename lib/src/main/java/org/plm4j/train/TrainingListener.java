package org.plm4j.train;

import java.io.PrintStream;

/**
 * Receives a training run's progress (pretraining, adaptation, fine-tuning alike). All methods
 * are called on the training thread between steps; keep them cheap (throttle any display
 * yourself). Default methods do nothing.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};

    /** Before the first step (after the initial evaluation, if the run makes one). */
    default void onStart(int totalSteps) {}

    /** After every optimiser step. */
    default void onStep(TrainingProgress progress) {}

    /** After every scheduled evaluation, including one before the first step. */
    default void onEvaluation(Evaluation evaluation) {}

    /** Once at the end, also when cancelled or stopped early. */
    default void onEnd(TrainingOutcome outcome) {}

    /** Prints a line to {@code out} every {@code everySteps} steps, on each evaluation and at the end. */
    static TrainingListener printing(PrintStream out, int everySteps) {
        if (everySteps <= 0) {
            throw new IllegalArgumentException("everySteps must be > 0, got " + everySteps);
        }
        return new TrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() % everySteps == 0 || p.step() == p.totalSteps()) {
                    out.println(p);
                }
            }

            @Override
            public void onEvaluation(Evaluation e) {
                out.println(e);
            }

            @Override
            public void onEnd(TrainingOutcome o) {
                out.println(o.summary());
            }
        };
    }
}
