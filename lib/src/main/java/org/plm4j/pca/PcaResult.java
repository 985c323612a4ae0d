package org.plm4j.pca;

import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;

/**
 * A fitted PCA: column means, the {@code k} principal axes (unit rows of a k &times; d matrix,
 * by decreasing variance), singular values of the centred data, explained variance
 * ({@code s^2 / (n-1)}) and its ratio to the total variance, as in scikit-learn's {@code PCA}.
 * Immutable: accessors return copies.
 *
 * <p>Renders itself: {@link #toTable()} (Tablesaw), {@link #screeChart()} and
 * {@link #scatter(double[][], String[])} (XChart), bounded {@link #toString()}, and
 * {@link #toHtml()} (table and scree chart) in notebooks.
 *
 * <p>With whitening ({@link PcaConfig#whiten()}), {@link #transform} divides each coordinate by
 * the square root of its explained variance and {@link #inverseTransform} multiplies it back.
 */
public final class PcaResult implements Displayable {

    private final double[] mean;
    private final double[][] components;
    private final double[] singularValues;
    private final double[] explainedVariance;
    private final double[] explainedVarianceRatio;
    private final double totalVariance;
    private final int samples;
    private final PcaConfig.Method method;
    private final double[] spectrumRatio;
    private final PcaConfig config;
    private final double threshold;

    PcaResult(double[] mean, double[][] components, double[] singularValues, double[] explainedVariance,
            double[] explainedVarianceRatio, double totalVariance, int samples, PcaConfig.Method method,
            double[] spectrumRatio, PcaConfig config, double threshold) {
        this.spectrumRatio = spectrumRatio;
        this.config = config;
        this.threshold = threshold;
        this.mean = mean;
        this.components = components;
        this.singularValues = singularValues;
        this.explainedVariance = explainedVariance;
        this.explainedVarianceRatio = explainedVarianceRatio;
        this.totalVariance = totalVariance;
        this.samples = samples;
        this.method = method;
    }

    /** Number of components k. */
    public int components() {
        return components.length;
    }

    /** Number of features d. */
    public int dimension() {
        return mean.length;
    }

    /** Number of rows the PCA was fitted on. */
    public int samples() {
        return samples;
    }

    /** The method actually used (never AUTO). */
    public PcaConfig.Method method() {
        return method;
    }

    /** The configuration this PCA was fitted with. */
    public PcaConfig config() {
        return config;
    }

    /** Whether {@link #transform} whitens (unit-variance coordinates). */
    public boolean whiten() {
        return config.whiten();
    }

    /**
     * Explained-variance ratios of every component the solver computed, kept or not: the whole
     * spectrum (min(n, d) values) for the exact solvers, the k kept ones for the randomized one.
     * The scree chart draws it with the truncation marked.
     */
    public double[] spectrumRatio() {
        return spectrumRatio.clone();
    }

    /**
     * The Gavish–Donoho singular-value threshold used to choose k ({@link PcaConfig#optimal()}),
     * NaN for the other truncations.
     */
    public double threshold() {
        return threshold;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** The k &times; d matrix of principal axes (copy). */
    public double[][] componentMatrix() {
        double[][] out = new double[components.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = components[i].clone();
        }
        return out;
    }

    public double[] singularValues() {
        return singularValues.clone();
    }

    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    public double[] explainedVarianceRatio() {
        return explainedVarianceRatio.clone();
    }

    /** Sum of all column variances of the data (denominator of the ratios). */
    public double totalVariance() {
        return totalVariance;
    }

    /** Cumulative explained-variance ratio per component. */
    public double[] cumulativeRatio() {
        double[] c = new double[explainedVarianceRatio.length];
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            s += explainedVarianceRatio[i];
            c[i] = s;
        }
        return c;
    }

