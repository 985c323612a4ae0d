package org.plm4j.bench.pca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.plm4j.bench.Benchmark;
import org.plm4j.pca.Pca;
import org.plm4j.pca.PcaConfig;
import org.plm4j.pca.PcaResult;

/**
 * {@code ./plm4j bench pca [--repeats R] [--all]}: plm4j's {@link Pca} against scikit-learn's
 * {@code PCA} on the same matrices, 50 components: 20,000 &times; 256 float64 (full solvers) and
 * 100,000 &times; 768 float32 (randomized solvers); {@code --all} adds the other solver for each
 * matrix. The matrices (rank-50 signal with singular values decaying from 10 to 1 per unit row, plus
 * isotropic noise of standard deviation 0.5, from fixed {@link SplittableRandom} seeds) are written
 * once to raw little-endian files under {@code bench/target/pca-data/} that both sides read. Case
 * by case (so both sides see the same load on a shared machine), scikit-learn fits once to warm up
 * and plm4j twice (JIT of the EJML solvers), then each {@code R} times (default 5); the medians are
 * compared. Checks
 * printed: max |ratio difference| against scikit-learn (exact), largest principal angle against
 * plm4j's exact fit for both randomized fits. Returns the worst ratio sklearn time / plm4j time.
 */
public final class PcaBenchmark implements Benchmark {

    static final int K = 50;
    static final int SIGNAL_RANK = 50;
    static final double NOISE = 0.5;

    record Case(String name, int rows, int cols, boolean single, PcaConfig.Method method, String sklearnSolver) {
        String file() {
            return "pca-" + rows + "x" + cols + "-" + (single ? "float32" : "float64") + ".bin";
        }
    }

    @Override
    public String name() {
        return "pca";
    }

    @Override
    public String description() {
        return "PCA, 50 components: 20000x256 f64 (full) and 100000x768 f32 (randomized) vs scikit-learn PCA";
    }

