package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Notebook helpers of the plm4j kernel that jjava-jupyter's {@code BaseNotebookStatics} (display, render,
 * updateDisplay) does not have. Imported statically into every cell ({@link JavaKernel#STARTUP_IMPORTS}).
 */
public final class NotebookStatics {

    private NotebookStatics() {
    }

    /** Clears the output of the running cell now (IPython's {@code clear_output()}). */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears the output of the running cell.
     *
     * @param wait when true the frontend clears only when the next output arrives, which avoids flicker in
     *             a loop that redraws its output
     * @throws IllegalStateException when the notebook kernel is not the plm4j kernel (e.g. upstream JJava)
     */
    public static void clearOutput(boolean wait) {
        if (!(BaseKernel.notebookKernel() instanceof JavaKernel kernel)) {
            throw new IllegalStateException("clearOutput needs the plm4j kernel; this notebook runs "
                    + (BaseKernel.notebookKernel() == null ? "no kernel" : BaseKernel.notebookKernel().getClass().getName()));
        }
        kernel.clearOutput(wait);
    }
}
