package org.plm4j.extension.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

    private final List<DisplayData> shown = new ArrayList<>();
    private final List<String> updatedIds = new ArrayList<>();
    private final List<DisplayData> updates = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    private ProgressDisplay display() {
        return new ProgressDisplay("pretrain", shown::add, (id, d) -> {
            updatedIds.add(id);
            updates.add(d);
        }, clock::get);
    }

    private static Progress at(long step) {
        return new Progress(step, 300, 5.0 - step / 100.0, 2345, step / 10.0, (300 - step) / 10.0, "");
    }

    @Test
    void showsOnceThenUpdatesTheSameDisplayInPlace() {
        ProgressDisplay d = display();
        d.update(at(1));
        clock.addAndGet(ProgressDisplay.MIN_INTERVAL_NANOS);
        d.update(at(2));
        d.finish("done");
        assertEquals(1, shown.size());
        assertEquals(2, updates.size());
        assertTrue(updatedIds.stream().allMatch(d.displayId()::equals));
        assertEquals(d.displayId(), shown.get(0).getDisplayId());
    }

    @Test
    void throttlesUpdatesButAlwaysSendsTheFinalState() {
        ProgressDisplay d = display();
        for (int step = 1; step <= 300; step++) {
            clock.addAndGet(1_000_000L); // 1 ms per step
            d.update(at(step));
        }
        d.finish("done");
        // 300 ms of steps at 250 ms spacing: the first display, one throttled update, the final one
        assertEquals(1, shown.size());
        assertEquals(2, updates.size());
        String last = (String) updates.get(updates.size() - 1).getData(MIMEType.TEXT_PLAIN);
        assertTrue(last.contains("300/300"), last);
        assertTrue(last.contains("done"), last);
    }

    @Test
    void textShowsStepLossThroughputAndTimeLeft() {
        String text = ProgressDisplay.text("pretrain", new Progress(120, 300, 5.12345, 2345.4, 42, 63, "ppl 210.3"), null);
        assertTrue(text.contains("120/300"), text);
        assertTrue(text.contains("loss 5.1235"), text);
        assertTrue(text.contains("2,345 tok/s"), text);
        assertTrue(text.contains("1:03 left"), text);
        assertTrue(text.contains("ppl 210.3"), text);
        assertEquals("1:01:01", ProgressDisplay.duration(3661));
    }

    @Test
    void htmlWrapsBetweenItemsNeverInsideOneAndPutsTheOutcomeOnItsOwnLine() {
        String html = ProgressDisplay.html("pretraining", new Progress(300, 300, 5.1, 2345, 42, 0, "held-out ppl 210.30 (step 300)"),
                "done: held-out perplexity 4000.00 → 210.30");
        assertTrue(html.contains("<span style=\"white-space:nowrap\">held-out ppl 210.30 (step 300)</span>"), html);
        assertTrue(html.contains("<span style=\"white-space:nowrap\">loss 5.1000</span>"), html);
        assertTrue(html.contains("<div><i>done: held-out perplexity 4000.00 → 210.30</i></div>"), html);
    }

    @Test
    void htmlEscapesTheTitle() {
        String html = ProgressDisplay.html("<b>x</b>", at(3), null);
        assertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;"), html);
        assertTrue(html.contains("<progress"), html);
    }
}
