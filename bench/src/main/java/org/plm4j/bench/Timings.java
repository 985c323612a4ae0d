package org.plm4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The repeated timings of one side of a benchmark: median and min–max spread. */
public final class Timings {

    private String name;
    private final List<Double> seconds = new ArrayList<>();

    public Timings(String name) {
        this.name = name;
    }

    /** Renames the side (for a version known only after its first run). */
    public void setName(String name) {
        this.name = name;
    }

    public void add(double s) {
        seconds.add(s);
    }

    public double median() {
        return median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median of {@code v} (the mean of the two middle values for an even count). */
    public static double median(double[] v) {
        if (v.length == 0) {
            throw new IllegalStateException("no timings");
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One line: median, min–max, each run, and the throughput of {@code units} per median run. */
    public String summary(long units, String unitName) {
        double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        StringBuilder runs = new StringBuilder();
        for (double s : seconds) {
            runs.append(runs.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", s));
        }
        return String.format(Locale.ROOT, "%-70s median %.3f s (min-max %.3f-%.3f; runs %s), %,.0f %s/s",
                name, median(), min, max, runs, units / median(), unitName);
    }

    /**
     * Waits before a timed call so that the previous side's BLAS and OpenMP worker threads, which
     * spin for a while after their work before they sleep, no longer take the cores the next timed
     * call needs (interleaving sides otherwise charges one side's spinning to the other).
     */
    public static void settle() {
        try {
            Thread.sleep(SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Long enough for OpenBLAS (about 2^28 cycles) and GNU OpenMP spin-waits to end. */
    static final long SETTLE_MS = 300;
}
