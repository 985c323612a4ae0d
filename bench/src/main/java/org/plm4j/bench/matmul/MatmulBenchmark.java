package org.plm4j.bench.matmul;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.plm4j.bench.Timings;
import org.plm4j.bench.pca.PcaBenchmark;
import org.plm4j.internal.EngineSetup;

/**
 * {@code ./plm4j bench matmul [--repeats R]}: float32 matrix products through DJL's libtorch, through
 * the system BLAS over JNI ({@code sgemm}), and through
 * numpy (OpenBLAS overrides unset), interleaved shape by shape, R rounds (default 5), medians in
 * GFLOP/s. Shapes: 2048&sup2; and the pretraining benchmark's (batch 32 &times; 128 tokens,
 * hidden 256, FFN 1024, vocabulary 8000 at the 15 % masked positions). First it measures the CPU's
 * float32 FMA peak with {@code bench/src/main/native/fma_peak.c} (compiled here with {@code cc}), the
 * ceiling no product can pass, and prints every column's share of it. Returns libtorch float32 over
 * numpy on 2048&sup2; (the engine's share of this CPU's float32 rate).
 *
 * <p>No bfloat16 column: DJL 0.36's native layer maps only data types 0–8 (float32 … complex64) to
 * libtorch types and answers any other, bfloat16 included, with a bare {@code throw;} outside a
 * catch block, which ends the whole process ("terminate called without an active exception").
 */
public final class MatmulBenchmark implements org.plm4j.bench.Benchmark {

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public String description() {
        return "float32 matmul GFLOP/s: DJL libtorch, system BLAS over JNI, numpy; 2048^2 and training shapes";
    }

