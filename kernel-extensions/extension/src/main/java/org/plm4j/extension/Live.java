package org.plm4j.extension;

import org.plm4j.extension.progress.FineTuneProgress;
import org.plm4j.finetune.FineTuneListener;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.extension.progress.PretrainProgress;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.pretrain.PretrainListener;

/**
 * Live displays for code in a notebook cell, e.g.
 * {@code Pretrainer.pretrain(model, tokenizer, corpus, config, Live.progress("pretraining"))}.
 * Outside a running notebook kernel (a plain Java program) the same call prints a line every
 * {@link #CONSOLE_EVERY_STEPS} steps instead.
 */
public final class Live {

    /** Console fallback: one progress line every this many steps. */
    public static final int CONSOLE_EVERY_STEPS = 50;

    private Live() {
    }

    /** A pretraining listener that shows one live progress display titled {@code title}. */
    public static PretrainListener progress(String title) {
        BaseKernel kernel = currentKernel();
        if (kernel == null) {
            return PretrainListener.printing(System.out, CONSOLE_EVERY_STEPS);
        }
        return new PretrainProgress(ProgressDisplay.forKernel(kernel, title));
    }

    /** A fine-tuning listener that shows one live progress display titled {@code title}. */
    public static FineTuneListener fineTuneProgress(String title) {
        BaseKernel kernel = currentKernel();
        if (kernel == null) {
            return FineTuneListener.printing(System.out);
        }
        return new FineTuneProgress(ProgressDisplay.forKernel(kernel, title));
    }

    static BaseKernel currentKernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (NullPointerException noKernel) { // the base library signals "no kernel" this way
            return null;
        }
    }
}
