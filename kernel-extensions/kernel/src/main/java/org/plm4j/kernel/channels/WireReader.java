package org.plm4j.kernel.channels;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.kernel.ExpressionValue;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.adapters.ExpressionValueAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryEntryAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.adapters.PublishStatusAdapter;
import org.dflib.jjava.jupyter.messages.adapters.ReplyTypeAdapter;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.zeromq.ZMQ;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads one Jupyter wire message from a ZeroMQ socket and checks it before anything acts on it.
 *
 * <p>jjava-jupyter 1.0-a6's {@code JupyterSocket.readMessage} throws {@code SecurityException} on a bad
 * signature (and gson or null-pointer exceptions on a malformed frame) out of the channel's loop thread, which
 * then dies and the channel never serves again. Here every multipart message is drained completely and then
 * refused, with one line on stderr naming the reason, when
 * <ul>
 *   <li>it has no {@code <IDS|MSG>} delimiter or fewer than five frames after it;</li>
 *   <li>a header, parent header or metadata frame is larger than {@link #MAX_JSON_FRAME_BYTES};</li>
 *   <li>its HMAC signature is missing or wrong, or was already used by an earlier message (a replay; the
 *       digests of the last {@link #DIGEST_HISTORY} messages are kept, as ipykernel's session does);</li>
 *   <li>a frame is not JSON of the right shape, the header lacks {@code msg_id}, {@code msg_type},
 *       {@code session}, {@code username} or {@code version}, the type is unknown, or the content does not
 *       fit the type.</li>
 * </ul>
 * The signature is checked before any JSON is parsed. One reader is shared by the shell, control and stdin
 * channels, so a message replayed on another channel is refused too. Thread-safe.
 */
public final class WireReader {

    /** Largest accepted header, parent header or metadata frame (those frames are small in real traffic). */
    public static final int MAX_JSON_FRAME_BYTES = 1 << 20;
    /** How many signatures are remembered to refuse replays (ipykernel keeps 2^16 as well). */
    public static final int DIGEST_HISTORY = 1 << 16;
    /** Frames kept for one message; further frames of a huge multipart message are drained and dropped. */
    private static final int MAX_FRAMES = 4096;
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> REQUIRED_HEADER_FIELDS = List.of("msg_id", "msg_type", "session", "username", "version");

    // the same adapters jjava-jupyter's socket uses (its Gson instance is private)
    private static final Gson REPLY_GSON = new GsonBuilder()
            .registerTypeAdapter(HistoryEntry.class, HistoryEntryAdapter.INSTANCE)
            .registerTypeAdapter(ExpressionValue.class, ExpressionValueAdapter.INSTANCE)
            .create();
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(PublishStatus.class, PublishStatusAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .registerTypeHierarchyAdapter(ReplyType.class, new ReplyTypeAdapter(REPLY_GSON))
            .create();
    private static final Type JSON_OBJECT_AS_MAP = new TypeToken<Map<String, Object>>() {
    }.getType();

    private final HMACGenerator hmac;
    private final RefusalLog log;
    private final LinkedHashSet<String> seenDigests = new LinkedHashSet<>();

    /**
     * @param hmac signs with the connection key; {@link HMACGenerator#NO_AUTH_INSTANCE} (empty key) turns
     *             signature and replay checks off, as in Jupyter
     * @param log  where refusals are reported
     */
    public WireReader(HMACGenerator hmac, RefusalLog log) {
        this.hmac = hmac;
        this.log = log;
    }

    /** Thrown internally with the reason a message is refused. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Receives the next multipart message from {@code socket} (blocking) and returns it, or null when it was
     * refused (the refusal is logged).
     *
     * @param channel the channel's name for the log ({@code shell}, {@code control}, {@code stdin})
     */
    public Message<?> read(ZMQ.Socket socket, String channel) {
        List<byte[]> frames = new ArrayList<>();
        long dropped = 0;
        do {
            byte[] frame = socket.recv();
            if (frame == null) {
                break;
            }
            if (frames.size() < MAX_FRAMES) {
                frames.add(frame);
            } else {
                dropped++;
            }
        } while (socket.hasReceiveMore());
        try {
            if (dropped > 0) {
                throw new Refused("a message of more than " + MAX_FRAMES + " frames");
            }
            return parse(frames);
        } catch (Refused r) {
            log.refused(channel, r.getMessage());
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message<?> parse(List<byte[]> frames) throws Refused {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(DELIMITER, frames.get(i))) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new Refused("no <IDS|MSG> delimiter among its " + frames.size() + " frame(s) (" + describeSizes(frames) + ")");
        }
        int after = frames.size() - delimiter - 1;
        if (after < 5) {
            throw new Refused(after + " frame(s) after <IDS|MSG>; expected signature, header, parent_header, metadata, content");
        }
        List<byte[]> identities = new ArrayList<>(frames.subList(0, delimiter));
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        List<byte[]> blobs = new ArrayList<>(frames.subList(delimiter + 6, frames.size()));
        checkSize("header", header);
        checkSize("parent_header", parent);
        checkSize("metadata", metadata);

        String expected = hmac.calculateSignature(header, parent, metadata, content);
        if (expected != null) {
            if (signature.isEmpty()) {
                throw new Refused("it is unsigned (the connection requires an HMAC signature)");
            }
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
                throw new Refused("invalid HMAC signature " + abbreviate(signature) + " (wrong key or altered message)");
            }
            rememberOrRefuseReplay(signature);
        }

        JsonObject headerJson = jsonObject("header", header, false);
        for (String field : REQUIRED_HEADER_FIELDS) {
            JsonElement value = headerJson.get(field);
            if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new Refused("header field '" + field + "' is " + (value == null ? "missing" : "not a string: " + abbreviate(value.toString())));
            }
        }
        String typeName = headerJson.get("msg_type").getAsString();
        MessageType<?> type = MessageType.getType(typeName);
        if (type == MessageType.UNKNOWN) {
            throw new Refused("unknown msg_type '" + abbreviate(typeName) + "'");
        }
        JsonObject parentJson = jsonObject("parent_header", parent, true);
        JsonObject metadataJson = jsonObject("metadata", metadata, true);
        JsonObject contentJson = jsonObject("content", content, true);
        try {
            Header<?> h = GSON.fromJson(headerJson, Header.class);
            Header<?> p = parentJson.size() == 0 ? null : GSON.fromJson(parentJson, Header.class);
            Map<String, Object> m = GSON.fromJson(metadataJson, JSON_OBJECT_AS_MAP);
            Object c = GSON.fromJson(contentJson, type.getContentType());
            if (c == null) {
                throw new Refused("the content of " + typeName + " is empty");
            }
            if (c instanceof ErrorReply) {
                h = new Header<>(h.getId(), h.getUsername(), h.getSessionId(), h.getTimestamp(), h.getType().error(), h.getVersion());
            }
            return new Message(identities, h, p, m, c, blobs);
        } catch (RuntimeException e) {
            throw new Refused("the " + typeName + " does not match the protocol: " + abbreviate(String.valueOf(e.getMessage())));
        }
    }

    private synchronized void rememberOrRefuseReplay(String signature) throws Refused {
        if (!seenDigests.add(signature)) {
            throw new Refused("replayed signature " + abbreviate(signature) + " (an earlier message carried it)");
        }
        if (seenDigests.size() > DIGEST_HISTORY) {
            Iterator<String> oldest = seenDigests.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static void checkSize(String name, byte[] frame) throws Refused {
        if (frame.length > MAX_JSON_FRAME_BYTES) {
            throw new Refused("its " + name + " frame has " + frame.length + " bytes; at most " + MAX_JSON_FRAME_BYTES + " are accepted");
        }
    }

    private static JsonObject jsonObject(String name, byte[] frame, boolean emptyAllowed) throws Refused {
        JsonElement e;
        try {
            e = JsonParser.parseString(new String(frame, StandardCharsets.UTF_8));
        } catch (RuntimeException ex) {
            throw new Refused("its " + name + " frame is not valid JSON (" + frame.length + " bytes: " + abbreviate(new String(frame, StandardCharsets.UTF_8)) + ")");
        }
        if (!e.isJsonObject() || (!emptyAllowed && e.getAsJsonObject().size() == 0)) {
            throw new Refused("its " + name + " frame is not a" + (emptyAllowed ? "" : " non-empty") + " JSON object: " + abbreviate(e.toString()));
        }
        return e.getAsJsonObject();
    }

    private static String describeSizes(List<byte[]> frames) {
        StringBuilder sb = new StringBuilder("sizes");
        for (int i = 0; i < Math.min(frames.size(), 8); i++) {
            sb.append(' ').append(frames.get(i).length);
        }
        return frames.size() > 8 ? sb.append(" ...").toString() : sb.toString();
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    }
}
