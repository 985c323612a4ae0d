package org.plm4j.extension.progress;

import java.util.Locale;
import org.plm4j.train.Evaluation;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingOutcome;
import org.plm4j.train.TrainingProgress;

/**
 * Turns any training run's listener calls (pretraining, adaptation, fine-tuning) into one live
 * {@link ProgressDisplay}: step/total, loss, tokens/s, time left, and the newest evaluation.
 */
public final class TrainingProgressDisplay implements TrainingListener {

    private final ProgressDisplay display;
    private String note = "";

    public TrainingProgressDisplay(ProgressDisplay display) {
        this.display = display;
    }

    @Override
    public void onStart(int totalSteps) {
        display.update(new Progress(0, totalSteps, Double.NaN, Double.NaN, 0, Double.NaN, note));
    }

    @Override
    public void onStep(TrainingProgress p) {
        display.update(new Progress(p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(),
                p.elapsed().toMillis() / 1000.0, p.remaining().toMillis() / 1000.0, note));
    }

    @Override
    public void onEvaluation(Evaluation e) {
        note = note(e);
    }

    /**
     * A finished run's summary states the final numbers, so the newest evaluation's note (of an earlier step) is
     * dropped; a cancelled run keeps it, as its summary gives none.
     */
    @Override
    public void onEnd(TrainingOutcome outcome) {
        display.finish(outcome.summary(), outcome.cancelled() ? note : "");
    }

    /** A short line for the newest evaluation: held-out perplexity, or validation accuracy and macro-F1. */
    static String note(Evaluation e) {
        if (!Double.isNaN(e.metric("heldout_perplexity"))) {
            return String.format(Locale.ROOT, "held-out ppl %.2f (step %d)", e.metric("heldout_perplexity"), e.step());
        }
        if (!Double.isNaN(e.metric("validation_macro_f1"))) {
            return String.format(Locale.ROOT, "stage %d epoch %d: validation accuracy %.3f, macro-F1 %.3f",
                    e.stage(), e.epoch(), e.metric("validation_accuracy"), e.metric("validation_macro_f1"));
        }
        return e.toString();
    }
}
