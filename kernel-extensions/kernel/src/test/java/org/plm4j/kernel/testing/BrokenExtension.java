package org.plm4j.kernel.testing;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** An extension whose install fails: the kernel must report it and keep running. */
public final class BrokenExtension implements Extension {
    @Override
    public void install(BaseKernel kernel) {
        throw new IllegalStateException("broken on purpose");
    }
}
