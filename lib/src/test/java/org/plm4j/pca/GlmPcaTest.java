package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

class GlmPcaTest {

    /**
     * Poisson counts from a known natural-parameter matrix: log mean = intercept + U V' (U
     * centred), no row offsets, so a fit without size factors is the true model.
     */
    record Simulated(double[][] counts, double[][] v) {
    }

    static Simulated simulate(int n, int p, int rank, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] u = new double[n][rank];
        double[][] v = new double[p][rank];
        for (int l = 0; l < rank; l++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                u[i][l] = PcaTest.gauss(rnd);
                mean += u[i][l] / n;
            }
            for (int i = 0; i < n; i++) {
                u[i][l] -= mean;
            }
            for (int j = 0; j < p; j++) {
                v[j][l] = 0.5 * PcaTest.gauss(rnd);
            }
        }
        double[][] y = new double[n][p];
        double[] intercept = new double[p];
        for (int j = 0; j < p; j++) {
            intercept[j] = -0.5 + 0.8 * PcaTest.gauss(rnd);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                double eta = intercept[j];
                for (int l = 0; l < rank; l++) {
                    eta += u[i][l] * v[j][l];
                }
                y[i][j] = poisson(Math.exp(eta), rnd);
            }
        }
        return new Simulated(y, v);
    }

    /** Poisson draw by inversion, in pieces of mean at most 30 (a sum of Poissons is Poisson). */
    static int poisson(double mean, SplittableRandom rnd) {
        int k = 0;
        double left = mean;
        while (left > 0) {
            double piece = Math.min(30, left);
            left -= piece;
            double u = rnd.nextDouble();
            double pk = Math.exp(-piece);
            double cdf = pk;
            int j = 0;
            while (u > cdf && pk > 0) {
                j++;
                pk *= piece / j;
                cdf += pk;
            }
            k += j;
        }
        return k;
    }

    /** Largest principal angle in degrees between the column spaces of a and b (both p x L). */
    static double largestPrincipalAngle(double[][] a, double[][] b) {
        DMatrixRMaj qa = Linalg.orth(new DMatrixRMaj(a));
        DMatrixRMaj qb = Linalg.orth(new DMatrixRMaj(b));
        DMatrixRMaj m = new DMatrixRMaj(qa.numCols, qb.numCols);
        CommonOps_DDRM.multTransA(qa, qb, m);
        double[] s = SingularOps_DDRM.singularValues(m);
        double smallest = 1;
        for (double x : s) {
            smallest = Math.min(smallest, x);
        }
        return Math.toDegrees(Math.acos(Math.min(1, smallest)));
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    @Test
    void recoversARankThreeNaturalParameterSubspaceBetterThanPcaOfLog1pCounts() {
        StringBuilder report = new StringBuilder();
        for (long seed : new long[] {1, 2, 3}) {
            Simulated sim = simulate(300, 120, 3, seed);
            GlmPcaResult glm = GlmPca.fit(sim.counts(), GlmPcaConfig.poisson(3).toBuilder().optSizeFactors(false).build());
            double[][] logs = new double[sim.counts().length][];
            for (int i = 0; i < logs.length; i++) {
                logs[i] = sim.counts()[i].clone();
                for (int j = 0; j < logs[i].length; j++) {
                    logs[i][j] = Math.log1p(logs[i][j]);
                }
            }
            double[][] pcaAxes = transpose(Pca.fit(logs, 3).componentMatrix());
            double glmAngle = largestPrincipalAngle(sim.v(), glm.loadings());
            double pcaAngle = largestPrincipalAngle(sim.v(), pcaAxes);
            report.append(String.format(" seed %d: GLM-PCA %.1f deg (%d iterations), PCA of log1p %.1f deg;", seed,
                    glmAngle, glm.iterations(), pcaAngle));
            assertTrue(glmAngle < pcaAngle, "seed " + seed + ": GLM-PCA's largest principal angle to the true subspace is "
                    + glmAngle + " degrees, PCA of log1p counts' " + pcaAngle);
        }
        System.out.println("GlmPcaTest: largest principal angle to the true rank-3 subspace:" + report);
    }

    @Test
    void devianceNeverIncreasesForPoissonAndNegativeBinomialWithCovariates() {
        Simulated sim = simulate(120, 60, 3, 11);
        double[][] covariates = new double[120][1];
        for (int i = 0; i < 120; i++) {
            covariates[i][0] = i % 2;
        }
        for (GlmPcaConfig config : List.of(GlmPcaConfig.poisson(2), GlmPcaConfig.negativeBinomial(3, 5),
                GlmPcaConfig.poisson(3).toBuilder().optPenalty(0).optSizeFactors(false).build())) {
            GlmPcaResult r = GlmPca.fit(sim.counts(), covariates, config);
            double[] trace = r.devianceTrace();
            assertEquals(r.iterations() + 1, trace.length);
            for (int t = 1; t < trace.length; t++) {
                assertTrue(trace[t] <= trace[t - 1], config.family() + ": deviance rose from " + trace[t - 1] + " to "
                        + trace[t] + " at iteration " + t);
            }
            assertTrue(trace[trace.length - 1] < trace[0] - 1, config.family() + ": deviance only went from "
                    + trace[0] + " to " + trace[trace.length - 1]);
            assertEquals(120, r.factors().length);
            assertEquals(1, r.coefficients()[0].length);
        }
    }

    @Test
    void loadingsAreOrthonormalAndFactorsOrthogonalToTheIntercept() {
        GlmPcaResult r = GlmPca.fit(simulate(100, 40, 3, 5).counts(), GlmPcaConfig.poisson(3));
        double[][] v = r.loadings();
        double[][] f = r.factors();
        for (int a = 0; a < 3; a++) {
            double mean = 0;
            for (double[] row : f) {
                mean += row[a] / f.length;
            }
            assertEquals(0, mean, 1e-8, "factor " + a + " is not centred");
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                double fdot = 0;
                for (double[] row : v) {
                    dot += row[a] * row[b];
                }
                for (double[] row : f) {
                    fdot += row[a] * row[b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-10);
                if (a == b) {
                    assertEquals(r.singularValues()[a] * r.singularValues()[a], fdot, 1e-8 * fdot);
                } else {
                    assertEquals(0, fdot, 1e-8);
                }
            }
        }
        double[] s = r.singularValues();
        assertTrue(s[0] >= s[1] && s[1] >= s[2]);
    }

    @Test
    void theSameSeedGivesTheSameFit() {
        double[][] y = simulate(60, 30, 2, 9).counts();
        GlmPcaResult a = GlmPca.fit(y, GlmPcaConfig.poisson(2));
        GlmPcaResult b = GlmPca.fit(y, GlmPcaConfig.poisson(2));
        assertArrayEquals(a.devianceTrace(), b.devianceTrace());
    }

    @Test
    void negativeOrMissingCountsAreRejectedNamingTheCellAndWhatToDo() {
        double[][] y = simulate(20, 10, 2, 3).counts();
        y[4][7] = -1;
        String m = assertThrows(IllegalArgumentException.class, () -> GlmPca.fit(y, GlmPcaConfig.poisson(2))).getMessage();
        assertTrue(m.contains("row 4, column 7 is -1.0") && m.contains("raw counts"), m);
        y[4][7] = Double.NaN;
        m = assertThrows(IllegalArgumentException.class, () -> GlmPca.fit(y, GlmPcaConfig.poisson(2))).getMessage();
        assertTrue(m.contains("row 4, column 7 is NaN") && m.contains("replace missing values by 0"), m);
        y[4][7] = 1;
        for (double[] row : y) {
            row[2] = 0;
        }
        m = assertThrows(IllegalArgumentException.class, () -> GlmPca.fit(y, GlmPcaConfig.poisson(2))).getMessage();
        assertTrue(m.contains("column 2 has no counts"), m);
        double[][] emptyRow = simulate(20, 10, 2, 3).counts();
        java.util.Arrays.fill(emptyRow[5], 0);
        m = assertThrows(IllegalArgumentException.class, () -> GlmPca.fit(emptyRow, GlmPcaConfig.poisson(2))).getMessage();
        assertTrue(m.contains("row 5 has no counts") && m.contains("optSizeFactors(false)"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> GlmPcaConfig.builder().setFamily(GlmPcaConfig.Family.NEGATIVE_BINOMIAL).optTheta(0).build()).getMessage();
        assertTrue(m.contains("theta must be a finite number > 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GlmPcaConfig.builder().build()).getMessage();
        assertTrue(m.contains("family must be set"), m);
    }

    @Test
    void countMatrixCountsKeptTokensPerDocumentMostFrequentFirst() {
        List<String> texts = List.of("the cat sat on the mat", "the dog sat", "a cat a dog", "zebra");
        Tokenizer tok = TestTokenizers.whitespace(texts);
        CountMatrix cm = CountMatrix.of(Corpus.of("pets", texts), tok, 4, 2);
        assertEquals(List.of("the", "a", "cat", "dog"), cm.terms());
        assertArrayEquals(new double[] {2, 0, 1, 0}, cm.counts()[0]);
        assertArrayEquals(new double[] {0, 2, 1, 1}, cm.counts()[2]);
        assertArrayEquals(new double[] {0, 0, 0, 0}, cm.counts()[3]);
        CountMatrix nonEmpty = cm.withoutEmptyRows();
        assertEquals(3, nonEmpty.documents());
        assertArrayEquals(new int[] {0, 1, 2}, nonEmpty.documentIndex());
        assertTrue(cm.toString().startsWith("CountMatrix[pets: 4 documents x 4 terms"), cm.toString());
        GlmPcaResult r = GlmPca.fit(nonEmpty, GlmPcaConfig.poisson(1));
        assertEquals(List.of("the", "a", "cat", "dog"), r.terms());
        assertTrue(r.toHtml().contains("top_terms"));
    }
}
