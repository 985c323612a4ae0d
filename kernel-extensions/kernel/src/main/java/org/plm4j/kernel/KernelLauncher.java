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
        JavaKernel kernel = JavaKernel.builder().build();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        kernel.close();
    }
}
