package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

class PcaTest {

    /** Fixed 10 x 4 matrix; expected values below come from numpy (see {@link #numpyReference}). */
    static final double[][] X = {
        {2.5, 2.4, 0.5, 1.0}, {0.5, 0.7, -1.2, 3.1}, {2.2, 2.9, 0.3, -0.7}, {1.9, 2.2, 1.8, 0.2},
        {3.1, 3.0, -0.4, 1.5}, {2.3, 2.7, 0.9, -1.1}, {2.0, 1.6, 2.2, 0.4}, {1.0, 1.1, -0.8, 2.6},
        {1.5, 1.6, 0.1, 0.0}, {1.1, 0.9, 1.3, -0.5}};

    /**
     * Produced once with Debian's numpy ({@code /usr/bin/python3}):
     * {@code Xc = X - X.mean(0); U, s, Vt = np.linalg.svd(Xc, full_matrices=False)}; signs flipped
     * so each row of Vt has its largest-|.| entry positive; {@code ev = s**2/(n-1); r = ev/ev.sum()}.
     */
    static final double[] NUMPY_S = {5.209114158772403, 3.0339107050623637, 1.9745205176551723, 0.5155426654930119};
    static final double[] NUMPY_RATIO = {0.6699306320146925, 0.22725197921913898, 0.09625546303183015,
        0.00656192573433832};
    static final double[][] NUMPY_VT = {
        {-0.2646976908156359, -0.2854187078804029, -0.5136585627552074, 0.7646085106621598},
        {0.5788316497310795, 0.6678842074608484, -0.44227040567153086, 0.15258274791447057},
        {0.33418119661607604, 0.0439553697262685, 0.7150427787131516, 0.6124578988882825},
        {0.6951345061027503, -0.6859553717906892, -0.1710718965393484, -0.1303366891984499}};

