package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeLinalgTest {

    @Test
    void gramOverWorkersAndBlocksEqualsTheDirectSum() {
        assumeTrue(NativeLinalg.available(), "no system BLAS");
        // 10,007 rows: the workers' ranges and their blocks do not divide evenly
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 10_007;
        int d = 33;
        double[][] x = new double[n][d];
        float[][] f = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = 50 + j + (rnd.nextDouble() - 0.5) * (1 + j % 5);
                f[i][j] = (float) x[i][j];
            }
        }
        double[] expected = directGram(x);
        double scale = expected[0];
        assertClose(expected, NativeLinalg.gram(CentredData.of(x, 1)), 1e-9 * scale, "double, one read");
        CentredData known = CentredData.of(x, 1);
        known.mean();
        assertClose(expected, NativeLinalg.gram(known), 1e-9 * scale, "double, means known");
        double[][] widened = new double[n][];
        for (int i = 0; i < n; i++) {
            widened[i] = new double[d];
            for (int j = 0; j < d; j++) {
                widened[i][j] = f[i][j];
            }
        }
        assertClose(directGram(widened), NativeLinalg.gram(CentredData.of(f, 1)), 1e-4 * scale, "float");
    }

    @Test
    @Order(1) // first, so that no other test can have changed the thread count it checks
    void openBlasRunsSingleThreadedInsideTheWorkersAndItsThreadCountIsRestored() {
        assumeTrue(BlasThreads.controllable(), "the system BLAS is not OpenBLAS");
        int before = BlasThreads.workers();
        assumeTrue(before > 1, "OpenBLAS runs one thread here");
        List<Integer> inside = BlasThreads.each(2, w -> BlasThreads.workers());
        assertEquals(List.of(1, 1), inside, "OpenBLAS threads inside the workers");
        assertEquals(before, BlasThreads.workers(), "thread count after the workers");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlasThreads.each(2, w -> {
            if (w == 1) {
                throw new IllegalArgumentException("row 7 is bad");
            }
            return w;
        }));
        assertEquals("row 7 is bad", e.getMessage());
        assertEquals(before, BlasThreads.workers(), "thread count after a failing worker");
    }

    @Test
    void openBlasThreadsAreControllableWhenOpenBlasIsLoaded() {
        assumeTrue(NativeLinalg.available() && NativeLinalg.describe().contains("libopenblas"), "not OpenBLAS");
        assertTrue(BlasThreads.controllable(), NativeLinalg.describe());
    }

    @Test
    void workersRunAtTheSameTime() {
        assumeTrue(BlasThreads.controllable(), "the system BLAS is not OpenBLAS");
        // each worker waits for the other: only concurrent workers can both pass
        CountDownLatch both = new CountDownLatch(2);
        List<Boolean> met = BlasThreads.each(2, w -> {
            both.countDown();
            try {
                return both.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertEquals(List.of(true, true), met, "the workers ran one after another");
    }

    @Test
    void gramBlocksAreBoundedAndEven() {
        for (int n : new int[] {2, 300, 4097, 10_000, 50_000}) {
            for (int d : new int[] {1, 64, 256, 768, 4096}) {
                for (int bytes : new int[] {4, 8}) {
                    int rows = NativeLinalg.blockRows(n, d, bytes);
                    int blocks = (n + rows - 1) / rows;
                    int cap = Math.max(256, Math.min(4096, (2 << 20) / bytes / d));
                    assertTrue(rows <= cap || rows == n, n + "x" + d + ": " + rows + " rows");
                    assertTrue(n - (blocks - 1) * rows >= rows - blocks, n + "x" + d + ": last block too short");
                }
            }
        }
    }

    /** Upper and lower triangles of the centred Gram matrix, summed row by row in Java. */
    private static double[] directGram(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        double[] g = new double[d * d];
        for (double[] r : x) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    g[a * d + b] += (r[a] - mean[a]) * (r[b] - mean[b]);
                }
            }
        }
        return g;
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + ": entry " + i);
        }
    }
}
