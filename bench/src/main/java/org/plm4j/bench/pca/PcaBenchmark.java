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
import org.plm4j.bench.Timings;
import org.plm4j.pca.Pca;
import org.plm4j.pca.PcaConfig;
import org.plm4j.pca.PcaResult;

/**
 * {@code ./plm4j bench pca [--repeats R] [--case NAME]...}: plm4j's {@link Pca} against three Python
 * references on the same matrices, 50 components, exact and randomized, on 20,000 &times; 256
 * float64 and 100,000 &times; 768 float32. References per case: numpy's covariance route
 * ({@code cov-eigh}: centre, float64 {@code XᵀX}, {@code numpy.linalg.eigh}), scikit-learn's
 * default {@code PCA} ({@code svd_solver='auto'}) and scikit-learn with the case's solver
 * ({@code full} or {@code randomized}). The matrices (rank-50 signal with singular values
 * decaying from 10 to 1 per unit row, plus isotropic noise of standard deviation 0.5, from fixed
 * {@link SplittableRandom} seeds) are written once to raw little-endian files under
 * {@code bench/target/pca-data/} that both sides read. One Python process (OpenBLAS overrides
 * unset) serves all fits, so the sides interleave: per case, one warm-up fit of each reference
 * and at least two (and one second's worth) of plm4j's (JIT), then {@code R} rounds (default 7 on the small matrix, 3 on the large one) of one fit per reference and one plm4j fit
 * from the {@code float[][]}/{@code double[][]} (validation and conversion included). Medians and
 * the min–max spread are printed. Checks: exact fits, max |ratio difference| against scikit-learn
 * full (&le; 1e-6) and the largest principal angle; randomized fits, the largest principal angle
 * against plm4j's exact fit (&lt; 1e-3). Returns the worst, over cases, of the fastest reference's
 * median over plm4j's median.
 */
public final class PcaBenchmark implements Benchmark {

    static final int K = 50;
    static final int SIGNAL_RANK = 50;
    static final double NOISE = 0.5;

    record Case(String name, int rows, int cols, boolean single, PcaConfig.Method method) {
        String file() {
            return "pca-" + rows + "x" + cols + "-" + (single ? "float32" : "float64") + ".bin";
        }

        String data() {
            return rows + "x" + cols + "-" + (single ? "f32" : "f64");
        }

        boolean exact() {
            return method != PcaConfig.Method.RANDOMIZED;
        }

        /** The references timed for this case: numpy's covariance route, scikit-learn auto, and its solver of this kind. */
        List<String> references() {
            return List.of("cov-eigh", "sklearn-auto", exact() ? "sklearn-full" : "sklearn-randomized");
        }
    }

    @Override
    public String name() {
        return "pca";
    }

    @Override
    public String description() {
        return "PCA, 50 components, exact and randomized, 20000x256 f64 and 100000x768 f32, vs numpy cov-eigh and scikit-learn";
    }

