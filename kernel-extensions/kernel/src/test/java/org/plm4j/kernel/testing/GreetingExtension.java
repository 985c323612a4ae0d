package org.plm4j.kernel.testing;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Registers {@code %greet NAME} through the public jjava-jupyter API, like the plm4j extension does: the
 * magic displays a progress line, updates it in place, and returns nothing.
 */
public final class GreetingExtension implements Extension {
    @Override
    public void install(BaseKernel kernel) {
        kernel.getMagicsRegistry().registerLineMagic("greet", (k, args) -> {
            DisplayData progress = new DisplayData("greeting 0/1");
            progress.setDisplayId("greet-progress");
            k.display(progress);
            k.getIO().display.updateDisplay("greet-progress", new DisplayData("greeting 1/1"));
            k.display(k.getRenderer().render(new Greeting(String.join(" ", args))));
            return null;
        });
        // a long-running magic that, like plm4j's training loops, stops when its thread is interrupted
        kernel.getMagicsRegistry().registerLineMagic("spin", (k, args) -> {
            System.out.println("spinning");
            long spins = 0;
            while (!Thread.currentThread().isInterrupted()) {
                spins++;
            }
            System.out.println("stopped after the interrupt");
            return spins;
        });
    }
}
