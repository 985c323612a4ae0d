package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.plm4j.kernel.channels.GuardedConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Runs a {@link JavaKernel} over ZeroMQ for a Jupyter connection file until the frontend shuts it down. */
public final class KernelLauncher {

    private KernelLauncher() {
    }

    /**
     * Connects, serves requests and returns when a shutdown_request closed the connection. Processes started
     * by cells end with the kernel ({@link ChildProcessReaper}).
     *
     * @throws IOException when the connection file cannot be read
     * @throws GeneralSecurityException when its signature scheme is not supported
     */
    public static void run(Path connectionFile) throws IOException, GeneralSecurityException {
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        ChildProcessReaper.install();
        GuardedConnection connection = new GuardedConnection(props);
        JavaKernel kernel = JavaKernel.builder().build();
        kernel.startInBackground();
        interruptOnSigint(kernel);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        kernel.close();
    }

    /**
     * SIGINT interrupts the running cell instead of ending the JVM: the kernelspec asks for message-mode
     * interrupts, but a Ctrl-C in the terminal that runs Jupyter reaches the kernel's process group too.
     */
    @SuppressWarnings("sunapi")
    private static void interruptOnSigint(JavaKernel kernel) {
        try {
            stopIgnoringSigint();
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> kernel.interrupt());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            System.err.println("plm4j kernel: SIGINT keeps its default action (" + e + "); interrupts arrive as messages");
        }
    }

    /** libc's {@code signal(2)}; JNA comes with DJL, and the JDK has no call that un-ignores a signal. */
    private interface LibC extends com.sun.jna.Library {
        com.sun.jna.Pointer signal(int signum, com.sun.jna.Pointer handler);
    }

    private static final int SIGINT = 2;
    private static final long SIG_IGN = 1;

    /**
     * A process started in the background by a non-interactive shell ({@code cmd &}, {@code nohup},
     * some service managers and CI runners) inherits SIGINT ignored, and the JVM then silently skips
     * installing any handler for it: Jupyter's signal-mode interrupts would never reach the kernel and
     * a busy cell could not be stopped. The default action is restored first (a moment later the
     * handler below replaces it); a disposition that was not "ignore" is put back unchanged.
     */
    private static void stopIgnoringSigint() {
        try {
            LibC libc = com.sun.jna.Native.load("c", LibC.class);
            com.sun.jna.Pointer old = libc.signal(SIGINT, null); // SIG_DFL
            if (com.sun.jna.Pointer.nativeValue(old) != SIG_IGN) {
                libc.signal(SIGINT, old);
            }
        } catch (RuntimeException | LinkageError e) {
            System.err.println("plm4j kernel: could not check whether SIGINT is ignored (" + e + ")");
        }
    }
}