    @ParameterizedTest
    @EnumSource(value = PcaConfig.Method.class)
    void numpyReference(PcaConfig.Method method) {
        PcaResult r = Pca.fit(X, new PcaConfig(4, method));
        assertArrayEquals(NUMPY_S, r.singularValues(), 1e-9);
        assertArrayEquals(NUMPY_RATIO, r.explainedVarianceRatio(), 1e-9);
        double[][] c = r.componentMatrix();
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(NUMPY_VT[i], c[i], 1e-8, "component " + i);
        }
    }

    /** n x d data = low-rank signal with known per-axis variances + small isotropic noise. */
    static double[][] lowRank(int n, int d, double[] sds, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        // orthonormal axes: random Gaussian vectors, Gram-Schmidt
        double[][] axes = new double[sds.length][d];
        for (int a = 0; a < sds.length; a++) {
            for (int j = 0; j < d; j++) {
                axes[a][j] = gauss(rnd);
            }
            for (int b = 0; b < a; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += axes[a][j] * axes[b][j];
                }
                for (int j = 0; j < d; j++) {
                    axes[a][j] -= dot * axes[b][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += axes[a][j] * axes[a][j];
            }
            for (int j = 0; j < d; j++) {
                axes[a][j] /= Math.sqrt(norm);
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < sds.length; a++) {
                double z = gauss(rnd) * sds[a];
                for (int j = 0; j < d; j++) {
                    x[i][j] += z * axes[a][j];
                }
            }
            for (int j = 0; j < d; j++) {
                x[i][j] += noise * gauss(rnd) + 3.0;
            }
        }
        return x;
    }

    static double gauss(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void lowRankSpectrumIsRecovered() {
        double[] sds = {5, 3, 1};
        double[][] x = lowRank(20_000, 20, sds, 0.05, 11);
        for (PcaConfig.Method m : PcaConfig.Method.values()) {
            PcaResult r = Pca.fit(x, new PcaConfig(3, m));
            double[] ev = r.explainedVariance();
            for (int a = 0; a < 3; a++) {
                assertEquals(sds[a] * sds[a], ev[a], 0.05 * sds[a] * sds[a], m + " axis " + a);
            }
            double expectedTotal = 25 + 9 + 1 + 20 * 0.05 * 0.05;
            assertEquals(expectedTotal, r.totalVariance(), 0.05 * expectedTotal);
            assertTrue(r.cumulativeRatio()[2] > 0.99, r.toString());
        }
        assertEquals(PcaConfig.Method.COVARIANCE, Pca.fit(x, PcaConfig.of(2)).method());
    }

    @Test
    void covarianceAndSvdAgreeToHighPrecision() {
        double[][] x = lowRank(500, 30, new double[] {4, 2, 1, 0.5}, 0.1, 3);
        PcaResult a = Pca.fit(x, new PcaConfig(10, PcaConfig.Method.COVARIANCE));
        PcaResult b = Pca.fit(x, new PcaConfig(10, PcaConfig.Method.SVD));
        assertArrayEquals(b.explainedVarianceRatio(), a.explainedVarianceRatio(), 1e-10);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(b.componentMatrix()[i], a.componentMatrix()[i], 1e-8);
        }
    }

    @Test
    void fullRankTransformRoundTrips() {
        double[][] x = lowRank(50, 6, new double[] {3, 2, 1}, 0.5, 5);
        PcaResult r = Pca.fit(x, PcaConfig.of(6));
        double[][] back = r.inverseTransform(r.transform(x));
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(x[i], back[i], 1e-9);
        }
        double sum = 0;
        for (double v : r.explainedVarianceRatio()) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-12);
        float[][] f = new float[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                f[i][j] = (float) x[i][j];
            }
        }
        assertArrayEquals(r.explainedVarianceRatio(), Pca.fit(f, PcaConfig.of(6)).explainedVarianceRatio(), 1e-5);
    }

    @Test
    void invalidInputsGiveClearErrors() {
        double[][] bad = {{1, 2}, {3, Double.NaN}, {4, 5}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(bad, PcaConfig.of(1)));
        assertTrue(e.getMessage().contains("row 1, column 1") && e.getMessage().contains("NaN"), e.getMessage());
        double[][] inf = {{1, Double.POSITIVE_INFINITY}, {3, 4}};
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(inf, PcaConfig.of(1)));
        assertTrue(e.getMessage().contains("row 0, column 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(X, PcaConfig.of(5)));
        assertTrue(e.getMessage().contains("k = 5") && e.getMessage().contains("d = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2, 3}, {4, 5, 6}}, PcaConfig.of(3)));
        assertTrue(e.getMessage().contains("n = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}, {3}}, PcaConfig.of(1)));
        assertThrows(IllegalArgumentException.class, () -> PcaConfig.of(0));
    }

    @Test
    void constantColumnHasZeroVariance() {
        double[][] x = new double[20][3];
        SplittableRandom r = new SplittableRandom(2);
        for (double[] row : x) {
            row[0] = r.nextDouble();
            row[1] = 7.0;
            row[2] = r.nextDouble() * 2;
        }
        PcaResult p = Pca.fit(x, PcaConfig.of(3));
        assertEquals(0.0, p.explainedVariance()[2], 1e-12);
        assertEquals(1.0, p.cumulativeRatio()[2], 1e-12);
        double[][] constant = {{1, 1}, {1, 1}, {1, 1}};
        assertArrayEquals(new double[] {0, 0}, Pca.fit(constant, PcaConfig.of(2)).explainedVarianceRatio(), 0);
    }

    @Test
    void tableAndChartsRender() {
        PcaResult r = Pca.fit(X, PcaConfig.of(3));
        Table t = r.toTable();
        assertEquals(3, t.rowCount());
        assertEquals(NUMPY_RATIO[0], t.doubleColumn("ratio").get(0), 1e-9);
        assertEquals(NUMPY_RATIO[0] + NUMPY_RATIO[1], t.doubleColumn("cumulative").get(1), 1e-9);
        CategoryChart scree = r.screeChart();
        BufferedImage img = BitmapEncoder.getBufferedImage(scree);
        assertTrue(img.getWidth() > 0);
        // 20 labels: 11 kept + "other (9 labels)"
        double[][] x = lowRank(400, 5, new double[] {3, 2}, 0.1, 9);
        String[] labels = new String[400];
        for (int i = 0; i < 400; i++) {
            labels[i] = "L" + (i % 20 < 11 ? i % 20 : 11 + (i % 9));
        }
        XYChart sc = Pca.fit(x, PcaConfig.of(2)).scatter(x, labels);
        assertEquals(PcaCharts.MAX_SERIES, sc.getSeriesMap().size());
        assertTrue(sc.getSeriesMap().keySet().stream().anyMatch(k -> k.startsWith("other (9 labels)")),
                sc.getSeriesMap().keySet().toString());
        assertTrue(BitmapEncoder.getBufferedImage(sc).getHeight() > 0);
        assertTrue(r.toString().length() < 300);
    }

    @Test
    void embeddingSizedInputIsFast() {
        SplittableRandom rnd = new SplittableRandom(1);
        int n = 20_000;
        int d = 256;
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (gauss(rnd) * (1 + j % 7));
            }
        }
        long t0 = System.nanoTime();
        PcaResult r = Pca.fit(x, PcaConfig.of(50));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("PCA %d x %d, k=50 (%s): %.2f s%n", n, d, r.method(), secs);
        assertTrue(secs < 10, "took " + secs + " s");
    }

    @Test
    void floatDataOverManyBlocksMatchesTheSameDataInDouble() {
        // 30,000 rows: several Gram blocks of float32 products; a mean far from 0 and a spectrum
        // spanning three decades, so both centring and the small components are exercised
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 30_000;
        int d = 64;
        float[][] f = new float[n][d];
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                f[i][j] = (float) (100 + j + gauss(rnd) * 30.0 / (1 + j));
                x[i][j] = f[i][j];
            }
        }
        for (PcaConfig.Method m : new PcaConfig.Method[] {PcaConfig.Method.COVARIANCE, PcaConfig.Method.RANDOMIZED}) {
            PcaConfig config = PcaConfig.of(8).toBuilder().optMethod(m).build();
            PcaResult single = Pca.fit(f, config);
            PcaResult dbl = Pca.fit(x, config);
            double[] rs = single.explainedVarianceRatio();
            double[] rd = dbl.explainedVarianceRatio();
            for (int c = 0; c < rs.length; c++) {
                assertEquals(rd[c], rs[c], 1e-6 * rd[c], m + " component " + c);
            }
            double angle = Subspaces.maxAngleDegrees(single.componentMatrix(), dbl.componentMatrix());
            assertTrue(angle < 1e-3, m + ": float and double fits differ by " + angle + " degrees");
        }
    }

    @Test
    void dataFarFromTheOriginGivesTheSameFitAsCentredData() {
        // the native Gram pass reads double rows once, shifted: a mean of 1e6 over a spread of ~1
        // must cost no accuracy (without the shift the subtraction would lose about 12 digits)
        double[][] centred = lowRank(20_000, 128, new double[] {5, 3, 2, 1}, 0.1, 11);
        double[][] far = new double[centred.length][];
        for (int i = 0; i < centred.length; i++) {
            far[i] = centred[i].clone();
            for (int j = 0; j < far[i].length; j++) {
                far[i][j] += 1e6 * (1 + j % 3);
            }
        }
        PcaConfig config = PcaConfig.of(6).toBuilder().optMethod(PcaConfig.Method.COVARIANCE).build();
        PcaResult a = Pca.fit(far, config);
        PcaResult b = Pca.fit(centred, config);
        for (int c = 0; c < 6; c++) {
            assertEquals(b.explainedVarianceRatio()[c], a.explainedVarianceRatio()[c], 1e-9 * b.explainedVarianceRatio()[c]);
        }
        assertTrue(Subspaces.maxAngleDegrees(a.componentMatrix(), b.componentMatrix()) < 1e-6);
        assertEquals(1e6 + centredMean(centred, 0), a.mean()[0], 1e-6);
    }

    @Test
    void badCellsInALargeMatrixAreNamed() {
        // large enough for the native Gram pass, which validates while it copies
        double[][] x = lowRank(5_000, 64, new double[] {2, 1}, 0.1, 12);
        x[3210][17] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, PcaConfig.of(3)));
        assertTrue(e.getMessage().contains("row 3210, column 17") && e.getMessage().contains("NaN"), e.getMessage());
        x[3210][17] = 0;
        x[4321] = new double[63];
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, PcaConfig.of(3)));
        assertTrue(e.getMessage().contains("row 4321 has 63 values, expected 64"), e.getMessage());
    }

    private static double centredMean(double[][] x, int j) {
        double s = 0;
        for (double[] r : x) {
            s += r[j];
        }
        return s / x.length;
    }
}
