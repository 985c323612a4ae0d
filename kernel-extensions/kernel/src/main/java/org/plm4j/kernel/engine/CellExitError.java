package org.plm4j.kernel.engine;

/**
 * Thrown in place of {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt} called from cell code,
 * which would end the kernel and lose the session. It is an {@link Error}, like Python's {@code SystemExit}
 * is not an {@code Exception}, so that a {@code catch (Exception e)} around the call does not swallow it.
 */
public final class CellExitError extends Error {

    CellExitError(String call) {
        super(call + " was called from cell code and blocked: it would end the kernel and lose every variable of "
                + "this session. The kernel is still running. To restart it on purpose, use Kernel > Restart "
                + "(or the frontend's restart command).", null, false, false);
    }
}
