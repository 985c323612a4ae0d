package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GiniPcaTest {

    /** Angle in degrees between two lines (sign-free). */
    static double angle(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a.length; j++) {
            dot += a[j] * b[j];
            na += a[j] * a[j];
            nb += b[j] * b[j];
        }
        return Math.toDegrees(Math.acos(Math.min(1, Math.abs(dot) / Math.sqrt(na * nb))));
    }

    /**
     * Two orthogonal unit vectors in 8 dimensions whose entries all have the same magnitude (rows
     * of the 8 x 8 Hadamard matrix with random column signs): then every column has the same
     * variance, so standardising the columns (which Gini PCA does) leaves the true axis unchanged.
     */
    static double[][] flatAxes(SplittableRandom rnd) {
        int a = 1 + rnd.nextInt(7);
        int b = 1 + (a + rnd.nextInt(6)) % 7;
        double[][] out = new double[2][8];
        for (int j = 0; j < 8; j++) {
            double sign = rnd.nextBoolean() ? 1 : -1;
            out[0][j] = sign * (Integer.bitCount(a & j) % 2 == 0 ? 1 : -1) / Math.sqrt(8);
            out[1][j] = sign * (Integer.bitCount(b & j) % 2 == 0 ? 1 : -1) / Math.sqrt(8);
        }
        return out;
    }

    /**
     * n rows of 8-dimensional Gaussian data, sd 3 along the true axis and 1 across it; a fraction
     * {@code outliers} of the rows is replaced by gross outliers about 20 sd out along an
     * orthogonal direction.
     */
    static double[][] contaminated(int n, double[][] axes, double outliers, SplittableRandom rnd) {
        double[][] x = new double[n][8];
        for (int i = 0; i < n; i++) {
            double t = 3 * PcaTest.gauss(rnd);
            boolean gross = i < outliers * n;
            double o = gross ? 20 + 2 * PcaTest.gauss(rnd) : 0;
            for (int j = 0; j < 8; j++) {
                x[i][j] = (gross ? 0 : t * axes[0][j]) + o * axes[1][j] + PcaTest.gauss(rnd);
            }
        }
        return x;
    }

    @Test
    void firstGiniComponentIsCloserToTheTrueAxisThanClassicalPcaUnderFivePercentGrossOutliers() {
        int seeds = 10;
        double giniSum = 0;
        double pcaSum = 0;
        StringBuilder report = new StringBuilder();
        for (int s = 0; s < seeds; s++) {
            SplittableRandom rnd = new SplittableRandom(1000 + s);
            double[][] axes = flatAxes(rnd);
            double[] axis = axes[0];
            double[][] x = contaminated(400, axes, 0.05, rnd);
            double gini = angle(axis, GiniPca.fit(x, 1).componentMatrix()[0]);
            double pca = angle(axis, Pca.fit(x, 1).componentMatrix()[0]);
            report.append(String.format(" seed %d: gini %.1f, pca %.1f;", 1000 + s, gini, pca));
            assertTrue(gini < pca, "seed " + (1000 + s) + ": Gini PCA's first axis is " + gini + " degrees off, PCA's "
                    + pca);
            giniSum += gini;
            pcaSum += pca;
        }
        System.out.printf("GiniPcaTest: mean angle to the true axis over %d seeds: Gini %.2f deg, PCA %.2f deg;%s%n",
                seeds, giniSum / seeds, pcaSum / seeds, report);
        assertTrue(giniSum / seeds < 15, "Gini PCA's mean angle is " + giniSum / seeds + " degrees");
    }

    @Test
    void withoutOutliersGiniAndClassicalPcaFindTheSameAxis() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[][] axes = flatAxes(rnd);
        double[] axis = axes[0];
        double[][] x = contaminated(2000, axes, 0, rnd);
        double gini = angle(axis, GiniPca.fit(x, 1).componentMatrix()[0]);
        assertTrue(gini < 3, "angle " + gini);
        assertTrue(angle(Pca.fit(x, 1).componentMatrix()[0], axis) < 3);
    }

    @Test
    void coGiniIsTwiceTheCovarianceWithTheRankForNuTwo() {
        // x = (1, 2, 4), ranks/n = (1/3, 2/3, 1): 2 cov(x, F(x)) = 2 * mean((x - 7/3) * (F - 2/3))
        double[][] x = {{1, 4}, {2, 2}, {4, 1}};
        GiniPcaResult r = GiniPca.fit(x, GiniPcaConfig.builder().optStandardize(false).build());
        double[][] gc = r.coGiniMatrix();
        double expected = 2 * ((1 - 7.0 / 3) * (1.0 / 3 - 2.0 / 3) + 0 + (4 - 7.0 / 3) * (1 - 2.0 / 3)) / 3;
        assertEquals(expected, gc[0][0], 1e-12);
        // column 1 reversed: co-Gini of column 0 with column 1's ranks is minus the diagonal
        assertEquals(-expected, gc[0][1], 1e-12);
        // Gini mean difference = 2 * GC for nu = 2: E|X - X'| over the 3 values with replacement
        double gmd = (1 + 3 + 2) * 2 / 9.0;
        assertEquals(gmd, 2 * gc[0][0], 1e-12);
    }

    @Test
    void axesAreUnitAndProjectionsAreCentredRowsTimesAxes() {
        double[][] x = PcaTest.lowRank(200, 5, new double[] {4, 2, 1}, 0.3, 3);
        GiniPcaResult r = GiniPca.fit(x, 3);
        double[][] axes = r.componentMatrix();
        for (double[] a : axes) {
            double n = 0;
            for (double v : a) {
                n += v * v;
            }
            assertEquals(1, n, 1e-10);
        }
        double[] z = r.transform(new double[][] {r.mean()})[0];
        assertArrayEquals(new double[3], z, 1e-12);
        double[] g = r.giniValues();
        assertTrue(g[0] >= g[1] && g[1] >= g[2]);
        assertTrue(r.toHtml().contains("gini_value"));
        assertTrue(r.toString().startsWith("GiniPcaResult[n=200, d=5, k=3"));
    }

    @Test
    void badInputIsNamed() {
        double[][] nan = {{1, 2}, {Double.NaN, 3}, {4, 5}};
        String m = assertThrows(IllegalArgumentException.class, () -> GiniPca.fit(nan, 1)).getMessage();
        assertTrue(m.contains("row 1") && m.contains("column 0"), m);
        double[][] constant = {{1, 2}, {1, 3}, {1, 5}};
        m = assertThrows(IllegalArgumentException.class, () -> GiniPca.fit(constant, 1)).getMessage();
        assertTrue(m.contains("column 0 is constant"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GiniPca.fit(constant, 3)).getMessage();
        assertTrue(m.contains("k = 3"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GiniPcaConfig.builder().optNu(1).build()).getMessage();
        assertTrue(m.contains("nu must be"), m);
    }
}
