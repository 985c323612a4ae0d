package org.plm4j.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

import java.nio.charset.Charset;

/**
 * The kernel's stdout, stderr, stdin and display stream, attached to the reply environment of the running
 * cell. Output written while no cell runs is dropped, as in jjava-jupyter.
 */
public final class KernelIO extends JupyterIO {

    public KernelIO(Charset encoding) {
        super(encoding);
    }

    /** Routes output (streams and displays) to {@code env} until {@link #detach}. */
    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
    }

    /** Flushes pending output to {@code env} and stops routing output to it. */
    void detach(ShellReplyEnvironment env) {
        flush();
        retractEnv(env);
    }

    /** Sends buffered stdout and stderr text now. */
    void flush() {
        out.flush();
        err.flush();
    }
}
