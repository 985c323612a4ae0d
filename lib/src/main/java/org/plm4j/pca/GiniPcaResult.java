package org.plm4j.pca;

import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A fitted {@link GiniPca}: column means and Gini scales, the k axes (unit rows of a k &times; d
 * matrix by decreasing Gini value), the co-Gini matrix, and {@link #transform(double[][])}.
 * Immutable: accessors return copies. Renders as a table of Gini values and a 2-D scatter.
 *
 * <p>The Gini value of an axis b is {@code b' GC b}; its ratio is that over the trace of GC (the
 * summed Gini variability of the columns). GC is not positive semi-definite in general, so a
 * trailing value can be negative.
 */
public final class GiniPcaResult implements Displayable {

    private final double[] mean;
    private final double[] scale;
    private final double[][] axes;
    private final double[] values;
    private final double trace;
    private final double[][] coGini;
    private final int samples;
    private final GiniPcaConfig config;

    GiniPcaResult(double[] mean, double[] scale, double[][] axes, double[] values, double trace, double[][] coGini,
            int samples, GiniPcaConfig config) {
        this.mean = mean;
        this.scale = scale;
        this.axes = axes;
        this.values = values;
        this.trace = trace;
        this.coGini = coGini;
        this.samples = samples;
        this.config = config;
    }

    public int components() {
        return axes.length;
    }

    public int dimension() {
        return mean.length;
    }

    public int samples() {
        return samples;
    }

    public GiniPcaConfig config() {
        return config;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** The divisor of each centred column: its Gini variability when standardising, else 1. */
    public double[] scale() {
        return scale.clone();
    }

    /** The k &times; d matrix of axes (copy), in the standardised coordinates when standardising. */
    public double[][] componentMatrix() {
        return copy(axes);
    }

    /** The d &times; d co-Gini matrix GC of the (standardised) columns (copy). */
    public double[][] coGiniMatrix() {
        return copy(coGini);
    }

    /** The Gini value {@code b' GC b} of each axis, decreasing. */
    public double[] giniValues() {
        return values.clone();
    }

    /** Each Gini value over the trace of GC. */
    public double[] giniRatio() {
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = trace != 0 ? values[i] / trace : 0;
        }
        return r;
    }

    /**
     * Coordinates of {@code data} on the k axes: {@code ((x - mean) / scale) * axes'}, n &times; k.
     *
     * @throws IllegalArgumentException if a row has the wrong length
     */
    public double[][] transform(double[][] data) {
        int d = mean.length;
        double[][] out = new double[data.length][axes.length];
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + data[i].length + " values, the Gini PCA was "
                        + "fitted on " + d + " columns");
            }
            for (int c = 0; c < axes.length; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (data[i][j] - mean[j]) / scale[j] * axes[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }

    /** One row per component: component, gini_value, ratio. */
    public Table toTable() {
        IntColumn comp = IntColumn.create("component");
        for (int i = 0; i < axes.length; i++) {
            comp.append(i + 1);
        }
        return Table.create("Gini PCA (" + samples + " x " + mean.length + ", nu = " + config.nu() + ")", comp,
                DoubleColumn.create("gini_value", values), DoubleColumn.create("ratio", giniRatio()));
    }

    /**
     * Scatter of {@code data} on the first two axes coloured by {@code labels} (may be null).
     *
     * @throws IllegalStateException with fewer than two components
     */
    public XYChart scatter(double[][] data, String[] labels) {
        if (axes.length < 2) {
            throw new IllegalStateException("a scatter needs 2 components, this Gini PCA has " + axes.length
                    + "; fit with GiniPcaConfig.of(2)");
        }
        double[] r = giniRatio();
        return PcaCharts.scatter(transform(data), labels, "Gini PCA of " + data.length + " rows",
                String.format(Locale.ROOT, "GC1 (%.1f %%)", 100 * r[0]), String.format(Locale.ROOT, "GC2 (%.1f %%)", 100 * r[1]));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GiniPcaResult[n=" + samples + ", d=" + mean.length + ", k=" + axes.length
                + ", nu=" + config.nu() + ", ratio=[");
        double[] r = giniRatio();
        for (int i = 0; i < Math.min(10, r.length); i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", r[i]));
        }
        return sb.append(r.length > 10 ? ", ...]]" : "]]").toString();
    }

    /** The Gini-value table, as an HTML fragment. */
    @Override
    public String toHtml() {
        return "<div class=\"plm4j-gini-pca\">" + Html.table(toTable()) + "</div>";
    }

    static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
