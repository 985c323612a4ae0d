package org.plm4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MeanSdTest {

    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        MeanSd s = MeanSd.of(1, 2, 3, 4);
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3.0), s.sd(), 1e-12);
        assertEquals(4, s.n());
    }

    @Test
    void formatsAsMeanPlusMinusSdWithThreeDecimals() {
        MeanSd s = MeanSd.of(0.801, 0.812, 0.823);
        assertEquals(0.812, s.mean(), 1e-12);
        assertEquals(0.011, s.sd(), 1e-12);
        assertEquals("0.812 ± 0.011", s.toString());
        assertEquals("0.8 ± 0.0", s.format(1));
    }

    @Test
    void oneValueHasZeroSdAndNoValuesAreNotAvailable() {
        assertEquals(new MeanSd(0.7, 0.0, 1), MeanSd.of(0.7));
        assertTrue(Double.isNaN(MeanSd.of().mean()));
        assertEquals("n/a", MeanSd.of().toString());
        assertEquals("n/a", MeanSd.of(0.5, Double.NaN).toString());
    }

    @Test
    void clearDifferenceCountsOnlyWhenTheMeansDifferByMoreThanTheLargerSd() {
        MeanSd base = new MeanSd(0.50, 0.02, 3);
        assertEquals(1, new MeanSd(0.56, 0.05, 3).clearDifference(base));
        assertEquals(-1, base.clearDifference(new MeanSd(0.56, 0.05, 3)));
        assertEquals(0, new MeanSd(0.54, 0.05, 3).clearDifference(base), "within the larger sd");
        assertEquals(0, new MeanSd(0.75, 0.25, 3).clearDifference(new MeanSd(0.5, 0.0, 1)), "exactly at the sd");
        assertEquals(1, MeanSd.of(0.3).clearDifference(MeanSd.of(0.2)), "single values: any difference counts");
        assertEquals(0, MeanSd.of(0.5, Double.NaN).clearDifference(base), "NaN is never a clear difference");
    }
}
