package org.plm4j.kernel.runner;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns published messages into nbformat 4 outputs the way Jupyter clients (nbclient) store them:
 * consecutive stream text of the same stream is merged, display data with a {@code transient.display_id} can
 * later be replaced in place by update_display_data (in any cell of the run), and transient data is not
 * stored.
 */
final class NotebookOutputs {

    private static final Gson GSON = new Gson();
    private final Map<String, List<JsonObject>> byDisplayId = new HashMap<>();

    /** Appends the output for {@code content} to {@code outputs} (or updates earlier outputs in place). */
    void add(JsonArray outputs, Object content) {
        if (content instanceof PublishStream s) {
            String name = s.getStreamType() == PublishStream.StreamType.ERR ? "stderr" : "stdout";
            if (outputs.size() > 0) {
                JsonObject last = outputs.get(outputs.size() - 1).getAsJsonObject();
                if ("stream".equals(last.get("output_type").getAsString()) && name.equals(last.get("name").getAsString())) {
                    last.addProperty("text", last.get("text").getAsString() + s.getText());
                    return;
                }
            }
            JsonObject o = new JsonObject();
            o.addProperty("output_type", "stream");
            o.addProperty("name", name);
            o.addProperty("text", s.getText());
            outputs.add(o);
        } else if (content instanceof PublishUpdateDisplayData u) {
            List<JsonObject> targets = byDisplayId.getOrDefault(u.getDisplayId(), List.of());
            JsonObject fresh = bundle("display_data", u);
            for (JsonObject t : targets) {
                t.add("data", fresh.get("data"));
                t.add("metadata", fresh.get("metadata"));
            }
        } else if (content instanceof PublishExecuteResult r) {
            JsonObject o = bundle("execute_result", r);
            o.addProperty("execution_count", r.getCount());
            outputs.add(o);
        } else if (content instanceof PublishDisplayData d) {
            JsonObject o = bundle("display_data", d);
            if (d.getDisplayId() != null) {
                byDisplayId.computeIfAbsent(d.getDisplayId(), k -> new ArrayList<>()).add(o);
            }
            outputs.add(o);
        } else if (content instanceof PublishError e) {
            JsonObject o = new JsonObject();
            o.addProperty("output_type", "error");
            o.addProperty("ename", e.getErrorName());
            o.addProperty("evalue", e.getErrorMessage());
            JsonArray tb = new JsonArray();
            e.getStacktrace().forEach(line -> tb.add(new JsonPrimitive(line)));
            o.add("traceback", tb);
            outputs.add(o);
        }
    }

    private static JsonObject bundle(String type, DisplayData d) {
        JsonObject json = GSON.toJsonTree(d).getAsJsonObject();
        JsonObject o = new JsonObject();
        o.addProperty("output_type", type);
        JsonElement data = json.get("data");
        o.add("data", data != null ? data : new JsonObject());
        JsonElement meta = json.get("metadata");
        o.add("metadata", meta != null && meta.isJsonObject() ? meta : new JsonObject());
        return o;
    }

    /** The text/plain of a display or result, for printing a script's outputs. */
    static String plainText(Object content) {
        if (content instanceof DisplayData d) {
            JsonElement data = GSON.toJsonTree(d).getAsJsonObject().get("data");
            if (data != null && data.getAsJsonObject().has("text/plain")) {
                return data.getAsJsonObject().get("text/plain").getAsString();
            }
        }
        return null;
    }
}
