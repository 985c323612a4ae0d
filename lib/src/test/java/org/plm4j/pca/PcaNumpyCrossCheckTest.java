package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live cross-check against numpy ({@code /usr/bin/python3}, skipped when numpy is absent): the
 * explained-variance ratios and singular values of a 300 x 20 matrix with a decaying spectrum
 * match the SVD of the centred matrix to 1e-10, for both methods.
 */
class PcaNumpyCrossCheckTest {

    @TempDir
    Path tmp;

    @Test
    void ratiosMatchNumpySvd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        double[][] x = PcaTest.lowRank(300, 20, new double[] {9, 5, 3, 2, 1, 0.5}, 0.2, 17);
        List<String> lines = new ArrayList<>();
        for (double[] row : x) {
            StringBuilder sb = new StringBuilder();
            for (double v : row) {
                sb.append(sb.length() > 0 ? " " : "").append(Double.toString(v));
            }
            lines.add(sb.toString());
        }
        Files.write(tmp.resolve("x.txt"), lines);
        Files.writeString(tmp.resolve("svd.py"), String.join("\n",
                "import sys, numpy as np",
                "X = np.loadtxt(sys.argv[1] + '/x.txt')",
                "Xc = X - X.mean(0)",
                "s = np.linalg.svd(Xc, compute_uv=False)",
                "ev = s**2 / (len(X) - 1)",
                "print(' '.join(repr(float(v)) for v in s))",
                "print(' '.join(repr(float(v)) for v in ev / ev.sum()))", ""));
        Process p = new ProcessBuilder("/usr/bin/python3", tmp.resolve("svd.py").toString(), tmp.toString())
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(60, TimeUnit.SECONDS);
        assumeTrue(!out.contains("No module named 'numpy'"), "numpy is not installed");
        assertEquals(0, p.exitValue(), out);
        String[] outLines = out.strip().split("\n");
        double[] s = parse(outLines[0]);
        double[] ratio = parse(outLines[1]);
        for (PcaConfig.Method m : new PcaConfig.Method[] {PcaConfig.Method.SVD, PcaConfig.Method.COVARIANCE}) {
            PcaResult r = Pca.fit(x, new PcaConfig(20, m));
            assertArrayEquals(ratio, r.explainedVarianceRatio(), 1e-10, m.toString());
            assertArrayEquals(s, r.singularValues(), 1e-8 * s[0], m.toString());
        }
    }

    private static double[] parse(String line) {
        String[] f = line.trim().split(" ");
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Double.parseDouble(f[i]);
        }
        return v;
    }
}