    @Override
    public double run(String[] args) throws Exception {
        int repeats = 5;
        boolean all = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--all" -> all = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --repeats R, --all");
            }
        }
        List<Case> cases = new ArrayList<>(List.of(
                new Case("20000x256-f64-full", 20_000, 256, false, PcaConfig.Method.FULL, "full"),
                new Case("100000x768-f32-randomized", 100_000, 768, true, PcaConfig.Method.RANDOMIZED, "randomized")));
        if (all) {
            cases.add(new Case("20000x256-f64-randomized", 20_000, 256, false, PcaConfig.Method.RANDOMIZED, "randomized"));
            cases.add(new Case("100000x768-f32-full", 100_000, 768, true, PcaConfig.Method.FULL, "full"));
        }
        Path root = projectRoot();
        Path dir = root.resolve("bench/target/pca-data");
        Files.createDirectories(dir);
        for (Case c : cases) {
            ensureData(dir.resolve(c.file()), c.rows, c.cols, c.single, c.rows * 31L + c.cols);
        }

        double worst = Double.POSITIVE_INFINITY;
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-28s %10s %10s %8s  %s", "case", "sklearn s", "plm4j s", "speedup", "check"));
        Path script = root.resolve("bench/src/main/python/pca_reference.py");
        for (Case c : cases) {
            // scikit-learn, then plm4j, case by case so both see the same load on a shared machine
            double theirs = sklearn(script, dir, c, repeats);
            Path file = dir.resolve(c.file());
            Object data = c.single ? readFloat(file, c.rows, c.cols) : readDouble(file, c.rows, c.cols);
            PcaConfig config = PcaConfig.of(K).toBuilder().optMethod(c.method).build();
            PcaResult r = null;
            double[] times = new double[repeats];
            for (int i = -2; i < repeats; i++) { // two warm-up fits: JIT of the EJML solvers
                long t0 = System.nanoTime();
                r = data instanceof float[][] f ? Pca.fit(f, config) : Pca.fit((double[][]) data, config);
                if (i >= 0) {
                    times[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
            Arrays.sort(times);
            double ours = times[repeats / 2];
            double speedup = theirs / ours;
            worst = Math.min(worst, speedup);
            double[] skRatio = readRaw(dir.resolve(c.name + ".ratio"));
            double[][] skComp = toRows(readRaw(dir.resolve(c.name + ".components")), K, c.cols);
            String check;
            if (c.method == PcaConfig.Method.FULL) {
                double diff = maxAbsDiff(r.explainedVarianceRatio(), skRatio);
                check = String.format(Locale.ROOT, "max |ratio - sklearn| = %.2e (%s 1e-6), angle vs sklearn %.2e",
                        diff, diff <= 1e-6 ? "PASS <=" : "FAIL >", maxAngle(r.componentMatrix(), skComp));
            } else {
                PcaResult exact = data instanceof float[][] f ? Pca.fit(f, PcaConfig.of(K).toBuilder().optMethod(PcaConfig.Method.FULL).build())
                        : Pca.fit((double[][]) data, PcaConfig.of(K).toBuilder().optMethod(PcaConfig.Method.FULL).build());
                double ourAngle = maxAngle(r.componentMatrix(), exact.componentMatrix());
                double skAngle = maxAngle(skComp, exact.componentMatrix());
                check = String.format(Locale.ROOT, "max angle vs exact: plm4j %.2e (%s 1e-3), sklearn %.2e; "
                        + "max |ratio - exact| plm4j %.1e, sklearn %.1e", ourAngle, ourAngle < 1e-3 ? "PASS <" : "FAIL >=",
                        skAngle, maxAbsDiff(r.explainedVarianceRatio(), exact.explainedVarianceRatio()),
                        maxAbsDiff(skRatio, exact.explainedVarianceRatio()));
            }
            rows.add(String.format(Locale.ROOT, "%-28s %10.3f %10.3f %7.2fx  %s", c.name, theirs, ours, speedup, check));
            System.out.println(rows.get(rows.size() - 1));
        }
        System.out.println();
        rows.forEach(System.out::println);
        return worst;
    }

    /** Runs the reference for one case in /usr/bin/python3 without the two OpenBLAS overrides; returns its median time. */
    static double sklearn(Path script, Path dir, Case c, int repeats) throws Exception {
        List<String> cmd = List.of("/usr/bin/python3", script.toString(), dir.toString(), Integer.toString(repeats),
                String.join(":", c.name, dir.resolve(c.file()).toString(), Integer.toString(c.rows),
                        Integer.toString(c.cols), c.single ? "float32" : "float64", c.sklearnSolver, Integer.toString(K)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("the scikit-learn reference failed (exit " + rc + "); it needs Debian's "
                    + "python3-sklearn: apt-get install -y python3-sklearn\n" + out);
        }
        out.lines().filter(l -> !l.startsWith("time ")).forEach(l -> System.out.println("  " + l));
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals("time") && f[1].equals(c.name)) {
                return Double.parseDouble(f[2]);
            }
        }
        throw new IllegalStateException("no time line for " + c.name + " in the reference's output:\n" + out);
    }

    /** The checkout: {@code -Dplm4j.root}, else four levels above bench/target/dist/lib/plm4j-bench.jar. */
    static Path projectRoot() throws Exception {
        String prop = System.getProperty("plm4j.root");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath();
        }
        Path here = Path.of(PcaBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("bench/src/main/python/pca_reference.py"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the plm4j checkout from " + here + "; pass -Dplm4j.root=DIR");
    }

    /** Largest principal angle (radians) between the row spaces of two k x d matrices with orthonormal rows. */
    static double maxAngle(double[][] a, double[][] b) {
        int k = a.length;
        int d = a[0].length;
        DMatrixRMaj am = new DMatrixRMaj(a);
        DMatrixRMaj bm = new DMatrixRMaj(b);
        DMatrixRMaj abt = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransB(am, bm, abt);
        DMatrixRMaj proj = new DMatrixRMaj(k, d);
        CommonOps_DDRM.multTransA(abt, am, proj); // rows: projections of b's rows onto span(a)
        DMatrixRMaj resid = new DMatrixRMaj(k, d);
        CommonOps_DDRM.subtract(bm, proj, resid);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, d, false, false, true);
        svd.decompose(resid);
        double max = 0;
        for (double s : svd.getSingularValues()) {
            max = Math.max(max, s);
        }
        return Math.asin(Math.min(1, max));
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return a.length == b.length ? m : Double.POSITIVE_INFINITY;
    }

    /**
     * Writes the benchmark matrix unless a file of the right size exists: row i is
     * {@code sum_r z_ir s_r v_r + NOISE e_i} with s_r decaying geometrically from 10 to 1, v_r
     * Gaussian directions scaled to unit expected norm, z and e standard normal; each row draws
     * from its own {@code SplittableRandom(seed ^ row * golden)} so generation is parallel and
     * deterministic.
     */
    static void ensureData(Path file, int n, int d, boolean single, long seed) throws IOException {
        long bytes = (long) n * d * (single ? 4 : 8);
        if (Files.exists(file) && Files.size(file) == bytes) {
            return;
        }
        System.out.println("writing " + file + " (" + bytes / (1 << 20) + " MiB)");
        SplittableRandom base = new SplittableRandom(seed);
        double[][] v = new double[SIGNAL_RANK][d];
        double[] s = new double[SIGNAL_RANK];
        for (int r = 0; r < SIGNAL_RANK; r++) {
            s[r] = 10 * Math.pow(0.1, r / (double) (SIGNAL_RANK - 1));
            for (int j = 0; j < d; j++) {
                v[r][j] = gauss(base) / Math.sqrt(d) * s[r];
            }
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom rnd = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
            double[] row = new double[d];
            for (int r = 0; r < SIGNAL_RANK; r++) {
                double z = gauss(rnd);
                for (int j = 0; j < d; j++) {
                    row[j] += z * v[r][j];
                }
            }
            for (int j = 0; j < d; j++) {
                double x = row[j] + NOISE * gauss(rnd);
                if (single) {
                    buf.putFloat((int) (((long) i * d + j) * 4), (float) x);
                } else {
                    buf.putDouble((int) (((long) i * d + j) * 8), x);
                }
            }
        });
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private static double gauss(SplittableRandom r) {
        double u = r.nextDouble();
        double w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static float[][] readFloat(Path file, int n, int d) throws IOException {
        var fb = map(file).asFloatBuffer();
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            fb.get(i * d, x[i]);
        }
        return x;
    }

    static double[][] readDouble(Path file, int n, int d) throws IOException {
        var db = map(file).asDoubleBuffer();
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            db.get(i * d, x[i]);
        }
        return x;
    }

    static double[] readRaw(Path file) throws IOException {
        var db = map(file).asDoubleBuffer();
        double[] x = new double[db.remaining()];
        db.get(x);
        return x;
    }

    static double[][] toRows(double[] flat, int k, int d) {
        double[][] out = new double[k][d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
