package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plm4j.pca.SeparationTest.assertMessage;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IsotropyTest {

    @Test
    void theEffectiveRankCountsEqualValuesAndIgnoresZerosAndScale() {
        assertEquals(1, Isotropy.effectiveRank(new double[] {5, 0, 0}), 1e-12);
        assertEquals(3, Isotropy.effectiveRank(new double[] {2, 2, 2, 0, 0}), 1e-12);
        assertEquals(Isotropy.effectiveRank(new double[] {4, 2, 1}), Isotropy.effectiveRank(new double[] {400, 100, 200}),
                1e-12);
    }

    @Test
    void theEffectiveRankLiesBetweenOneAndTheNumberOfValues() {
        double e = Isotropy.effectiveRank(new double[] {10, 1, 0.1});
        assertTrue(e > 1 && e < 3, "got " + e);
    }

    @Test
    void theMeanCosineMatchesThePairwiseMean() {
        Random rnd = new Random(7);
        double[][] v = new double[30][5];
        for (double[] row : v) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rnd.nextGaussian() + 2;   // a shared offset: all vectors lean one way
            }
        }
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                double ab = 0;
                double aa = 0;
                double bb = 0;
                for (int c = 0; c < 5; c++) {
                    ab += v[i][c] * v[j][c];
                    aa += v[i][c] * v[i][c];
                    bb += v[j][c] * v[j][c];
                }
                sum += ab / Math.sqrt(aa * bb);
                pairs++;
            }
        }
        double mean = Isotropy.meanCosine(v);
        assertEquals(sum / pairs, mean, 1e-12);
        assertTrue(mean > 0.5, "vectors sharing an offset are anisotropic, got " + mean);
    }

    @Test
    void theMeanCosineIsOneForParallelVectorsAndMinusOneForOpposite() {
        assertEquals(1, Isotropy.meanCosine(new double[][] {{1, 2}, {2, 4}, {0.5, 1}}), 1e-12);
        assertEquals(-1, Isotropy.meanCosine(new double[][] {{1, 2}, {-3, -6}}), 1e-12);
    }

    @Test
    void badInputThrowsIllegalArgumentExceptionNamingTheProblem() {
        assertMessage("values[1] is -1.0", () -> Isotropy.effectiveRank(new double[] {1, -1}));
        assertMessage("the 2 values sum to 0", () -> Isotropy.effectiveRank(new double[] {0, 0}));
        assertMessage("the 0 values sum to 0", () -> Isotropy.effectiveRank(new double[0]));
        assertMessage("values[0] is NaN", () -> Isotropy.effectiveRank(new double[] {Double.NaN}));
        assertMessage("vectors[1] is the zero vector", () -> Isotropy.meanCosine(new double[][] {{1, 0}, {0, 0}}));
        assertMessage("vectors has 1 rows, at least 2", () -> Isotropy.meanCosine(new double[][] {{1, 0}}));
    }
}
