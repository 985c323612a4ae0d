package org.plm4j.finetune;

import java.io.PrintStream;
import org.plm4j.pretrain.TrainingProgress;

/** Receives fine-tuning progress on the training thread; all methods default to doing nothing. */
public interface FineTuneListener {

    /** After every optimisation step ({@code step}/{@code totalSteps} count both stages). */
    default void onStep(TrainingProgress progress) {}

    /** After every epoch's validation. */
    default void onEpoch(FineTuneResult.Row row) {}

    /** Once at the end (also when cancelled). */
    default void onEnd(FineTuneResult result) {}

    /** Does nothing. */
    static FineTuneListener none() {
        return new FineTuneListener() {};
    }

    /** Prints one line per epoch to {@code out}. */
    static FineTuneListener printing(PrintStream out) {
        return new FineTuneListener() {
            @Override
            public void onEpoch(FineTuneResult.Row r) {
                out.println(r);
            }
        };
    }
}
