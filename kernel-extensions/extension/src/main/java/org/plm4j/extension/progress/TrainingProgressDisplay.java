package org.plm4j.extension.progress;

import java.util.Locale;
import org.plm4j.pretrain.EvalResult;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.PretrainListener;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.pretrain.TrainingProgress;

/**
 * Turns a pretraining run's listener calls into one live {@link ProgressDisplay}: step/total,
 * loss, tokens/s, time left, and the latest held-out perplexity.
 */
public final class PretrainProgress implements PretrainListener {

    private final ProgressDisplay display;
    private String note = "";

    public PretrainProgress(ProgressDisplay display) {
        this.display = display;
    }

    @Override
    public void onStart(PretrainConfig config, EvalResult initial) {
        note = perplexityNote(initial);
        display.update(new Progress(0, config.steps(), Double.NaN, Double.NaN, 0, Double.NaN, note));
    }

    @Override
    public void onStep(TrainingProgress p) {
        display.update(new Progress(p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(),
                p.elapsed().toMillis() / 1000.0, p.remaining().toMillis() / 1000.0, note));
    }

    @Override
    public void onEval(EvalResult result) {
        note = perplexityNote(result);
    }

    @Override
    public void onEnd(PretrainResult result) {
        display.finish(result.completed()
                ? String.format(Locale.ROOT, "done: held-out perplexity %.2f → %.2f", result.perplexityBefore(), result.perplexityAfter())
                : "stopped after " + result.stepsDone() + " of " + result.config().steps() + " steps");
    }

    private static String perplexityNote(EvalResult r) {
        return r == null ? "" : String.format(Locale.ROOT, "held-out ppl %.2f (step %d)", r.perplexity(), r.step());
    }
}
