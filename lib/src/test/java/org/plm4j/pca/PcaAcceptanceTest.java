package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.plm4j.embed.Embeddings;

/** The acceptance tests of issue 7: known spectra, scikit-learn agreement, solvers, bad input. */
class PcaAcceptanceTest {

    @TempDir
    Path tmp;

    static final double[] SDS = {10, 8, 6, 5, 4, 3};
    static final double NOISE = 0.5;

    @Test
    void knownSpectrumIsRecoveredAndOptimalTruncationFindsTheTrueRank() {
        double[][] x = PcaTest.lowRank(4000, 100, SDS, NOISE, 5);
        PcaResult r = Pca.fit(x, PcaConfig.optimal());
        assertEquals(SDS.length, r.components(), r.toString());
        double[] ev = r.explainedVariance();
        for (int a = 0; a < SDS.length; a++) {
            double truth = SDS[a] * SDS[a] + NOISE * NOISE; // population variance along axis a
            assertEquals(truth, ev[a], 0.07 * truth, "axis " + a);
        }
        double total = Arrays.stream(SDS).map(s -> s * s).sum() + 100 * NOISE * NOISE;
        assertEquals(total, r.totalVariance(), 0.05 * total);
        double seventh = Math.sqrt(r.spectrumRatio()[SDS.length] * r.totalVariance() * (x.length - 1));
        assertTrue(r.threshold() < r.singularValues()[SDS.length - 1] && r.threshold() > seventh,
                "threshold " + r.threshold() + " between the 6th and 7th singular value");
        assertEquals(100, r.spectrumRatio().length);
        // the same through the transposed shape (beta = d / n, not n / d) and from float data
        double[][] wide = PcaTest.lowRank(60, 400, new double[] {20, 15, 10}, NOISE, 6);
        assertEquals(3, Pca.fit(wide, PcaConfig.optimal()).components());
        assertEquals(SDS.length, Pca.fit(toFloat(x), PcaConfig.optimal()).components());
    }

    @Test
    void gavishDonohoOmegaAndThresholdAreSymmetricInTheAspectRatio() {
        assertEquals(2.86, Pca.omega(1.0), 1e-12); // paper: omega(1) ≈ 2.858
        assertEquals(1.43 + 1.82 * 0.1 - 0.95 * 0.01 + 0.56 * 0.001, Pca.omega(0.1), 1e-12);
        double[] s = {9, 5, 3, 2, 1.5, 1, 0.9};
        assertEquals(Pca.optimalThreshold(s, 100, 7), Pca.optimalThreshold(s, 7, 100), 0.0);
        assertEquals(Pca.omega(0.07) * 2, Pca.optimalThreshold(s, 100, 7), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Pca.omega(1.5));
    }

