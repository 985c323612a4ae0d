/**
 * How plm4j results render themselves, without any Jupyter dependency.
 *
 * <p>A result type (a training history, an evaluation, a PCA) implements {@link org.plm4j.display.Displayable}
 * and builds its HTML with {@link org.plm4j.display.Html}: tables from Tablesaw, charts from XChart as
 * inline PNG. The Jupyter extension only forwards {@code toHtml()} and {@code toString()} as
 * {@code text/html} and {@code text/plain}; a script prints {@code toString()}.
 */
package org.plm4j.display;
