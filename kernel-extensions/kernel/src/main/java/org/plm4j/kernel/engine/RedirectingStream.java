package org.plm4j.kernel.engine;

import java.io.OutputStream;

/**
 * JShell's own out/err: forwards to whatever {@code System.out}/{@code System.err} is at the time of the
 * write, so JShell messages reach the notebook like user output.
 */
final class RedirectingStream extends OutputStream {
    private final boolean err;

    RedirectingStream(boolean err) {
        this.err = err;
    }

    @Override
    public void write(int b) {
        (err ? System.err : System.out).write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        (err ? System.err : System.out).write(b, off, len);
    }

    @Override
    public void flush() {
        (err ? System.err : System.out).flush();
    }
}
