package org.plm4j.kernel.engine;

import java.util.List;

/**
 * A failed cell, as Jupyter shows it: an error name, a one-line value and the traceback lines.
 *
 * @param ename     short name of the error, e.g. {@code CompilationError}, {@code IllegalStateException},
 *                  {@code Interrupted}
 * @param evalue    one-line description
 * @param traceback lines to show, without trailing newlines
 */
public record CellError(String ename, String evalue, List<String> traceback) {

    /** The error name given to a cell that the user interrupted. */
    public static final String INTERRUPTED = "Interrupted";

    public CellError {
        traceback = List.copyOf(traceback);
    }

    /** The traceback joined by newlines. */
    public String text() {
        return String.join("\n", traceback);
    }
}
