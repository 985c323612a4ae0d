package org.plm4j.display;

/**
 * A result that can show itself richly. {@link #toHtml()} is a self-contained HTML fragment
 * (no scripts, images inlined) and {@link Object#toString()} a bounded plain-text summary;
 * notebooks show the first, consoles the second.
 */
public interface Displayable {

    /** A self-contained HTML fragment describing this value. */
    String toHtml();
}
