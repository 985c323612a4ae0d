package org.plm4j.kernel.channels;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusalLogTest {

    @Test
    void aFloodOfRefusalsIsSummarisedAfterTwentyLinesAMinute() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(1_000_000);
        RefusalLog log = new RefusalLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        for (int i = 0; i < 25; i++) {
            log.refused("shell", "reason " + i);
        }
        now.addAndGet(60_000);
        log.refused("control", "later");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(22, lines.length, String.join("\n", lines));
        assertEquals("plm4j kernel: refused a message on the shell channel: reason 0; it was not executed and gets no reply", lines[0]);
        assertTrue(lines[20].contains("5 more message(s) refused in the last minute"), lines[20]);
        assertTrue(lines[21].contains("control channel: later"), lines[21]);
    }
}
