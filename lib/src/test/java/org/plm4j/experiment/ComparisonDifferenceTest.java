package org.plm4j.experiment;

import org.plm4j.record.Metrics;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plm4j.record.RunRecord;

class ComparisonDifferenceTest {

    private static MethodResult method(String name, double... macroF1) {
        List<RunRecord> runs = new java.util.ArrayList<>();
        for (int i = 0; i < macroF1.length; i++) {
            runs.add(new RunRecord(RunRecord.FORMAT_VERSION, Experiment.KIND, "completed",
                    Map.of(Experiment.CONFIG_METHOD, name), i + 1, Map.of(), List.of(), org.plm4j.model.Lineage.EMPTY,
                    Map.of(), Map.of(Metrics.TEST_MACRO_F1, macroF1[i]), null));
        }
        return new MethodResult(name, runs);
    }

    private static String verdictOf(Comparison c, String a, String b) {
        String s = c.difference(a, b, Metrics.TEST_MACRO_F1);
        return s.substring(s.indexOf("-> ") + 3);
    }

    @Test
    void aDifferenceCountsOnlyWhenTheMeansDifferByMoreThanTheLargerSd() {
        Comparison c = Comparison.of(List.of(method("a", 0.50, 0.60, 0.70), method("b", 0.58, 0.60, 0.62),
                method("c", 0.80, 0.81, 0.82)));
        // a: 0.600 ± 0.100, b: 0.600 ± 0.020, c: 0.810 ± 0.010
        assertEquals("a vs b, test_macro_f1: 0.600 ± 0.100 vs 0.600 ± 0.020 -> no clear difference at this scale",
                c.difference("a", "b", Metrics.TEST_MACRO_F1));
        assertEquals("c vs b, test_macro_f1: 0.810 ± 0.010 vs 0.600 ± 0.020 -> higher",
                c.difference("c", "b", Metrics.TEST_MACRO_F1));
        assertTrue(c.difference("b", "c", Metrics.TEST_MACRO_F1).endsWith("-> lower"));
        assertThrows(IllegalArgumentException.class, () -> c.difference("a", "nope", Metrics.TEST_MACRO_F1));
    }

    /**
     * The baseline scores 0.25, 0.5, 0.75 (mean 0.5, sd exactly 0.25); each other method has one run
     * (sd 0), so the threshold is the baseline's sd. All numbers, and the differences of the means,
     * are exact in binary floating point (0.25 - ulp(0.25) rather than nextDown(0.25), whose
     * distance to 0.5 would round back to 0.25).
     */
    @Test
    void beatingTheBaselineFollowsTheSameRuleAsDifferenceOnBothSidesOfTheThreshold() {
        double threshold = 0.75; // baseline mean + baseline sd
        Comparison c = Comparison.of(List.of(method("baseline", 0.25, 0.5, 0.75),
                method("just above", Math.nextUp(threshold)), method("exactly at", threshold),
                method("just below", Math.nextDown(threshold)),
                method("lower exactly at", 0.25), method("lower just beyond", 0.25 - Math.ulp(0.25))))
                .against("baseline");
        assertEquals(0.25, c.method("baseline").sd(Metrics.TEST_MACRO_F1), 0.0);

        assertTrue(c.beatsBaseline("just above"));
        assertFalse(c.beatsBaseline("exactly at"), "a gap equal to the larger sd is inside the noise");
        assertFalse(c.beatsBaseline("just below"));
        assertFalse(c.beatsBaseline("lower just beyond"));

        assertEquals("higher", verdictOf(c, "just above", "baseline"));
        assertEquals("no clear difference at this scale", verdictOf(c, "exactly at", "baseline"));
        assertEquals("no clear difference at this scale", verdictOf(c, "just below", "baseline"));
        assertEquals("no clear difference at this scale", verdictOf(c, "lower exactly at", "baseline"));
        assertEquals("lower", verdictOf(c, "lower just beyond", "baseline"));
        assertEquals("no clear difference at this scale", verdictOf(c, "baseline", "exactly at"));
        assertEquals("lower", verdictOf(c, "baseline", "just above"));

        assertEquals(List.of("(baseline)", "yes", "no", "no", "no", "no"),
                c.table().stringColumn("beats baseline?").asList());
        assertEquals(List.of("exactly at", "just below", "lower exactly at", "lower just beyond"), c.notBeatingBaseline());
        for (String m : c.methods().stream().map(MethodResult::method).toList()) {
            if (m.equals("baseline")) {
                continue;
            }
            assertEquals(verdictOf(c, m, "baseline").equals("higher"), c.beatsBaseline(m), m);
            assertEquals(!c.beatsBaseline(m), c.verdict().contains(m + " ("), m + " in: " + c.verdict());
        }
    }

    @Test
    void theLargerSdCountsWhicheverSideItIsOn() {
        // the method is noisy (0.5 ± 0.25), the baselines are single runs (sd 0)
        double justBelowQuarter = 0.25 - Math.ulp(0.25); // 0.5 - it = 0.25 + ulp(0.25), exact
        Comparison c = Comparison.of(List.of(method("noisy", 0.25, 0.5, 0.75), method("at", 0.25),
                method("beyond", justBelowQuarter)));
        assertEquals("no clear difference at this scale", verdictOf(c, "noisy", "at"));
        assertFalse(c.against("at").beatsBaseline("noisy"));
        assertEquals("higher", verdictOf(c, "noisy", "beyond"));
        assertTrue(c.against("beyond").beatsBaseline("noisy"));
    }

    @Test
    void theVerdictSentenceDoesNotClaimEveryMethodBeatsTheBaselineForAGapInsideTheNoise() {
        // higher mean (0.62 vs 0.60) but the spread over seeds (0.1) is larger than the gap
        Comparison c = Comparison.of(List.of(method("TF-IDF + LR", 0.50, 0.60, 0.70), method("DAPT", 0.52, 0.62, 0.72)))
                .against("TF-IDF + LR");
        assertFalse(c.beatsBaseline("DAPT"));
        assertFalse(c.verdict().startsWith("Every method beats"), c.verdict());
        assertTrue(c.verdict().startsWith("Not clearly better than TF-IDF + LR (mean test macro-F1 0.600): DAPT (0.620)"),
                c.verdict());
        Comparison clear = Comparison.of(List.of(method("TF-IDF + LR", 0.59, 0.60, 0.61), method("DAPT", 0.70, 0.72, 0.74)))
                .against("TF-IDF + LR");
        assertEquals("Every method beats TF-IDF + LR (mean test macro-F1 0.600).", clear.verdict());
    }
}