    @Test
    void varianceFractionKeepsTheFewestComponentsReachingIt() {
        double[][] x = PcaTest.lowRank(2000, 40, SDS, NOISE, 8);
        PcaResult r = Pca.fit(x, PcaConfig.keepVariance(0.9));
        double[] cum = r.cumulativeRatio();
        assertTrue(cum[cum.length - 1] >= 0.9, r.toString());
        assertTrue(cum.length == 1 || cum[cum.length - 2] < 0.9, r.toString());
        assertEquals(PcaConfig.keepVariance(0.9), PcaConfig.parse("0.9"));
        assertEquals(PcaConfig.of(10), PcaConfig.parse("10"));
        assertEquals(PcaConfig.optimal(), PcaConfig.parse("optimal"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PcaConfig.parse("lots"));
        assertTrue(e.getMessage().contains("'optimal'"), e.getMessage());
    }

    /** Fixture produced by Debian's scikit-learn (see make_sklearn_fixture.py next to it). */
    @Test
    void exactSolversMatchScikitLearnFixtureTo1e6() throws Exception {
        double[][] x = readMatrix("sklearn_fixture_x.txt");
        double[] ratio = readVector("sklearn_fixture_ratio.txt");
        for (PcaConfig.Method m : new PcaConfig.Method[] {PcaConfig.Method.COVARIANCE, PcaConfig.Method.SVD}) {
            assertArrayEquals(ratio, Pca.fit(x, new PcaConfig(16, m)).explainedVarianceRatio(), 1e-6, m.toString());
        }
        // the constant column (9) carries no weight in any informative component
        double[][] c = Pca.fit(x, PcaConfig.of(5)).componentMatrix();
        for (double[] comp : c) {
            assertEquals(0, comp[9], 1e-9);
        }
    }

    /** Live comparison when Debian's python3-sklearn is installed, including the libtorch GEMM path and float input. */
    @Test
    void exactSolversMatchLiveScikitLearnTo1e6() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        double[][] x = PcaTest.lowRank(20_000, 64, SDS, NOISE, 21); // 20000 * 64^2 multiply-adds: libtorch path
        StringBuilder sb = new StringBuilder();
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j > 0 ? " " : "").append(row[j]);
            }
            sb.append('\n');
        }
        Files.writeString(tmp.resolve("x.txt"), sb);
        Files.writeString(tmp.resolve("ref.py"), String.join("\n",
                "import sys, numpy as np",
                "from sklearn.decomposition import PCA",
                "x = np.loadtxt(sys.argv[1])",
                "print(' '.join(repr(float(v)) for v in PCA(20, svd_solver='full').fit(x).explained_variance_ratio_))",
                ""));
        Process p = new ProcessBuilder("/usr/bin/python3", tmp.resolve("ref.py").toString(),
                tmp.resolve("x.txt").toString()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(120, TimeUnit.SECONDS);
        assumeTrue(!out.contains("No module named"), "scikit-learn is not installed (apt-get install -y python3-sklearn)");
        assertEquals(0, p.exitValue(), out);
        double[] ref = Arrays.stream(out.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertArrayEquals(ref, Pca.fit(x, PcaConfig.of(20).toBuilder().optMethod(PcaConfig.Method.FULL).build()).explainedVarianceRatio(), 1e-6);
        assertArrayEquals(ref, Pca.fit(x, new PcaConfig(20, PcaConfig.Method.SVD)).explainedVarianceRatio(), 1e-6);
        assertArrayEquals(ref, Pca.fit(toFloat(x), PcaConfig.of(20).toBuilder().optMethod(PcaConfig.Method.FULL).build())
                .explainedVarianceRatio(), 1e-6);
    }

    @Test
    void randomizedSubspaceIsWithin1e3RadiansOfExact() {
        // Gram mode (d small relative to the iterations' cost), double and float
        double[][] x = PcaTest.lowRank(6000, 120, new double[] {12, 10, 8, 7, 6, 5, 4, 3, 2.5, 2}, NOISE, 13);
        PcaResult exact = Pca.fit(x, new PcaConfig(10, PcaConfig.Method.COVARIANCE));
        PcaResult rnd = Pca.fit(x, PcaConfig.of(10).toBuilder().optMethod(PcaConfig.Method.RANDOMIZED).build());
        assertTrue(maxAngle(exact.componentMatrix(), rnd.componentMatrix()) < 1e-3);
        assertArrayEquals(exact.explainedVarianceRatio(), rnd.explainedVarianceRatio(), 1e-6);
        PcaResult rf = Pca.fit(toFloat(x), PcaConfig.of(10).toBuilder().optMethod(PcaConfig.Method.RANDOMIZED).build());
        assertTrue(maxAngle(exact.componentMatrix(), rf.componentMatrix()) < 1e-3);
        // Gram mode with subspace iteration on the Gram matrix (SMALL_GRAM < d <= 4 (q + 1) l = 400)
        double[][] g = PcaTest.lowRank(3000, 400, new double[] {12, 10, 8, 7, 6, 5, 4, 3, 2.5, 2}, NOISE, 16);
        PcaResult ge = Pca.fit(g, new PcaConfig(10, PcaConfig.Method.COVARIANCE));
        assertTrue(maxAngle(ge.componentMatrix(), Pca.fit(toFloat(g), PcaConfig.of(10)
                .toBuilder().optMethod(PcaConfig.Method.RANDOMIZED).build()).componentMatrix()) < 1e-3);
        // skinny-GEMM mode (wide matrix: d > 4 (q + 1) l), double and float
        double[][] w = PcaTest.lowRank(1500, 1200, new double[] {12, 10, 8, 6, 5}, NOISE, 14);
        PcaConfig cfg = PcaConfig.of(5).toBuilder().optMethod(PcaConfig.Method.RANDOMIZED).optRandomized(10, 6, 3).build();
        PcaResult we = Pca.fit(w, new PcaConfig(5, PcaConfig.Method.SVD));
        assertTrue(maxAngle(we.componentMatrix(), Pca.fit(w, cfg).componentMatrix()) < 1e-3);
        assertTrue(maxAngle(we.componentMatrix(), Pca.fit(toFloat(w), cfg).componentMatrix()) < 1e-3);
        // seeded: same seed, same result
        assertArrayEquals(rnd.componentMatrix()[3], Pca.fit(x, PcaConfig.of(10).toBuilder().optMethod(PcaConfig.Method.RANDOMIZED).build())
                .componentMatrix()[3], 0.0);
        assertThrows(IllegalArgumentException.class, () -> PcaConfig.optimal().toBuilder().optMethod(PcaConfig.Method.RANDOMIZED).build());
    }

    @Test
    void badInputGivesClearErrors() {
        double[][] x = PcaTest.lowRank(50, 6, new double[] {3, 2}, 0.1, 2);
        x[7][3] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, PcaConfig.of(2)));
        assertTrue(e.getMessage().contains("row 7, column 3 is NaN"), e.getMessage());
        float[][] f = toFloat(PcaTest.lowRank(5000, 6, new double[] {3, 2}, 0.1, 2));
        f[4321][5] = Float.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(f, PcaConfig.of(2)));
        assertTrue(e.getMessage().contains("row 4321, column 5 is -Infinity"), e.getMessage());
        double[][] few = PcaTest.lowRank(4, 10, new double[] {3}, 0.1, 2);
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(few, PcaConfig.of(5)));
        assertTrue(e.getMessage().contains("exceeds the number of rows n = 4"), e.getMessage());
        double[][] ragged = {{1, 2}, {3}, {4, 5}};
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(ragged, PcaConfig.of(1)));
        assertTrue(e.getMessage().contains("row 1 has 1 values"), e.getMessage());
        // a constant column is documented as allowed: zero weight, no error
        double[][] c = PcaTest.lowRank(100, 5, new double[] {3, 2}, 0.1, 4);
        for (double[] row : c) {
            row[2] = 7;
        }
        PcaResult r = Pca.fit(c, PcaConfig.of(5));
        assertEquals(0, r.componentMatrix()[0][2], 1e-12);
        assertEquals(0, r.explainedVarianceRatio()[4], 1e-12);
        double[][] allConstant = {{1, 2}, {1, 2}, {1, 2}};
        assertArrayEquals(new double[] {0, 0}, Pca.fit(allConstant, PcaConfig.of(2)).explainedVarianceRatio(), 0.0);
    }

    @Test
    void incrementalFitEqualsTheBatchFit() {
        double[][] x = PcaTest.lowRank(1000, 30, SDS, NOISE, 9);
        for (int i = 0; i < x.length; i++) {
            x[i][0] += 1000; // large mean: the pairwise merge must stay exact
        }
        List<double[][]> blocks = new ArrayList<>();
        for (int s = 0; s < x.length; s += 37) {
            blocks.add(Arrays.copyOfRange(x, s, Math.min(x.length, s + 37)));
        }
        PcaResult inc = Pca.fitIncremental(blocks.iterator(), PcaConfig.of(8));
        PcaResult batch = Pca.fit(x, new PcaConfig(8, PcaConfig.Method.SVD));
        assertArrayEquals(batch.explainedVarianceRatio(), inc.explainedVarianceRatio(), 1e-10);
        assertArrayEquals(batch.mean(), inc.mean(), 1e-9);
        for (int c = 0; c < 6; c++) {
            assertArrayEquals(batch.componentMatrix()[c], inc.componentMatrix()[c], 1e-8);
        }
        IncrementalPca acc = new IncrementalPca();
        acc.add(blocks.get(0));
        double[][] bad = blocks.get(1).clone();
        bad[2] = bad[2].clone();
        bad[2][4] = Double.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> acc.add(bad));
        assertTrue(e.getMessage().contains("block starting at row 37") && e.getMessage().contains("row 2, column 4"),
                e.getMessage());
    }

    @Test
    void whiteningGivesUnitVarianceAndInvertsExactly() {
        double[][] x = PcaTest.lowRank(3000, 8, new double[] {5, 3, 1}, 0.2, 10);
        PcaResult r = Pca.fit(x, PcaConfig.of(8).toBuilder().optWhiten(true).build());
        double[][] z = r.transform(x);
        for (int c = 0; c < 8; c++) {
            double s = 0;
            for (double[] row : z) {
                s += row[c] * row[c];
            }
            assertEquals(1.0, s / (x.length - 1), 1e-9, "component " + c);
        }
        double[][] back = r.inverseTransform(z);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(x[i], back[i], 1e-9);
        }
    }

    @Test
    void kernelPcaWithALinearKernelEqualsPcaOnBothEigenPaths() {
        for (int n : new int[] {300, 1200}) {
            double[][] x = PcaTest.lowRank(n, 10, new double[] {6, 4, 2}, 0.3, n);
            KernelPcaResult k = KernelPca.fit(x, Kernel.poly(1, 1.0, 0.0), 3);
            double[] s = Pca.fit(x, new PcaConfig(3, PcaConfig.Method.SVD)).singularValues();
            for (int c = 0; c < 3; c++) {
                assertEquals(s[c] * s[c], k.eigenvalues()[c], 1e-7 * s[0] * s[0], "n=" + n + " component " + c);
            }
            double[][] e = k.embedding();
            double[][] t = k.transform(Arrays.copyOf(x, 5));
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(e[i], t[i], 1e-6);
            }
        }
    }

    @Test
    void rbfKernelPcaSeparatesConcentricCircles() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 800;
        double[][] x = new double[n][2];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            double radius = i % 2 == 0 ? 1 : 3;
            double a = rnd.nextDouble() * 2 * Math.PI;
            x[i][0] = radius * Math.cos(a) + 0.1 * (rnd.nextDouble() - 0.5);
            x[i][1] = radius * Math.sin(a) + 0.1 * (rnd.nextDouble() - 0.5);
            labels[i] = radius == 1 ? "inner" : "outer";
        }
        KernelPcaResult k = KernelPca.fit(x, Kernel.rbf(0.5), 2);
        double[][] e = k.embedding();
        double innerMean = 0;
        for (int i = 0; i < n; i += 2) {
            innerMean += e[i][0] / (n / 2.0);
        }
        double outerMean = 0;
        for (int i = 1; i < n; i += 2) {
            outerMean += e[i][0] / (n / 2.0);
        }
        double cut = (innerMean + outerMean) / 2;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            boolean inner = i % 2 == 0;
            correct += ((e[i][0] > cut) == (innerMean > cut)) == inner ? 1 : 0;
        }
        assertTrue(correct > 0.95 * n, "first kernel component separates " + correct + " / " + n);
        assertTrue(k.toHtml().contains("<img"));
        assertEquals(2, k.scatter(labels).getSeriesMap().size());
        assertThrows(IllegalArgumentException.class, () -> KernelPca.fit(x, Kernel.rbf(-1), 2));
    }

    @Test
    void screeChartMarksTheTruncationAndHtmlShowsTableAndChart() {
        double[][] x = PcaTest.lowRank(2000, 40, SDS, NOISE, 12);
        PcaResult r = Pca.fit(x, PcaConfig.optimal());
        CategoryChart scree = r.screeChart();
        assertTrue(scree.getSeriesMap().containsKey("kept (k = 6)"), scree.getSeriesMap().keySet().toString());
        assertTrue(scree.getSeriesMap().containsKey("dropped"));
        assertTrue(scree.getTitle().contains("optimal"));
        String html = r.toHtml();
        assertTrue(html.contains("<table") && html.contains("<img") && html.contains("Gavish-Donoho"), html.substring(0, 300));
    }

    @Test
    void embeddingsFitAndScatterByLabel() {
        double[][] x = PcaTest.lowRank(300, 16, new double[] {4, 3}, 0.2, 15);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            texts.add("t" + i);
            labels.add(i % 3 == 0 ? "a" : "b");
        }
        Embeddings emb = new Embeddings(texts, labels, toFloat(x));
        PcaResult r = Pca.fit(emb, PcaConfig.of(2));
        assertArrayEquals(Pca.fit(x, PcaConfig.of(2)).explainedVarianceRatio(), r.explainedVarianceRatio(), 1e-6);
        assertEquals(2, r.scatter(emb.matrix(), labels.toArray(String[]::new)).getSeriesMap().size());
    }

    // --- helpers ---

    static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            f[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                f[i][j] = (float) x[i][j];
            }
        }
        return f;
    }

    /** Largest principal angle between the row spaces of two matrices with orthonormal rows. */
    static double maxAngle(double[][] a, double[][] b) {
        DMatrixRMaj am = new DMatrixRMaj(a);
        DMatrixRMaj bm = new DMatrixRMaj(b);
        DMatrixRMaj abt = new DMatrixRMaj(a.length, b.length);
        CommonOps_DDRM.multTransB(am, bm, abt);
        DMatrixRMaj proj = new DMatrixRMaj(b.length, a[0].length);
        CommonOps_DDRM.multTransA(abt, am, proj);
        DMatrixRMaj resid = new DMatrixRMaj(b.length, a[0].length);
        CommonOps_DDRM.subtract(bm, proj, resid);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(resid.numRows, resid.numCols,
                false, false, true);
        svd.decompose(resid);
        return Math.asin(Math.min(1, Arrays.stream(svd.getSingularValues()).max().orElse(0)));
    }

    private double[][] readMatrix(String name) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : lines(name)) {
            rows.add(Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray());
        }
        return rows.toArray(double[][]::new);
    }

    private double[] readVector(String name) throws Exception {
        return lines(name).stream().mapToDouble(Double::parseDouble).toArray();
    }

    private List<String> lines(String name) throws Exception {
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }
}
