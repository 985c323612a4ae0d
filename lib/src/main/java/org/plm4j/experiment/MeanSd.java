package org.plm4j.experiment;

import java.util.Locale;

/**
 * Mean and sample standard deviation of a metric over the runs of one method.
 *
 * @param mean arithmetic mean (NaN when there are no values or one of them is NaN)
 * @param sd sample standard deviation with {@code n - 1} in the denominator; 0 for a single value
 * @param n number of values
 */
public record MeanSd(double mean, double sd, int n) {

    /** Decimals of {@link #toString()}. */
    public static final int DEFAULT_DECIMALS = 3;

    /** Mean and sample standard deviation of {@code values}. */
    public static MeanSd of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new MeanSd(Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanSd(mean, Double.isNaN(mean) ? Double.NaN : 0.0, 1);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new MeanSd(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /**
     * The one verdict rule: {@code 1} when this mean is higher than {@code other}'s by more than the
     * larger of the two standard deviations, {@code -1} when it is lower by more than that, {@code 0}
     * otherwise (no clear difference; also when a value is NaN). {@link Comparison} and the notebooks
     * state every verdict with it.
     */
    public int clearDifference(MeanSd other) {
        double diff = mean - other.mean;
        if (!(Math.abs(diff) > Math.max(sd, other.sd))) {
            return 0;
        }
        return diff > 0 ? 1 : -1;
    }

    /** {@code "0.812 ± 0.011"} with {@code decimals} decimals, or {@code "n/a"} when the mean is NaN. */
    public String format(int decimals) {
        if (Double.isNaN(mean)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", mean, sd);
    }

    /** {@link #format(int)} with {@value #DEFAULT_DECIMALS} decimals, e.g. {@code "0.812 ± 0.011"}. */
    @Override
    public String toString() {
        return format(DEFAULT_DECIMALS);
    }
}
