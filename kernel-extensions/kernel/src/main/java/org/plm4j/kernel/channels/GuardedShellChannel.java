package org.plm4j.kernel.channels;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A shell or control channel whose loop survives any message.
 *
 * <p>jjava-jupyter's {@code ShellChannel.bind} starts a loop that reads with {@code JupyterSocket.readMessage}
 * (a non-virtual {@code super} call, so overriding it is not enough) and lets its {@code SecurityException}
 * end the thread. This channel owns its loop instead: messages come through the shared {@link WireReader}
 * (refused ones are logged and dropped), and any throwable of a handler is logged and the loop goes on. The
 * loop blocks in a poll with a timeout, so a request is served as soon as it arrives.
 */
public final class GuardedShellChannel extends ShellChannel {

    /** Longest wait in one poll; it bounds how long closing takes. */
    private static final long POLL_TIMEOUT_MILLIS = 100;

    private final String channel;
    private final JupyterConnection connection;
    private final WireReader reader;
    private final RefusalLog log;
    private volatile boolean running;
    private volatile Thread loop;

    GuardedShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection,
                        WireReader reader, RefusalLog log) {
        super(context, hmac, control, connection);
        this.channel = control ? "control" : "shell";
        this.connection = connection;
        this.reader = reader;
        this.log = log;
        setLinger(1000);
    }

    /** The next valid message, or null when the message that arrived was refused. */
    @Override
    public synchronized Message<?> readMessage() {
        if (closed) {
            return null;
        }
        return reader.read(this, channel);
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        if (loop != null) {
            throw new IllegalStateException("the " + channel + " channel is already bound");
        }
        int port = "control".equals(channel) ? props.getControlPort() : props.getShellPort();
        bind(props.getTransport() + "://" + props.getIp() + ":" + port);
        running = true;
        Thread t = new Thread(this::serve, "plm4j-" + channel);
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    private void serve() {
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        try {
            while (running) {
                try {
                    if (poller.poll(POLL_TIMEOUT_MILLIS) > 0 && running) {
                        Message<?> message = readMessage();
                        if (message != null) {
                            handle(message);
                        }
                    }
                } catch (ZMQException e) {
                    if (!running || e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                        break;
                    }
                    log.note("the " + channel + " channel keeps serving after " + e);
                } catch (Throwable e) {
                    if (!running) {
                        break;
                    }
                    log.note("the " + channel + " channel keeps serving after " + e);
                }
            }
        } finally {
            poller.close();
            closeSocket();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handle(Message<?> message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            log.refused(channel, "no handler for " + message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Throwable e) {
            log.note("failed to handle " + message.getHeader().getType().getName() + ": " + e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    private void closeSocket() {
        super.close();
    }

    /** Stops the loop; the loop thread closes the socket (a ZeroMQ socket belongs to one thread). */
    @Override
    public void close() {
        running = false;
        if (loop == null) {
            closeSocket();
        }
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
