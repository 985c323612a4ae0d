package org.plm4j.pca;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A fitted {@link KernelPca}: eigenvalues of the centred kernel matrix, the training embedding,
 * and {@link #transform(double[][])} of new points. Immutable (keeps a copy of the training
 * rows, needed to project new points); renders as a table and a scatter of the first two
 * components.
 */
public final class KernelPcaResult implements Displayable {

    private final Kernel kernel;
    private final double gamma;
    private final double[][] train;
    private final double[] rowMean;
    private final double grandMean;
    private final double[] eigenvalues;
    private final double[][] vectors; // k x n, unit rows
    private final double trace;

    KernelPcaResult(Kernel kernel, double gamma, double[][] train, double[] rowMean, double grandMean,
            double[] eigenvalues, double[][] vectors, double trace) {
        this.kernel = kernel;
        this.gamma = gamma;
        this.train = train;
        this.rowMean = rowMean;
        this.grandMean = grandMean;
        this.eigenvalues = eigenvalues;
        this.vectors = vectors;
        this.trace = trace;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The gamma actually used (1/d when the kernel left it to the default). */
    public double gamma() {
        return gamma;
    }

    public int components() {
        return eigenvalues.length;
    }

    /** Eigenvalues of the centred kernel matrix, decreasing (scikit-learn's {@code eigenvalues_}). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** Each eigenvalue over the trace of the centred kernel matrix: share of feature-space variance. */
    public double[] eigenvalueRatio() {
        double[] r = new double[eigenvalues.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = trace > 0 ? eigenvalues[i] / trace : 0;
        }
        return r;
    }

    /** Coordinates of the training rows, n &times; k ({@code v_i sqrt(lambda_i)}). */
    public double[][] embedding() {
        int n = train.length;
        double[][] out = new double[n][eigenvalues.length];
        for (int c = 0; c < eigenvalues.length; c++) {
            double s = Math.sqrt(eigenvalues[c]);
            for (int i = 0; i < n; i++) {
                out[i][c] = vectors[c][i] * s;
            }
        }
        return out;
    }

    /**
     * Coordinates of new rows: the kernel against the training rows, centred with the training
     * statistics, times {@code v_i / sqrt(lambda_i)}.
     *
     * @throws IllegalArgumentException on a wrong row length or a non-finite value
     */
    public double[][] transform(double[][] data) {
        int d = train[0].length;
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + data[i].length + " values, the kernel PCA was "
                        + "fitted on " + d + " columns");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(data[i][j])) {
                    throw new IllegalArgumentException("value at row " + i + ", column " + j + " is " + data[i][j]);
                }
            }
        }
        int n = train.length;
        int k = eigenvalues.length;
        DMatrixRMaj kn = KernelPca.kernelMatrix(data, train, kernel, gamma);
        double[][] out = new double[data.length][k];
        for (int r = 0; r < data.length; r++) {
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += kn.data[r * n + j];
            }
            mean /= n;
            for (int c = 0; c < k; c++) {
                if (eigenvalues[c] <= 1e-12 * Math.max(eigenvalues[0], Double.MIN_NORMAL)) {
                    continue; // zero eigenvalue: coordinate 0
                }
                double s = 0;
                double[] v = vectors[c];
                for (int j = 0; j < n; j++) {
                    s += (kn.data[r * n + j] - mean - rowMean[j] + grandMean) * v[j];
                }
                out[r][c] = s / Math.sqrt(eigenvalues[c]);
            }
        }
        return out;
    }

    /** One row per component: component, eigenvalue, ratio. */
    public Table toTable() {
        IntColumn comp = IntColumn.create("component");
        for (int i = 0; i < eigenvalues.length; i++) {
            comp.append(i + 1);
        }
        return Table.create("Kernel PCA (" + train.length + " rows, " + kernel + ")", comp,
                DoubleColumn.create("eigenvalue", eigenvalues), DoubleColumn.create("ratio", eigenvalueRatio()));
    }

    /**
     * Scatter of the training embedding on the first two components coloured by {@code labels}
     * (may be null).
     *
     * @throws IllegalStateException with fewer than two components
     */
    public XYChart scatter(String[] labels) {
        if (components() < 2) {
            throw new IllegalStateException("a scatter needs 2 components, this kernel PCA has " + components());
        }
        double[][] e = embedding();
        double[][] p = new double[e.length][];
        for (int i = 0; i < e.length; i++) {
            p[i] = new double[] {e[i][0], e[i][1]};
        }
        return PcaCharts.scatter(p, labels, "Kernel PCA, " + kernel, "KPC1", "KPC2");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KernelPcaResult[n=" + train.length + ", k=" + eigenvalues.length + ", "
                + kernel + ", eigenvalues=[");
        for (int i = 0; i < Math.min(8, eigenvalues.length); i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4g", eigenvalues[i]));
        }
        return sb.append(eigenvalues.length > 8 ? ", ...]]" : "]]").toString();
    }

    @Override
    public String toHtml() {
        String html = "<div class=\"plm4j-kpca\">" + Html.table(toTable());
        if (components() >= 2) {
            html += Html.image(scatter(null));
        }
        return html + "</div>";
    }
}
