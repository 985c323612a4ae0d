package org.plm4j.kernel;

import org.plm4j.kernel.engine.CellError;

import java.util.Optional;

/**
 * How a cell ended: {@link #error()} is empty when it succeeded.
 *
 * @param executionCount the execution count of the cell
 * @param error          the error shown, if the cell failed or was interrupted
 */
public record CellOutcome(int executionCount, Optional<CellError> error) {

    public boolean succeeded() {
        return error.isEmpty();
    }
}
