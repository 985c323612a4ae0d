package org.plm4j.kernel.engine;

/**
 * One snippet of a cell as JShell will compile it.
 *
 * @param source the snippet text
 * @param offset offset of the snippet's first character in the cell
 */
public record SnippetSource(String source, int offset) {
}
