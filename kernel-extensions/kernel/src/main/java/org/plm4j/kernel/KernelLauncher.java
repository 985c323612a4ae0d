package org.plm4j.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Runs a {@link JavaKernel} over ZeroMQ for a Jupyter connection file until the frontend shuts it down. */
public final class KernelLauncher {

    private KernelLauncher() {
    }

    /**
     * Connects, serves requests and returns when a shutdown_request closed the connection.
     *
     * @throws IOException when the connection file cannot be read
     * @throws GeneralSecurityException when its signature scheme is not supported
     */
    public static void run(Path connectionFile) throws IOException, GeneralSecurityException {
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);
        shortenPolling(connection);
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

    /** Poll interval of the shell and control channels; jjava-jupyter 1.0-a6 sleeps 50 ms between polls. */
    static final long POLL_MILLIS = 2;

    /**
     * jjava-jupyter's shell and control loops sleep 50 ms between polls, which adds up to 50 ms to every
     * request; its API has no setting for it, so the interval is lowered by reflection before the sockets are
     * bound. If the fields ever change, the library default is kept.
     */
    private static void shortenPolling(JupyterConnection connection) {
        for (String channel : new String[]{"shell", "control"}) {
            try {
                java.lang.reflect.Field channelField = JupyterConnection.class.getDeclaredField(channel);
                channelField.setAccessible(true);
                Object shell = channelField.get(connection);
                java.lang.reflect.Field sleep = shell.getClass().getDeclaredField("sleep");
                sleep.setAccessible(true);
                sleep.setLong(shell, POLL_MILLIS);
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.err.println("plm4j kernel: keeping jjava-jupyter's default poll interval (" + e + ")");
            }
        }
    }
}
