package org.plm4j.kernel.runner;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;

import java.util.function.Consumer;

/**
 * A reply environment without ZeroMQ: every published message content (stream, display_data,
 * update_display_data, execute_result, error) goes to a consumer. Used by the headless runner so that cells
 * run through exactly the kernel's evaluation path.
 */
public final class LocalReplyEnvironment extends ShellReplyEnvironment {

    private final Consumer<Object> sink;

    public LocalReplyEnvironment(Consumer<Object> sink) {
        super(null, null, null, null);
        this.sink = sink;
    }

    @Override
    public void publish(Message<?> msg) {
        sink.accept(msg.getContent());
    }

    @Override
    public void reply(Message<?> msg) {
        // a headless run has no shell channel: the outcome is returned by JavaKernel.execute
    }

    @Override
    public String readFromStdIn(String prompt, boolean isPassword) {
        throw new UnsupportedOperationException("a headless run has no stdin; pass values with -p name=value instead");
    }
}
