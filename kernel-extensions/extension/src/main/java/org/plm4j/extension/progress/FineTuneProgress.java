package org.plm4j.extension.progress;

import java.util.Locale;
import org.plm4j.finetune.FineTuneListener;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.pretrain.TrainingProgress;

/**
 * Turns a fine-tuning run's listener calls into one live {@link ProgressDisplay}: step/total (both
 * stages), loss, tokens/s, time left, and the latest validation accuracy and macro-F1.
 */
public final class FineTuneProgress implements FineTuneListener {

    private final ProgressDisplay display;
    private String note = "";

    public FineTuneProgress(ProgressDisplay display) {
        this.display = display;
    }

    @Override
    public void onStep(TrainingProgress p) {
        display.update(new Progress(p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(),
                p.elapsed().toMillis() / 1000.0, p.remaining().toMillis() / 1000.0, note));
    }

    @Override
    public void onEpoch(FineTuneResult.Row r) {
        note = String.format(Locale.ROOT, "stage %d epoch %d: validation accuracy %.3f, macro-F1 %.3f",
                r.stage(), r.epoch(), r.validationAccuracy(), r.validationMacroF1());
    }

    @Override
    public void onEnd(FineTuneResult result) {
        display.finish(String.format(Locale.ROOT, "done: kept epoch %d, validation macro-F1 %.3f",
                result.bestEpoch(), result.validation().macroF1()));
    }
}
