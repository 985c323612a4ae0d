package org.plm4j.extension;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.extension.progress.ProgressDisplay;
import org.plm4j.extension.progress.TrainingProgressDisplay;
import org.plm4j.train.TrainingListener;

/**
 * Live displays for code in a notebook cell, e.g.
 * {@code Pretrainer.builder()...optListener(Live.progress("pretraining")).run()}.
 * Outside a running notebook kernel (a plain Java program) the same call prints a line every
 * {@link #CONSOLE_EVERY_STEPS} steps instead.
 */
public final class Live {

    /** Console fallback: one progress line every this many steps. */
    public static final int CONSOLE_EVERY_STEPS = 50;

    private Live() {
    }

    /** A listener for any training run that shows one live progress display titled {@code title}. */
    public static TrainingListener progress(String title) {
        BaseKernel kernel = currentKernel();
        if (kernel == null) {
            return TrainingListener.printing(System.out, CONSOLE_EVERY_STEPS);
        }
        return new TrainingProgressDisplay(ProgressDisplay.forKernel(kernel, title));
    }

    static BaseKernel currentKernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (NullPointerException noKernel) { // the base library signals "no kernel" this way
            return null;
        }
    }
}
