package org.plm4j.extension;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.extension.render.Renderers;

/**
 * Entry point found by the kernel's {@code ServiceLoader}: adds plm4j's renderers and magics to
 * the kernel. Uses only the jjava-jupyter API ({@link BaseKernel#getRenderer()},
 * {@link BaseKernel#getMagicsRegistry()}), so upstream JJava loads it as well as the plm4j kernel.
 */
public final class Plm4jExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        // charts are rendered to PNG without a display; must be set before AWT initialises
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Renderers.registerAll(kernel.getRenderer());
        Magics.registerAll(kernel.getMagicsRegistry());
    }
}
