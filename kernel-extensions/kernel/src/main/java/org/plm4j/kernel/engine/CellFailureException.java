package org.plm4j.kernel.engine;

/**
 * Thrown by the engine when a snippet of a cell does not compile, throws, or is interrupted; it carries the
 * readable {@link CellError} the kernel shows.
 */
public final class CellFailureException extends RuntimeException {
    private final transient CellError error;

    public CellFailureException(CellError error, Throwable cause) {
        super(error.ename() + ": " + error.evalue(), cause);
        this.error = error;
    }

    public CellFailureException(CellError error) {
        this(error, null);
    }

    public CellError error() {
        return error;
    }
}