    /**
     * Coordinates of {@code data} on the k axes: {@code (x - mean) * components^T}, n &times; k.
     *
     * @throws IllegalArgumentException if a row has the wrong length
     */
    public double[][] transform(double[][] data) {
        int d = mean.length;
        int k = components.length;
        double[][] out = new double[data.length][k];
        double[] centred = new double[d];
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + data[i].length + " values, the PCA was fitted on "
                        + d + " columns");
            }
            for (int j = 0; j < d; j++) {
                centred[j] = data[i][j] - mean[j];
            }
            for (int c = 0; c < k; c++) {
                double s = 0;
                double[] comp = components[c];
                for (int j = 0; j < d; j++) {
                    s += centred[j] * comp[j];
                }
                out[i][c] = whiten() ? s / scale(c) : s;
            }
        }
        return out;
    }

    private double scale(int c) {
        double v = Math.sqrt(explainedVariance[c]);
        return v > 0 ? v : 1.0;
    }

    /** {@link #transform(double[][])} of one row. */
    public double[] transform(double[] row) {
        return transform(new double[][] {row})[0];
    }

    /** {@link #transform(double[][])} for float data. */
    public double[][] transform(float[][] data) {
        return transform(Pca.toDouble(data));
    }

    /**
     * Back to feature space: {@code z * components + mean}, n &times; d; exact at full rank
     * (k = d), the best rank-k approximation otherwise.
     */
    public double[][] inverseTransform(double[][] z) {
        int d = mean.length;
        int k = components.length;
        double[][] out = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            if (z[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + z[i].length + " coordinates, expected k = " + k);
            }
            double[] r = mean.clone();
            for (int c = 0; c < k; c++) {
                double zc = whiten() ? z[i][c] * scale(c) : z[i][c];
                double[] comp = components[c];
                for (int j = 0; j < d; j++) {
                    r[j] += zc * comp[j];
                }
            }
            out[i] = r;
        }
        return out;
    }

    /**
     * The first two coordinates of {@code data} (n &times; 2), for plotting.
     *
     * @throws IllegalStateException if fewer than two components were fitted
     */
    public double[][] project2d(double[][] data) {
        if (components.length < 2) {
            throw new IllegalStateException("project2d needs 2 components, this PCA has " + components.length
                    + "; fit with PcaConfig.of(2)");
        }
        double[][] z = transform(data);
        double[][] out = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            out[i] = new double[] {z[i][0], z[i][1]};
        }
        return out;
    }

    /** One row per component: component, singular_value, explained_variance, ratio, cumulative. */
    public Table toTable() {
        int k = components.length;
        IntColumn comp = IntColumn.create("component");
        for (int i = 0; i < k; i++) {
            comp.append(i + 1);
        }
        return Table.create("PCA (" + samples + " x " + mean.length + ", " + method + ")", comp,
                DoubleColumn.create("singular_value", singularValues),
                DoubleColumn.create("explained_variance", explainedVariance),
                DoubleColumn.create("ratio", explainedVarianceRatio),
                DoubleColumn.create("cumulative", cumulativeRatio()));
    }

    /**
     * Scree chart: bars of the explained-variance ratio of the computed spectrum (at most 60
     * components), kept components and dropped ones in two colours so the truncation is marked,
     * and a line of the cumulative ratio.
     */
    public CategoryChart screeChart() {
        return PcaCharts.scree(this);
    }

    /** 2-D scatter of {@code data} on the first two axes coloured by {@code labels} (see {@link PcaCharts}). */
    public XYChart scatter(double[][] data, String[] labels) {
        double[][] p = project2d(data);
        return PcaCharts.scatter(p, labels, "PCA of " + data.length + " rows",
                String.format("PC1 (%.1f %%)", 100 * explainedVarianceRatio[0]),
                String.format("PC2 (%.1f %%)", 100 * explainedVarianceRatio[1]));
    }

    @Override
    public String toString() {
        int show = Math.min(10, components.length);
        double[] r = Arrays.copyOf(explainedVarianceRatio, show);
        StringBuilder sb = new StringBuilder("PcaResult[n=" + samples + ", d=" + mean.length + ", k=" + components.length
                + ", method=" + method + ", ratio=[");
        for (int i = 0; i < r.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format("%.4f", r[i]));
        }
        if (show < components.length) {
            sb.append(", ...");
        }
        return sb.append(String.format("], cumulative=%.4f]", cumulativeRatio()[components.length - 1])).toString();
    }

    /** The explained-variance table and the scree chart, as a self-contained HTML fragment. */
    @Override
    public String toHtml() {
        String note = String.format(Locale.ROOT, "<p>PCA of %d &times; %d (%s), %s: %d components keep %.2f %% of the "
                + "variance%s.</p>", samples, mean.length, method, Html.escape(config.describeTruncation()),
                components.length, 100 * cumulativeRatio()[components.length - 1],
                Double.isNaN(threshold) ? "" : String.format(Locale.ROOT, " (singular values above %.4g)", threshold));
        return "<div class=\"plm4j-pca\">" + note + Html.table(toTable()) + Html.image(screeChart()) + "</div>";
    }
}
