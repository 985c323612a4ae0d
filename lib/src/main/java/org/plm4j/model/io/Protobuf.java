package org.plm4j.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A read-only walk over protobuf wire format: fields of a message as (number, wire type, value or
 * byte range). plm4j reads about ten fields of an ONNX model (graph, nodes, initializers); a
 * protobuf or ONNX library on the runtime classpath for that would be a large dependency (and
 * ONNX Runtime a native one) for a few dozen lines.
 */
final class Protobuf {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** Thrown when the bytes end inside a field or are not protobuf. */
    static final class Truncated extends RuntimeException {
        Truncated(String message) {
            super(message);
        }
    }

    /** A cursor over the fields of one message, {@code buf[from, to)}. */
    static final class Fields {
        private final ByteBuffer buf;
        private int pos;
        private final int end;
        int number;
        int wireType;
        long varint;
        int start;
        int stop;

        Fields(ByteBuffer buf, int from, int to) {
            this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.pos = from;
            this.end = to;
        }

        /** Advances to the next field; false at the end of the message. */
        boolean next() {
            if (pos >= end) {
                return false;
            }
            long key = readVarint();
            number = (int) (key >>> 3);
            wireType = (int) (key & 7);
            switch (wireType) {
                case VARINT -> varint = readVarint();
                case FIXED64 -> skip(8);
                case FIXED32 -> skip(4);
                case LENGTH_DELIMITED -> {
                    long len = readVarint();
                    if (len < 0 || len > end - pos) {
                        throw new Truncated("field " + number + " claims " + len + " bytes but only " + (end - pos)
                                + " remain");
                    }
                    skip((int) len);
                }
                default -> throw new Truncated("wire type " + wireType + " of field " + number + " at byte " + pos
                        + " is not valid protobuf");
            }
            return true;
        }

        private void skip(int n) {
            if (n > end - pos) {
                throw new Truncated("a field needs " + n + " bytes but only " + (end - pos) + " remain");
            }
            start = pos;
            pos += n;
            stop = pos;
        }

        private long readVarint() {
            long r = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new Truncated("the data ends inside a number");
                }
                byte b = buf.get(pos++);
                r |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return r;
                }
            }
            throw new Truncated("a number is longer than 10 bytes");
        }

        /** The current length-delimited field as a UTF-8 string. */
        String string() {
            byte[] b = new byte[stop - start];
            buf.get(start, b);
            return new String(b, StandardCharsets.UTF_8);
        }

        /** A cursor over the current length-delimited field as a sub-message. */
        Fields message() {
            return new Fields(buf, start, stop);
        }

        /** The current field's 4 bytes (fixed32) as a float. */
        float fixed32Float() {
            return buf.getFloat(start);
        }

        /** Varints packed in the current length-delimited field. */
        long[] packedVarints() {
            Fields f = new Fields(buf, start, stop);
            long[] out = new long[stop - start];
            int n = 0;
            while (f.pos < f.end) {
                out[n++] = f.readVarint();
            }
            return java.util.Arrays.copyOf(out, n);
        }
    }
}
