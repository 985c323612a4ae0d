package org.plm4j.bench.matmul;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.plm4j.bench.Benchmark;
import org.plm4j.bench.pca.PcaBenchmark;
import org.plm4j.bench.pretrain.PretrainBenchmark;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingProgress;

/**
 * {@code ./plm4j bench mkl-shim [--steps N]}: whether plm4j's oneMKL dispatch shim keeps training
 * sound, and what it gains. The pretraining benchmark's model (seed 1, same batches, masks and
 * dropout) trains {@code N} steps twice: in a child JVM without the shim (oneMKL's generic
 * kernels), then in this JVM with it (its AVX-512 kernels). Prints both loss curves side by side,
 * how far they drift apart, the median step time of each, and writes the curves as a chart. Both
 * runs are float32; only the kernels, and so the rounding, differ. The speedup is the median step
 * time without the shim over the time with it.
 */
public final class MklShimBenchmark implements Benchmark {

    private static final String USAGE = "./plm4j bench mkl-shim [--steps N]";

    @Override
    public String name() {
        return "mkl-shim";
    }

    @Override
    public String description() {
        return "pretraining loss curve and step time with the oneMKL dispatch shim vs without (same seed)";
    }

    @Override
    public double run(String[] args) throws Exception {
        int steps = 200;
        Path childOut = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--steps") && i + 1 < args.length) {
                steps = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--child") && i + 1 < args.length) {
                childOut = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: " + USAGE);
            }
        }
        if (steps < 20) {
            throw new IllegalArgumentException("--steps must be at least 20, got " + steps);
        }
        if (childOut != null) {
            Run r = train(steps);
            Files.writeString(childOut, r.serialise(), StandardCharsets.UTF_8);
            return 1;
        }
        String preload = System.getenv("LD_PRELOAD");
        if (preload == null || !preload.contains("mkl-cpu")) {
            throw new IllegalStateException("the MKL shim is not preloaded into this JVM (LD_PRELOAD=" + preload
                    + "); run through ./plm4j without PLM4J_MKL_SHIM=off");
        }
        System.out.printf(Locale.ROOT, "%d masked-LM steps of the pretrain benchmark's model, seed 1, each side; "
                + "without the shim in a child JVM first, then with it here%n", steps);
        Run generic = child(steps);
        Run shim = train(steps);
        System.out.printf(Locale.ROOT, "%8s %14s %14s %12s%n", "step", "loss (shim)", "loss (no shim)", "|difference|");
        for (int s = 0; s < steps; s++) {
            if (s < 3 || (s + 1) % Math.max(1, steps / 10) == 0 || s == steps - 1) {
                System.out.printf(Locale.ROOT, "%8d %14.6f %14.6f %12.2e%n", s + 1, shim.losses[s], generic.losses[s],
                        Math.abs(shim.losses[s] - generic.losses[s]));
            }
        }
        int tail = Math.max(10, steps / 10);
        double maxDiff = 0;
        int firstApart = -1;
        for (int s = 0; s < steps; s++) {
            double diff = Math.abs(shim.losses[s] - generic.losses[s]);
            maxDiff = Math.max(maxDiff, diff);
            if (firstApart < 0 && diff > 1e-3) {
                firstApart = s + 1;
            }
        }
        System.out.printf(Locale.ROOT, "first step: %.6f vs %.6f; mean loss over the last %d steps: shim %.4f, no shim "
                        + "%.4f; largest |difference| %.2e; first step differing by more than 1e-3: %s%n",
                shim.losses[0], generic.losses[0], tail, mean(shim.losses, steps - tail), mean(generic.losses, steps - tail),
                maxDiff, firstApart < 0 ? "none" : Integer.toString(firstApart));
        Path chart = PcaBenchmark.projectRoot().resolve("bench/target/mkl-shim-loss.png");
        chart(shim, generic, chart);
        System.out.println("loss curves: " + chart);
        double speedup = generic.medianStep / shim.medianStep;
        System.out.printf(Locale.ROOT, "median step time (after 5 warm-up steps): shim %.3f s, no shim %.3f s%n",
                shim.medianStep, generic.medianStep);
        return speedup;
    }

    /** One training run: the loss of every step and the median step time after warm-up. */
    private record Run(double[] losses, double medianStep) {

        String serialise() {
            StringBuilder sb = new StringBuilder().append(medianStep);
            for (double l : losses) {
                sb.append(' ').append(l);
            }
            return sb.toString();
        }

        static Run parse(String text) {
            double[] v = Arrays.stream(text.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
            return new Run(Arrays.copyOfRange(v, 1, v.length), v[0]);
        }
    }

    private static Run train(int steps) {
        double[] losses = new double[steps];
        long[] ends = new long[steps + 1];
        ends[0] = System.nanoTime();
        PretrainBenchmark.train(steps, PretrainConfig.builder().build().javaDropout(), new TrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                losses[p.step() - 1] = p.loss();
                ends[p.step()] = System.nanoTime();
            }
        });
        double[] times = new double[steps - 5];
        for (int s = 6; s <= steps; s++) {
            times[s - 6] = (ends[s] - ends[s - 1]) / 1e9;
        }
        Arrays.sort(times);
        return new Run(losses, times[times.length / 2]);
    }

    /** The same run in a child JVM with the same class path and options, without LD_PRELOAD. */
    private static Run child(int steps) throws Exception {
        Path out = Files.createTempFile("plm4j-mkl-shim", ".txt");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.plm4j.bench.Main", "mkl-shim",
                    "--steps", Integer.toString(steps), "--child", out.toString()));
            // The child's stdout would end in its own "speedup" line; only its errors are shown.
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("LD_PRELOAD");
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("the run without the shim failed (exit " + code + "): " + cmd);
            }
            return Run.parse(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static double mean(double[] a, int from) {
        return Arrays.stream(a, from, a.length).average().orElse(Double.NaN);
    }

    private static void chart(Run shim, Run generic, Path file) throws Exception {
        XYChart c = new XYChartBuilder().width(800).height(450).title("masked-LM training loss, float32")
                .xAxisTitle("step").yAxisTitle("loss").build();
        double[] x = new double[shim.losses.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        c.addSeries("with the MKL shim (AVX-512 kernels)", x, shim.losses);
        c.addSeries("without (generic kernels)", x, generic.losses);
        Files.createDirectories(file.getParent());
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
