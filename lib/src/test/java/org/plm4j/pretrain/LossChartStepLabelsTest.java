package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LossChartStepLabelsTest {

    private static List<String> shown(int lastStep) {
        Function<Double, String> labels = PretrainResult.stepLabels(lastStep);
        return IntStream.rangeClosed(0, lastStep).mapToObj(s -> labels.apply((double) s)).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void labelsOnlyRoundStepsAtMostAboutEight() {
        assertEquals(List.of("0", "5", "10", "15", "20"), shown(20));
        assertEquals(List.of("0", "50", "100", "150", "200", "250", "300"), shown(300));
        assertEquals(List.of("0", "200", "400", "600", "800", "1,000", "1,200", "1,400"), shown(1500));
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6"), shown(6));
    }
}
