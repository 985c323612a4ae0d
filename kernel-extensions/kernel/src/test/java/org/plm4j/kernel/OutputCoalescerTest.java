package org.plm4j.kernel;

import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.junit.jupiter.api.Test;
import org.plm4j.kernel.runner.LocalReplyEnvironment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputCoalescerTest {

    private static String describe(Object m) {
        PublishStream s = (PublishStream) m;
        return (s.getStreamType() == PublishStream.StreamType.ERR ? "err:" : "out:") + s.getText();
    }

    /** Waits up to 2 s for {@code count} messages. */
    private static void awaitMessages(List<Object> sent, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (sent.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void writesThatFollowASendBecomeOneMessagePerStreamRunInOrder() throws InterruptedException {
        List<Object> sent = Collections.synchronizedList(new ArrayList<>());
        try (OutputCoalescer c = new OutputCoalescer(1 << 20, 60_000)) { // no timed send after the first
            c.attach(new LocalReplyEnvironment(sent::add));
            c.append(false, "first\n");
            awaitMessages(sent, 1);
            sent.clear();
            for (int i = 0; i < 10_000; i++) {
                c.append(false, "line " + i + "\n");
            }
            c.append(true, "warn\n");
            c.append(false, "after\n");
            c.detach();
        }
        assertEquals(3, sent.size(), () -> sent.toString());
        assertTrue(describe(sent.get(0)).startsWith("out:line 0\nline 1\n") && describe(sent.get(0)).endsWith("line 9999\n"));
        assertEquals("err:warn\n", describe(sent.get(1)));
        assertEquals("out:after\n", describe(sent.get(2)));
    }

    @Test
    void aWriteAfterAQuietIntervalIsSentAtOnce() throws InterruptedException {
        List<Object> sent = Collections.synchronizedList(new ArrayList<>());
        try (OutputCoalescer c = new OutputCoalescer(1 << 20, 60_000)) {
            c.attach(new LocalReplyEnvironment(sent::add));
            c.append(false, "live\n");
            awaitMessages(sent, 1);
            assertEquals(List.of("out:live\n"), sent.stream().map(OutputCoalescerTest::describe).toList());
        }
    }

    @Test
    void pendingTextIsSentOneIntervalAfterTheLastSendWithoutAFlush() throws InterruptedException {
        List<Object> sent = Collections.synchronizedList(new ArrayList<>());
        try (OutputCoalescer c = new OutputCoalescer(1 << 20, 200)) {
            c.attach(new LocalReplyEnvironment(sent::add));
            c.append(false, "first\n");
            awaitMessages(sent, 1);
            long firstSent = System.nanoTime();
            c.append(false, "second\n");
            awaitMessages(sent, 2);
            long waited = (System.nanoTime() - firstSent) / 1_000_000;
            assertEquals(List.of("out:first\n", "out:second\n"), sent.stream().map(OutputCoalescerTest::describe).toList());
            assertTrue(waited >= 150 && waited < 1500, "second send after " + waited + " ms");
        }
    }

    @Test
    void outputBeyondTheLimitIsDroppedWithOneNoteAndTheNextCellStartsAfresh() {
        List<Object> sent = Collections.synchronizedList(new ArrayList<>());
        try (OutputCoalescer c = new OutputCoalescer(1024 * 1024, 60_000)) {
            c.attach(new LocalReplyEnvironment(sent::add));
            String row = "x".repeat(999) + "\n";
            for (int i = 0; i < 2000; i++) {
                c.append(false, row);
            }
            c.detach();
            String out = sent.stream().map(OutputCoalescerTest::describe).filter(s -> s.startsWith("out:")).map(s -> s.substring(4)).reduce("", String::concat);
            List<String> notes = sent.stream().map(OutputCoalescerTest::describe).filter(s -> s.startsWith("err:")).toList();
            assertEquals(1024 * 1024, out.length());
            assertEquals(1, notes.size(), notes::toString);
            assertTrue(notes.get(0).contains("output truncated after 1 MB"), notes.get(0));

            sent.clear();
            c.attach(new LocalReplyEnvironment(sent::add));
            c.append(false, "fresh\n");
            c.detach();
            c.append(false, "after the cell\n");
            c.flush();
            assertEquals(List.of("out:fresh\n"), sent.stream().map(OutputCoalescerTest::describe).toList());
        }
    }
}
