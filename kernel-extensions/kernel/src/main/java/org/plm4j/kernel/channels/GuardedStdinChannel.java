package org.plm4j.kernel.channels;

import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.InputReply;
import org.dflib.jjava.jupyter.messages.request.InputRequest;
import org.zeromq.ZMQ;

/**
 * The stdin channel: an {@code input_request} waits for the first valid {@code input_reply}; refused or
 * unexpected messages are logged and skipped (jjava-jupyter's channel threw on them, into the cell).
 */
public final class GuardedStdinChannel extends StdinChannel {

    private final WireReader reader;
    private final RefusalLog log;

    GuardedStdinChannel(ZMQ.Context context, HMACGenerator hmac, WireReader reader, RefusalLog log) {
        super(context, hmac);
        this.reader = reader;
        this.log = log;
        setLinger(1000);
    }

    @Override
    public synchronized Message<?> readMessage() {
        if (closed) {
            return null;
        }
        return reader.read(this, "stdin");
    }

    @Override
    public synchronized String getInput(MessageContext context, String prompt, boolean isPasswordRequest) {
        sendMessage(new Message<>(context, InputRequest.MESSAGE_TYPE, new InputRequest(prompt, isPasswordRequest)));
        while (!closed) {
            Message<?> reply = readMessage();
            if (reply == null) {
                continue;
            }
            if (reply.getHeader().getType() == MessageType.INPUT_REPLY) {
                return ((InputReply) reply.getContent()).getValue() + System.lineSeparator();
            }
            log.refused("stdin", "expected an input_reply, got " + reply.getHeader().getType().getName());
        }
        return "";
    }
}
