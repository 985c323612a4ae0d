package org.plm4j.extension.progress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.plm4j.train.Evaluation;
import org.plm4j.train.TrainingOutcome;
import org.plm4j.train.TrainingProgress;

class TrainingProgressDisplayTest {

    /** The final text of a run evaluated at step 200 that ends with {@code outcome}. */
    private static String finalText(TrainingOutcome outcome) {
        List<DisplayData> sent = new ArrayList<>();
        TrainingProgressDisplay d = new TrainingProgressDisplay(
                new ProgressDisplay("pretraining", sent::add, (id, data) -> sent.add(data), () -> 0L));
        d.onStart(300);
        d.onEvaluation(new Evaluation(200, 0, 0, Map.of("heldout_perplexity", 250.0)));
        d.onStep(new TrainingProgress(250, 300, 5.0, 1e-3, 1000, Duration.ofSeconds(20), Duration.ofSeconds(4)));
        d.onEnd(outcome);
        return (String) sent.get(sent.size() - 1).getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void finishedRunShowsTheOutcomeWithoutTheEarlierStepsPerplexity() {
        String text = finalText(new TrainingOutcome("completed", 300, 300, "done: held-out perplexity 4000.00 → 200.00"));
        assertFalse(text.contains("(step 200)"), text);
        assertTrue(text.contains("done: held-out perplexity 4000.00 → 200.00"), text);
    }

    @Test
    void cancelledRunKeepsItsLastEvaluation() {
        String text = finalText(new TrainingOutcome("cancelled", 250, 300, "stopped after 250 of 300 steps"));
        assertTrue(text.contains("held-out ppl 250.00 (step 200)"), text);
    }
}
