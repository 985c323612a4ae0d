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
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> kernel.interrupt());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            System.err.println("plm4j kernel: SIGINT keeps its default action (" + e + "); interrupts arrive as messages");
        }
    }
}
