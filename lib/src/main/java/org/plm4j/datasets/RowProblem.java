package org.plm4j.datasets;

/**
 * A malformed row of a user file: its 1-based line number and what is wrong with it.
 *
 * @param line 1-based line number in the file (of the row's first line for a multi-line CSV record)
 * @param reason what is wrong, e.g. {@code empty text in column 'text'}
 */
public record RowProblem(long line, String reason) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
