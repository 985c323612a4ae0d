package org.plm4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyAccountantTest {

    private static final String RES = "/org/plm4j/privacy/";

    @TempDir
    Path tmp;

    /** The (q, sigma, steps, delta, epsilon) rows of rdp_fixture.json, written by rdp_reference.py. */
    private static List<double[]> fixture() throws IOException {
        try (InputStream in = Objects.requireNonNull(PrivacyAccountantTest.class.getResourceAsStream(RES + "rdp_fixture.json"))) {
            JsonObject o = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            List<double[]> rows = new ArrayList<>();
            o.getAsJsonArray("rows").forEach(e -> {
                JsonObject r = e.getAsJsonObject();
                rows.add(new double[] {r.get("q").getAsDouble(), r.get("sigma").getAsDouble(), r.get("steps").getAsDouble(),
                    r.get("delta").getAsDouble(), r.get("epsilon").getAsDouble()});
            });
            return rows;
        }
    }

    /** A python3 that imports scipy, or null. */
    private static String pythonWithScipy() {
        for (String py : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import scipy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return py;
                }
            } catch (IOException | InterruptedException e) {
                // try the next interpreter
            }
        }
        return null;
    }

    @Test
    void epsilonMatchesTheIndependentNumpyScipyImplementationToOneInAMillion() throws Exception {
        List<double[]> rows = fixture();
        String py = pythonWithScipy();
        if (py != null) { // recompute the reference live, so the fixture cannot drift from the script
            Path script = tmp.resolve("rdp_reference.py");
            try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(RES + "rdp_reference.py"))) {
                Files.write(script, in.readAllBytes());
            }
            List<String> cmd = new ArrayList<>(List.of(py, script.toString()));
            for (double[] r : rows) {
                for (int i = 0; i < 4; i++) {
                    cmd.add(i == 2 ? Long.toString((long) r[i]) : Double.toString(r[i]));
                }
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, out);
            String[] lines = out.strip().split("\n");
            assertEquals(rows.size(), lines.length, out);
            for (int i = 0; i < lines.length; i++) {
                rows.get(i)[4] = Double.parseDouble(lines[i]);
            }
        }
        for (double[] r : rows) {
            double eps = PrivacyAccountant.epsilon(r[0], r[1], (long) r[2], r[3]);
            assertEquals(r[4], eps, 1e-6 * Math.abs(r[4]),
                    "q=" + r[0] + " sigma=" + r[1] + " steps=" + (long) r[2] + " delta=" + r[3]);
        }
    }

    /**
     * TF-Privacy's tutorials README: "compute_dp_sgd_privacy.py --N=60000 --batch_size=256
     * --noise_multiplier=1.1 --epochs=60 --delta=1e-5" gives "eps = 3.01 and delta = 1e-05"
     * (14063 steps, classic conversion, orders 1.1..10.9 by 0.1 and 12..63).
     */
    @Test
    void reproducesTheTfPrivacyMnistTutorialEpsilonOf301() {
        double q = 256.0 / 60000;
        long steps = (long) Math.ceil(60 * 60000 / 256.0);
        double[] tfOrders = new double[99 + 52];
        for (int x = 1; x < 100; x++) {
            tfOrders[x - 1] = 1 + x / 10.0;
        }
        for (int a = 12; a < 64; a++) {
            tfOrders[99 + a - 12] = a;
        }
        assertEquals(3.01, PrivacyAccountant.epsilon(q, 1.1, steps, 1e-5, tfOrders), 0.005);
        assertEquals(3.01, PrivacyAccountant.epsilon(q, 1.1, steps, 1e-5), 0.005);
    }

    @Test
    void epsilonGrowsWithStepsAndShrinksWithNoise() {
        double q = 0.01;
        double prev = 0;
        for (long steps : new long[] {1, 10, 100, 1000, 10000}) {
            double eps = PrivacyAccountant.epsilon(q, 1.0, steps, 1e-5);
            assertTrue(eps > prev, steps + " steps: " + eps + " <= " + prev);
            prev = eps;
        }
        prev = Double.POSITIVE_INFINITY;
        for (double sigma : new double[] {0.6, 0.8, 1.0, 1.5, 3.0, 10.0}) {
            double eps = PrivacyAccountant.epsilon(q, sigma, 1000, 1e-5);
            assertTrue(eps < prev, "sigma " + sigma + ": " + eps + " >= " + prev);
            prev = eps;
        }
    }

    @Test
    void sigmaInvertsEpsilon() {
        for (double target : new double[] {0.5, 1, 3, 8}) {
            for (double q : new double[] {0.004, 0.05, 1.0}) {
                double sigma = PrivacyAccountant.sigma(q, target, 2000, 1e-5);
                double eps = PrivacyAccountant.epsilon(q, sigma, 2000, 1e-5);
                assertTrue(eps <= target, "epsilon " + eps + " exceeds the target " + target);
                assertEquals(target, eps, 1e-6 * target, "q=" + q + " target=" + target);
                assertTrue(PrivacyAccountant.epsilon(q, sigma * (1 - 1e-6), 2000, 1e-5) > target,
                        "a smaller sigma also reaches the target: not the smallest");
            }
        }
    }

    @Test
    void fullBatchIsTheGaussianMechanismsRdp() {
        // q = 1: rdp(alpha) = alpha / (2 sigma^2), minimised in closed form over the grid
        double best = Double.POSITIVE_INFINITY;
        for (double a : PrivacyAccountant.defaultOrders()) {
            best = Math.min(best, 10 * a / (2 * 4.0) - Math.log(1e-5) / (a - 1));
        }
        assertEquals(best, PrivacyAccountant.epsilon(1.0, 2.0, 10, 1e-5), 1e-12);
    }

    @Test
    void logErfcAgreesWithKnownValuesIncludingTheFarTail() {
        assertEquals(Math.log(1.5729920705028513e-1), PrivacyAccountant.logErfc(1.0), 1e-14);
        assertEquals(Math.log(2.0884875837625447e-45), PrivacyAccountant.logErfc(10.0), 1e-12);
        assertEquals(Math.log(1.8427007929497148), PrivacyAccountant.logErfc(-1.0), 1e-14);
        assertEquals(0.0, PrivacyAccountant.logErfc(0.0), 1e-15);
        // erfc(100) ~ exp(-10000) / (100 sqrt(pi)): far below double range, still finite in log space
        assertEquals(-10000 - Math.log(100 * Math.sqrt(Math.PI)), PrivacyAccountant.logErfc(100), 1e-4);
    }

    @Test
    void badInputNamesTheArgumentAndItsRange() {
        String m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(0, 1, 10, 1e-5)).getMessage();
        assertTrue(m.contains("q must be in (0, 1]") && m.contains("got 0.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(1.5, 1, 10, 1e-5)).getMessage();
        assertTrue(m.contains("q must be in (0, 1]") && m.contains("1.5"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(0.01, 0, 10, 1e-5)).getMessage();
        assertTrue(m.contains("sigma must be a finite number > 0") && m.contains("got 0.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(0.01, -1, 10, 1e-5)).getMessage();
        assertTrue(m.contains("sigma"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(0.01, 1, 10, 1)).getMessage();
        assertTrue(m.contains("delta must be in (0, 1)") && m.contains("got 1.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(0.01, 1, 10, 0)).getMessage();
        assertTrue(m.contains("delta must be in (0, 1)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.epsilon(0.01, 1, 0, 1e-5)).getMessage();
        assertTrue(m.contains("steps must be >= 1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PrivacyAccountant.sigma(0.01, 0, 10, 1e-5)).getMessage();
        assertTrue(m.contains("targetEpsilon must be a finite number > 0"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> PrivacyAccountant.epsilon(0.01, 1, 10, 1e-5, new double[] {0.5})).getMessage();
        assertTrue(m.contains("orders must be finite and > 1, got 0.5"), m);
    }
}
