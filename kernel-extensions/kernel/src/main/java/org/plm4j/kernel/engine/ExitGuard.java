package org.plm4j.kernel.engine;

/**
 * Targets of the calls that {@link ExitCallRewriter} substitutes in snippet classes: each throws a
 * {@link CellExitError} instead of ending the JVM. Public only because snippet classes, loaded by another
 * class loader, must be able to call it; not meant to be called directly.
 */
public final class ExitGuard {

    private ExitGuard() {
    }

    /** Replaces {@code System.exit(status)}. */
    public static void systemExit(int status) {
        throw new CellExitError("System.exit(" + status + ")");
    }

    /** Replaces {@code runtime.exit(status)}. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new CellExitError("Runtime.exit(" + status + ")");
    }

    /** Replaces {@code runtime.halt(status)}. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new CellExitError("Runtime.halt(" + status + ")");
    }
}
