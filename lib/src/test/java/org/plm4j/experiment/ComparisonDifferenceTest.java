package org.plm4j.experiment;

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
                    Map.of(Experiment.CONFIG_METHOD, name), i + 1, Map.of(), List.of(), org.plm4j.record.Lineage.EMPTY,
                    Map.of(), Map.of(Experiment.TEST_MACRO_F1, macroF1[i]), null));
        }
        return new MethodResult(name, runs);
    }

    @Test
    void aDifferenceCountsOnlyWhenTheMeansDifferByMoreThanTheLargerSd() {
        Comparison c = Comparison.of(List.of(method("a", 0.50, 0.60, 0.70), method("b", 0.58, 0.60, 0.62),
                method("c", 0.80, 0.81, 0.82)));
        // a: 0.600 ± 0.100, b: 0.600 ± 0.020, c: 0.810 ± 0.010
        assertEquals("a vs b, test.macroF1: 0.600 ± 0.100 vs 0.600 ± 0.020 -> no clear difference at this scale",
                c.difference("a", "b", Experiment.TEST_MACRO_F1));
        assertEquals("c vs b, test.macroF1: 0.810 ± 0.010 vs 0.600 ± 0.020 -> higher",
                c.difference("c", "b", Experiment.TEST_MACRO_F1));
        assertTrue(c.difference("b", "c", Experiment.TEST_MACRO_F1).endsWith("-> lower"));
        assertThrows(IllegalArgumentException.class, () -> c.difference("a", "nope", Experiment.TEST_MACRO_F1));
    }
}
