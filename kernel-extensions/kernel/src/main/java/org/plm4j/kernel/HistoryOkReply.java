package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.List;

/**
 * A history_reply as the protocol has it: {@code "status": "ok"} and entries as tuples
 * {@code [session, line, input]} or {@code [session, line, [input, output]]}. jjava-jupyter 1.0-a6's
 * {@code HistoryReply} has no status, and its socket serialises the entries as JSON objects (its tuple adapter
 * is registered for reading only).
 */
final class HistoryOkReply implements ContentType<HistoryOkReply> {
    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "ok";
    @SuppressWarnings("unused")
    private final List<List<Object>> history;

    HistoryOkReply(List<HistoryEntry> entries) {
        this.history = entries.stream().map(e -> List.<Object>of(e.getSession(), e.getCellNumber(),
                e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput())).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public MessageType<HistoryOkReply> getType() {
        return (MessageType<HistoryOkReply>) (MessageType<?>) MessageType.HISTORY_REPLY;
    }
}
