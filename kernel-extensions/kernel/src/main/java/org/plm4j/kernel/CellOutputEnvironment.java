package org.plm4j.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

/**
 * Wraps the reply environment of a cell: stream text goes to the {@link KernelIO}'s coalescer, and pending
 * stream text is sent before any other message (display data, clear_output, results, errors), so outputs keep
 * the order in which the cell produced them.
 */
final class CellOutputEnvironment extends ShellReplyEnvironment {

    private final ShellReplyEnvironment target;
    private final KernelIO io;

    CellOutputEnvironment(ShellReplyEnvironment target, KernelIO io) {
        super(null, null, null, target.getContext());
        this.target = target;
        this.io = io;
    }

    ShellReplyEnvironment target() {
        return target;
    }

    @Override
    public void writeToStdOut(String text) {
        io.streams().append(false, text);
    }

    @Override
    public void writeToStdErr(String text) {
        io.streams().append(true, text);
    }

    @Override
    public void publish(Message<?> msg) {
        if (!(msg.getContent() instanceof PublishStream)) {
            io.flush();
        }
        target.publish(msg);
    }

    @Override
    public void reply(Message<?> msg) {
        target.reply(msg);
    }

    @Override
    public String readFromStdIn(String prompt, boolean isPassword) {
        io.flush();
        return target.readFromStdIn(prompt, isPassword);
    }
}