    @Override
    public double run(String[] args) throws Exception {
        int repeats = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--repeats")) {
                repeats = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; use --repeats R");
            }
        }
        int[][] shapes = {{2048, 2048, 2048}, {4096, 256, 1024}, {4096, 1024, 256}, {4096, 256, 768}, {614, 256, 8000}};
        Engine engine = EngineSetup.engine();
        System.out.println("libtorch " + engine.getVersion() + ", threads " + System.getProperty("ai.djl.pytorch.num_threads")
                + ", MKL_ENABLE_INSTRUCTIONS=" + System.getenv("MKL_ENABLE_INSTRUCTIONS")
                + "; JNI BLAS " + blasName());
        int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
        double peak = fmaPeak(threads);
        Path script = PcaBenchmark.projectRoot().resolve("bench/src/main/python/matmul_reference.py");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true);
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        Process p = pb.start();
        double result = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                NDManager m = engine.newBaseManager()) {
            call(in, out, "info").forEach(System.out::println);
            System.out.printf(Locale.ROOT, "%-20s %12s %12s %12s%n", "M x K x N (GFLOP/s)", "numpy", "libtorch",
                    "JNI sgemm");
            NativeBLAS blas = loadBlas();
            for (int[] s : shapes) {
                int mm = s[0];
                int kk = s[1];
                int nn = s[2];
                double flops = 2.0 * mm * kk * nn;
                float[] a = random(mm * kk, 1);
                float[] b = random(kk * nn, 2);
                float[] c = new float[mm * nn];
                NDArray ta = m.create(a, new Shape(mm, kk));
                NDArray tb = m.create(b, new Shape(kk, nn));
                double[][] t = new double[3][repeats];
                for (int i = -1; i < repeats; i++) { // one warm-up round
                    double[] round = new double[3];
                    round[0] = settledSecondCall(() -> seconds(call(in, out, "mm " + mm + " " + kk + " " + nn)));
                    round[1] = settledSecondCall(() -> time(() -> {
                        try (NDArray r = ta.matMul(tb)) {
                            r.get(0, 0).getFloat(); // wait for the result
                        }
                    }));
                    // row-major C = A B is column-major Cᵀ = Bᵀ Aᵀ
                    round[2] = blas == null ? Double.NaN
                            : settledSecondCall(() -> time(() -> blas.sgemm("N", "N", nn, mm, kk, 1f, b, nn, a, kk, 0f, c, nn)));
                    if (i >= 0) {
                        for (int j = 0; j < 3; j++) {
                            t[j][i] = round[j];
                        }
                    }
                }
                double[] gf = new double[3];
                for (int j = 0; j < 3; j++) {
                    gf[j] = flops / median(t[j]) / 1e9;
                }
                System.out.printf(Locale.ROOT, "%-20s %12.0f %12.0f %12.0f%s%n", mm + "x" + kk + "x" + nn, gf[0], gf[1], gf[2],
                        Double.isNaN(peak) ? "" : String.format(Locale.ROOT, "   (%.0f %% / %.0f %% / %.0f %% of the FMA peak)",
                                100 * gf[0] / peak, 100 * gf[1] / peak, 100 * gf[2] / peak));
                if (mm == 2048 && kk == 2048) {
                    result = gf[1] / gf[0];
                }
                for (NDArray x : List.of(ta, tb)) {
                    x.close();
                }
            }
            call(in, out, "quit");
        } finally {
            p.destroy();
        }
        return result;
    }

    /**
     * The float32 FMA peak of {@code threads} threads in GFLOP/s, from the C program beside this
     * benchmark; NaN (and a line saying why) when it cannot be built or run.
     */
    static double fmaPeak(int threads) throws Exception {
        Path root = PcaBenchmark.projectRoot();
        Path src = root.resolve("bench/src/main/native/fma_peak.c");
        Path exe = root.resolve("bench/target/fma_peak");
        try {
            Process cc = new ProcessBuilder("cc", "-O2", "-fopenmp", "-o", exe.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (cc.waitFor() != 0) {
                System.out.println("FMA peak: not measured (cc failed: " + ccOut.strip() + ")");
                return Double.NaN;
            }
            Process run = new ProcessBuilder(exe.toString(), Integer.toString(threads)).redirectErrorStream(true).start();
            List<String> lines = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            run.waitFor();
            String isa = lines.stream().filter(l -> l.startsWith("isa ")).map(l -> l.substring(4)).findFirst().orElse("?");
            double peak = lines.stream().filter(l -> l.startsWith("peak ")).mapToDouble(l -> Double.parseDouble(l.substring(5)))
                    .findFirst().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "FMA peak (%s, %d threads, fma_peak.c): %.0f GFLOP/s float32%n", isa, threads, peak);
            return peak;
        } catch (java.io.IOException e) {
            System.out.println("FMA peak: not measured (" + e.getMessage() + "; apt-get install gcc)");
            return Double.NaN;
        }
    }

    private static NativeBLAS loadBlas() {
        try {
            return NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            return null; // reported as NaN
        }
    }

    private static String blasName() {
        NativeBLAS b = loadBlas();
        return b == null ? "not loaded" : b.getClass().getSimpleName() + " (libblas.so.3)";
    }

    private static List<String> call(Writer in, BufferedReader out, String command) throws java.io.IOException {
        in.write(command + "\n");
        in.flush();
        List<String> lines = new ArrayList<>();
        for (String l; (l = out.readLine()) != null; ) {
            if (l.equals("ok")) {
                return lines;
            }
            lines.add(l);
        }
        if (command.equals("quit")) {
            return lines;
        }
        throw new IllegalStateException("the numpy reference stopped during '" + command + "': " + lines);
    }

    private static double seconds(List<String> lines) {
        for (String l : lines) {
            if (l.startsWith("time ")) {
                return Double.parseDouble(l.substring(5).trim());
            }
        }
        throw new IllegalStateException("no time in " + lines);
    }

    /**
     * The time of the second of two back-to-back calls after a pause: the pause lets the other
     * sides' spinning threads sleep, the first call wakes this side's threads and warms its memory,
     * so the second measures the product's steady rate.
     */
    private static double settledSecondCall(java.util.concurrent.Callable<Double> timedCall) {
        Timings.settle();
        try {
            timedCall.call();
            return timedCall.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
