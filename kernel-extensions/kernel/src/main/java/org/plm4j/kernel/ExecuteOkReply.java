package org.plm4j.kernel;

import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;

import java.util.List;
import java.util.Map;

/** An ok execute_reply with the protocol's {@code payload} list, which jjava-jupyter 1.0-a6's reply lacks. */
final class ExecuteOkReply extends ExecuteReply {
    @SuppressWarnings("unused") // serialized by Gson
    private final List<Map<String, Object>> payload;

    ExecuteOkReply(int executionCount, List<Map<String, Object>> payload) {
        super(executionCount, Map.of());
        this.payload = payload;
    }

    /** The payload that shows {@code text} in the frontend's pager (IPython's {@code obj?}). */
    static Map<String, Object> page(String text) {
        return Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0);
    }
}
