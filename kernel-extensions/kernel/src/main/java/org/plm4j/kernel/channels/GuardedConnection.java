package org.plm4j.kernel.channels;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link JupyterConnection} whose shell, control and stdin channels refuse bad messages instead of dying
 * on them ({@link GuardedShellChannel}, {@link GuardedStdinChannel}, {@link WireReader}). Heartbeat and
 * iopub are jjava-jupyter's own: they parse nothing they receive.
 *
 * <p>jjava-jupyter creates its channels in the constructor and keeps them in final fields; this connection
 * binds its own channels in their place (in a ZeroMQ context of its own) and leaves the library's shell,
 * control and stdin sockets unbound.
 */
public final class GuardedConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final GuardedShellChannel guardedShell;
    private final GuardedShellChannel guardedControl;
    private final GuardedStdinChannel guardedStdin;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Thread closer;

    public GuardedConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        RefusalLog log = new RefusalLog(System.err);
        WireReader reader = new WireReader(hmac, log);
        this.guardedShell = new GuardedShellChannel(context, hmac, false, this, reader, log);
        this.guardedControl = new GuardedShellChannel(context, hmac, true, this, reader, log);
        this.guardedStdin = new GuardedStdinChannel(context, hmac, reader, log);
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        guardedShell.bind(props);
        guardedControl.bind(props);
        guardedStdin.bind(props);
        iopub.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
        return new ShellReplyEnvironment(shell, guardedStdin, iopub, context) {
        };
    }

    /**
     * Stops the channels. May be called from a channel's own loop (a shutdown_request): the sockets are
     * closed by their loops and the contexts ended on a separate thread once the loops have finished.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            guardedShell.waitUntilClose();
            guardedControl.waitUntilClose();
            guardedStdin.close();
            context.close();
            super.close();
        }, "plm4j-connection-close");
        t.setDaemon(true);
        closer = t;
        guardedShell.close();
        guardedControl.close();
        t.start();
    }

    @Override
    public void waitUntilClose() {
        for (GuardedShellChannel c : List.of(guardedShell, guardedControl)) {
            c.waitUntilClose();
        }
        Thread t = closer;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
