package org.plm4j.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

import java.nio.charset.Charset;

/**
 * The kernel's stdout, stderr, stdin and display stream, attached to the reply environment of the running
 * cell. stdout/stderr text is coalesced into few stream messages ({@link OutputCoalescer}). Output written
 * while no cell runs is dropped, as in jjava-jupyter.
 */
public final class KernelIO extends JupyterIO implements AutoCloseable {

    private final OutputCoalescer streams;

    public KernelIO(Charset encoding) {
        this(encoding, new OutputCoalescer());
    }

    KernelIO(Charset encoding, OutputCoalescer streams) {
        super(encoding);
        this.streams = streams;
    }

    /**
     * Routes output to the cell: {@code cellEnv} (which hands stream text to {@link #streams()}) for the
     * PrintStreams, displays and stdin; the coalesced text goes to {@code target}.
     */
    void attach(ShellReplyEnvironment cellEnv, ShellReplyEnvironment target, boolean stdinEnabled) {
        streams.attach(target);
        setEnv(cellEnv);
        setJupyterInEnabled(stdinEnabled);
    }

    /** Sends pending output and stops routing output to {@code cellEnv}. */
    void detach(ShellReplyEnvironment cellEnv) {
        flush();
        retractEnv(cellEnv);
        streams.detach();
    }

    /** Sends buffered stdout and stderr text now. */
    void flush() {
        out.flush();
        err.flush();
        streams.flush();
    }

    OutputCoalescer streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close();
    }
}
