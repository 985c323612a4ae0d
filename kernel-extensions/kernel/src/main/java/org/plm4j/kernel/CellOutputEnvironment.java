package org.plm4j.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

/**
 * Wraps the reply environment of a cell so that buffered stdout/stderr text is sent before any other message
 * (display data, results, errors): outputs keep the order in which the cell produced them.
 */
final class CellOutputEnvironment extends ShellReplyEnvironment {

    private final ShellReplyEnvironment target;
    private final Runnable flushStreams;

    CellOutputEnvironment(ShellReplyEnvironment target, Runnable flushStreams) {
        super(null, null, null, target.getContext());
        this.target = target;
        this.flushStreams = flushStreams;
    }

    @Override
    public void publish(Message<?> msg) {
        if (!(msg.getContent() instanceof PublishStream)) {
            flushStreams.run();
        }
        target.publish(msg);
    }

    @Override
    public void reply(Message<?> msg) {
        target.reply(msg);
    }

    @Override
    public String readFromStdIn(String prompt, boolean isPassword) {
        flushStreams.run();
        return target.readFromStdIn(prompt, isPassword);
    }
}
