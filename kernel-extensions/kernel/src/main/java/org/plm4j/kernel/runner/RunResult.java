package org.plm4j.kernel.runner;

import org.plm4j.kernel.engine.CellError;

import java.util.Optional;

/**
 * The outcome of a headless run.
 *
 * @param cellsRun    how many code cells ran (including the failed one)
 * @param failedCell  index of the failing cell in the notebook (0-based), or -1
 * @param failedFirstLine first line of the failing cell's source, or ""
 * @param error       the error of the failing cell
 */
public record RunResult(int cellsRun, int failedCell, String failedFirstLine, Optional<CellError> error) {

    public boolean succeeded() {
        return error.isEmpty();
    }

    /** One line naming the failed cell and its error, for the command line. */
    public String failureSummary() {
        return error.map(e -> "Cell " + failedCell + " (" + failedFirstLine.strip() + ") failed: " + e.ename()
                + (e.evalue().isEmpty() ? "" : ": " + e.evalue())).orElse("");
    }
}
