/**
 * The plm4j Jupyter extension: installed by any kernel built on jjava-jupyter through
 * {@code META-INF/services/org.dflib.jjava.jupyter.Extension}. It registers renderers
 * ({@link org.plm4j.extension.render}), magics ({@link org.plm4j.extension.magic}) and provides the
 * live progress display ({@link org.plm4j.extension.progress}). It holds no ML logic: every magic
 * calls the public plm4j-lib API a user could call from a cell.
 */
package org.plm4j.extension;
