package org.plm4j.extension;

import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.plm4j.extension.magic.MagicCatalog;

/** Wires plm4j's magics into a kernel: the list itself is {@link MagicCatalog}. */
final class Magics {

    private Magics() {
    }

    static void registerAll(MagicsRegistry registry) {
        MagicCatalog.registerAll(registry);
    }
}
