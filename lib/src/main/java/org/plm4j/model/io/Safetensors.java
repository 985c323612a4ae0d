package org.plm4j.model.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.plm4j.model.CheckpointException;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
 * {@code name -> {dtype, shape, data_offsets}}, then the raw little-endian data) in plain Java:
 * tensors are read one at a time into float arrays, F16/BF16/F64 upcast or narrowed to F32, so a
 * checkpoint never needs a second native copy.
 */
final class Safetensors {

    /** One tensor of a file: its dtype, shape and byte range in the data section. */
    record Entry(String dtype, long[] shape, long begin, long end) {
        long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private Safetensors() {
    }

    /** An open safetensors file: the header parsed, tensors read on demand. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        Reader(Path file, String remedy) {
            this.file = file;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
            }
            try {
                long size = channel.size();
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                readFully(len, 0);
                long headerLen = len.getLong(0);
                if (size < 8 || headerLen <= 1 || headerLen > size - 8 || headerLen > 100_000_000) {
                    throw bad("the header length " + headerLen + " does not fit a file of " + size + " bytes", remedy);
                }
                ByteBuffer header = ByteBuffer.allocate((int) headerLen);
                readFully(header, 8);
                dataStart = 8 + headerLen;
                JsonObject root = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8))
                        .getAsJsonObject();
                for (Map.Entry<String, JsonElement> e : root.entrySet()) {
                    if (e.getKey().equals("__metadata__")) {
                        continue;
                    }
                    JsonObject t = e.getValue().getAsJsonObject();
                    var shapeJson = t.getAsJsonArray("shape");
                    long[] shape = new long[shapeJson.size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = shapeJson.get(i).getAsLong();
                    }
                    var off = t.getAsJsonArray("data_offsets");
                    Entry entry = new Entry(t.get("dtype").getAsString(), shape, off.get(0).getAsLong(),
                            off.get(1).getAsLong());
                    if (entry.begin < 0 || entry.end < entry.begin || dataStart + entry.end > size) {
                        throw bad("tensor '" + e.getKey() + "' lies outside the file (offsets " + entry.begin + ".."
                                + entry.end + ", data section of " + (size - dataStart) + " bytes)", remedy);
                    }
                    entries.put(e.getKey(), entry);
                }
            } catch (IOException | RuntimeException e) {
                close();
                if (e instanceof CheckpointException ce) {
                    throw ce;
                }
                throw bad(e.getClass().getSimpleName() + ": " + e.getMessage(), remedy);
            }
        }

        private CheckpointException bad(String why, String remedy) {
            return new CheckpointException(file + " is not a readable safetensors file (" + why + "); " + remedy);
        }

        private void readFully(ByteBuffer buf, long pos) throws IOException {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new IOException("unexpected end of file");
                }
            }
        }

        Path file() {
            return file;
        }

        /** The tensors by name, in file order. */
        Map<String, Entry> entries() {
            return entries;
        }

        /** The values of tensor {@code name} as float32 (F32, F16, BF16 and F64 are read). */
        float[] floats(String name) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new CheckpointException(file + " has no tensor '" + name + "'");
            }
            int n = Math.toIntExact(e.size());
            int width = switch (e.dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                case "F64" -> 8;
                default -> throw new CheckpointException("tensor '" + name + "' in " + file + " has dtype " + e.dtype
                        + "; plm4j reads F32, F16, BF16 and F64 weights");
            };
            if (e.end - e.begin != (long) n * width) {
                throw new CheckpointException("tensor '" + name + "' in " + file + " has " + (e.end - e.begin)
                        + " bytes, expected " + (long) n * width + " for " + e.dtype + " of shape "
                        + java.util.Arrays.toString(e.shape) + "; the file is corrupt");
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
            try {
                readFully(buf, dataStart + e.begin);
            } catch (IOException ex) {
                throw new CheckpointException("cannot read tensor '" + name + "' of " + file + ": " + ex.getMessage(), ex);
            }
            buf.flip();
            float[] out = new float[n];
            switch (e.dtype) {
                case "F32" -> buf.asFloatBuffer().get(out);
                case "F64" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) buf.getDouble(i * 8);
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.intBitsToFloat((buf.getShort(i * 2) & 0xFFFF) << 16);
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = halfToFloat(buf.getShort(i * 2));
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written
            }
        }
    }

    /** IEEE 754 half precision to float (normal, subnormal, zero, infinity, NaN). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Writes F32 tensors in the given order, with {@code {"format": "pt"}} metadata (what
     * Hugging Face's loaders expect).
     */
    static void write(Path file, Map<String, float[]> data, Map<String, long[]> shapes) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            long bytes = 4L * e.getValue().length;
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", "F32");
            t.put("shape", shapes.get(e.getKey()));
            t.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), t);
            offset += bytes;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            os.write(len.array());
            os.write(json);
            for (int i = json.length; i < padded; i++) {
                os.write(' ');
            }
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] values : data.values()) {
                for (float v : values) {
                    if (!chunk.hasRemaining()) {
                        os.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(v);
                }
            }
            os.write(chunk.array(), 0, chunk.position());
        }
    }
}
