package org.plm4j.extension.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class BacktranslateProgressTest {

    @Test
    void showsTextLegsDoneAndTimeLeftThenTheOutcome() {
        List<DisplayData> sent = new ArrayList<>();
        AtomicLong clock = new AtomicLong();
        ProgressDisplay display = new ProgressDisplay("back-translating 100 texts through spa", sent::add,
                (id, d) -> sent.add(d), clock::get);
        BacktranslateProgress p = new BacktranslateProgress(display, "texts × legs", clock::get);
        clock.addAndGet(2_000_000_000L);
        p.onProgress(50, 200);
        p.finish("done: 97 paraphrases kept");
        String first = (String) sent.get(0).getData(MIMEType.TEXT_PLAIN);
        assertTrue(first.contains("50/200") && first.contains("texts × legs"), first);
        assertTrue(first.contains("0:02 elapsed") && first.contains("0:06 left"), first);
        String last = (String) sent.get(sent.size() - 1).getData(MIMEType.TEXT_PLAIN);
        assertTrue(last.contains("done: 97 paraphrases kept"), last);
        assertEquals(2, sent.size());
    }
}
