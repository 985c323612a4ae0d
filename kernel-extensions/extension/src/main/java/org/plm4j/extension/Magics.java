package org.plm4j.extension;

import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

/** All of plm4j's magics, wired in one place. */
final class Magics {

    private Magics() {
    }

    static void registerAll(MagicsRegistry registry) {
    }
}
