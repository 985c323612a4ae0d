package org.plm4j.kernel.testing;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.plm4j.kernel.CellOutcome;
import org.plm4j.kernel.JavaKernel;
import org.plm4j.kernel.runner.LocalReplyEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs cells through {@link JavaKernel#execute} and records what they publish. */
public final class KernelHarness {

    /** What one cell published. */
    public record Cell(CellOutcome outcome, List<Object> messages) {
        public String stdout() {
            StringBuilder sb = new StringBuilder();
            messages.stream().filter(m -> m instanceof PublishStream s && s.getStreamType() == PublishStream.StreamType.OUT)
                    .forEach(m -> sb.append(((PublishStream) m).getText()));
            return sb.toString();
        }

        public String stderr() {
            StringBuilder sb = new StringBuilder();
            messages.stream().filter(m -> m instanceof PublishStream s && s.getStreamType() == PublishStream.StreamType.ERR)
                    .forEach(m -> sb.append(((PublishStream) m).getText()));
            return sb.toString();
        }

        /** The data of the execute_result, or null. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> result() {
            return messages.stream().filter(m -> m instanceof PublishExecuteResult).findFirst()
                    .map(m -> data((DisplayData) m)).orElse(null);
        }

        public List<Object> of(Class<?> type) {
            return messages.stream().filter(type::isInstance).toList();
        }

        public PublishError error() {
            return (PublishError) messages.stream().filter(m -> m instanceof PublishError).findFirst().orElse(null);
        }
    }

    private final JavaKernel kernel;
    private int count = 1;

    public KernelHarness(JavaKernel kernel) {
        this.kernel = kernel;
    }

    public Cell run(String code) {
        List<Object> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        CellOutcome outcome = kernel.execute(new LocalReplyEnvironment(messages::add), code, count++, false);
        return new Cell(outcome, new ArrayList<>(messages));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> data(DisplayData d) {
        return (Map<String, Object>) new com.google.gson.Gson().fromJson(new com.google.gson.Gson().toJson(d), Map.class).get("data");
    }

}