    @Override
    public double run(String[] args) throws Exception {
        int repeats = 0; // 0: the default per case
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> {
                    repeats = Integer.parseInt(args[++i]);
                    if (repeats < 1) {
                        throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
                    }
                }
                case "--case" -> only.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --repeats R, --case NAME");
            }
        }
        List<Case> cases = new ArrayList<>(List.of(
                new Case("20000x256-f64-exact", 20_000, 256, false, PcaConfig.Method.FULL),
                new Case("20000x256-f64-randomized", 20_000, 256, false, PcaConfig.Method.RANDOMIZED),
                new Case("100000x768-f32-exact", 100_000, 768, true, PcaConfig.Method.FULL),
                new Case("100000x768-f32-randomized", 100_000, 768, true, PcaConfig.Method.RANDOMIZED)));
        if (!only.isEmpty()) {
            cases.removeIf(c -> !only.contains(c.name));
            if (cases.isEmpty()) {
                throw new IllegalArgumentException("no case named " + only + "; cases: 20000x256-f64-exact, "
                        + "20000x256-f64-randomized, 100000x768-f32-exact, 100000x768-f32-randomized");
            }
        }
        Path root = projectRoot();
        Path dir = root.resolve("bench/target/pca-data");
        Files.createDirectories(dir);
        for (Case c : cases) {
            ensureData(dir.resolve(c.file()), c.rows, c.cols, c.single, c.rows * 31L + c.cols);
        }
        System.out.println("plm4j: " + Pca.linearAlgebra() + "; Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");

        double worst = Double.POSITIVE_INFINITY;
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-26s %-20s %-20s %-20s %-20s %9s %9s  %s", "case (median, min-max s)",
                "numpy cov-eigh", "sklearn auto", "sklearn full/rand", "plm4j", "vs best", "vs auto", "check"));
        try (Reference py = new Reference(root.resolve("bench/src/main/python/pca_reference.py"), dir)) {
            py.call("info").forEach(l -> System.out.println(l));
            String loaded = null;
            Object data = null;
            for (Case c : cases) {
                if (!c.file().equals(loaded)) {
                    data = null; // let the previous matrix go before reading the next
                    Path file = dir.resolve(c.file());
                    data = c.single ? readFloat(file, c.rows, c.cols) : readDouble(file, c.rows, c.cols);
                    py.call("load " + c.data() + " " + file + " " + c.rows + " " + c.cols + " " + (c.single ? "float32" : "float64"));
                    loaded = c.file();
                }
                PcaConfig config = PcaConfig.of(K).toBuilder().optMethod(c.method).build();
                for (String ref : c.references()) {
                    py.fit(c.data(), ref); // warm-up
                }
                // warm-up: at least two fits and one second of fitting, so the JIT compiler is done
                // (on 2 cores its threads would otherwise take one from the timed fits)
                PcaResult r = null;
                long warm = System.nanoTime();
                for (int i = 0; i < 2 || System.nanoTime() - warm < 1_000_000_000L; i++) {
                    r = fitOnce(data, config);
                }
                int rounds = repeats > 0 ? repeats : c.rows * (long) c.cols < 10_000_000 ? 7 : 3;
                double[][] theirs = new double[3][rounds];
                double[] ours = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    for (int j = 0; j < 3; j++) {
                        Timings.settle();
                        theirs[j][i] = py.fit(c.data(), c.references().get(j));
                    }
                    Timings.settle();
                    long t0 = System.nanoTime();
                    r = fitOnce(data, config);
                    ours[i] = (System.nanoTime() - t0) / 1e9;
                }
                double best = Double.POSITIVE_INFINITY;
                for (double[] t : theirs) {
                    best = Math.min(best, median(t));
                }
                double speedup = best / median(ours);
                double vsAuto = median(theirs[1]) / median(ours);
                worst = Math.min(worst, speedup);
                String check = check(c, r, data, dir);
                String row = String.format(Locale.ROOT, "%-26s %-20s %-20s %-20s %-20s %8.2fx %8.2fx  %s", c.name,
                        spread(theirs[0]), spread(theirs[1]), spread(theirs[2]), spread(ours), speedup, vsAuto, check);
                table.add(row);
                System.out.println(row);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
        return worst;
    }

    private static PcaResult fitOnce(Object data, PcaConfig config) {
        return data instanceof float[][] f ? Pca.fit(f, config) : Pca.fit((double[][]) data, config);
    }

    /** The accuracy check of one case (see the class documentation). */
    private static String check(Case c, PcaResult r, Object data, Path dir) throws IOException {
        String prefix = dir.resolve(c.data()).toString();
        double[] skRatio = readRaw(Path.of(prefix + "." + c.references().get(2) + ".ratio"));
        double[][] skComp = toRows(readRaw(Path.of(prefix + "." + c.references().get(2) + ".components")), K, c.cols);
        double[] npRatio = readRaw(Path.of(prefix + ".cov-eigh.ratio"));
        if (c.exact()) {
            double diff = maxAbsDiff(r.explainedVarianceRatio(), skRatio);
            return String.format(Locale.ROOT, "max |ratio - sklearn| = %.2e (%s 1e-6), vs numpy %.1e, angle vs sklearn %.2e",
                    diff, diff <= 1e-6 ? "PASS <=" : "FAIL >", maxAbsDiff(r.explainedVarianceRatio(), npRatio),
                    maxAngle(r.componentMatrix(), skComp));
        }
        PcaResult exact = fitOnce(data, PcaConfig.of(K).toBuilder().optMethod(PcaConfig.Method.FULL).build());
        double ourAngle = maxAngle(r.componentMatrix(), exact.componentMatrix());
        return String.format(Locale.ROOT, "max angle vs exact: plm4j %.2e (%s 1e-3), sklearn %.2e; "
                + "max |ratio - exact| plm4j %.1e, sklearn %.1e", ourAngle, ourAngle < 1e-3 ? "PASS <" : "FAIL >=",
                maxAngle(skComp, exact.componentMatrix()), maxAbsDiff(r.explainedVarianceRatio(), exact.explainedVarianceRatio()),
                maxAbsDiff(skRatio, exact.explainedVarianceRatio()));
    }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    static String spread(double[] t) {
        return String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", median(t), Arrays.stream(t).min().orElse(0),
                Arrays.stream(t).max().orElse(0));
    }

    /**
     * The Python side: one {@code /usr/bin/python3} process running {@code pca_reference.py}, with
     * {@code OPENBLAS_CORETYPE}/{@code OPENBLAS_L2_SIZE} removed from its environment only.
     */
    static final class Reference implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader out;
        private final java.io.Writer in;

        Reference(Path script, Path dir) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.toString())
                    .redirectErrorStream(true);
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            process = pb.start();
            out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Sends one command; returns its output lines up to {@code ok}. */
        List<String> call(String command) throws IOException {
            List<String> lines = new ArrayList<>();
            try {
                in.write(command + "\n");
                in.flush();
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.equals("ok")) {
                        return lines;
                    }
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process died: report what it printed below
            }
            throw new IllegalStateException("the Python reference stopped during '" + command + "'; it needs Debian's "
                    + "python3-sklearn (apt-get install -y python3-sklearn). Its output:\n" + String.join("\n", lines));
        }

        /** One timed fit; returns its seconds. */
        double fit(String data, String method) throws IOException {
            List<String> lines = call("fit " + data + " " + method + " " + K);
            for (String l : lines) {
                String[] f = l.trim().split(" ");
                if (f.length == 4 && f[0].equals("time")) {
                    return Double.parseDouble(f[3]);
                }
            }
            throw new IllegalStateException("no time line for " + data + " " + method + " in: " + lines);
        }

        @Override
        public void close() throws IOException {
            try {
                in.write("quit\n");
                in.close();
                process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // closing anyway
            } finally {
                process.destroy();
            }
        }
    }

    /** The checkout: {@code -Dplm4j.root}, else four levels above bench/target/dist/lib/plm4j-bench.jar. */
    public static Path projectRoot() throws Exception {
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
