package org.plm4j.pca;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A fitted {@link GlmPca}: factors (n &times; L document coordinates, orthogonal columns by
 * decreasing norm), loadings (p &times; L, orthonormal columns), term intercepts, covariate
 * coefficients, row offsets, and the deviance after every iteration (index 0 = the start).
 * Immutable: accessors return copies. Renders as a table of components with their heaviest
 * terms and a chart of the deviance trace; {@link #scatter(String[])} plots the first two factors.
 */
public final class GlmPcaResult implements Displayable {

    private static final int TOP_TERMS = 8;

    private final GlmPcaConfig config;
    private final double[][] factors;
    private final double[][] loadings;
    private final double[] singularValues;
    private final double[] intercepts;
    private final double[][] coefficients;
    private final double[] offsets;
    private final double[] devianceTrace;
    private final int iterations;
    private final boolean converged;
    private final List<String> terms;

    GlmPcaResult(GlmPcaConfig config, double[][] factors, double[][] loadings, double[] singularValues,
            double[] intercepts, double[][] coefficients, double[] offsets, double[] devianceTrace, int iterations,
            boolean converged, List<String> terms) {
        this.config = config;
        this.factors = factors;
        this.loadings = loadings;
        this.singularValues = singularValues;
        this.intercepts = intercepts;
        this.coefficients = coefficients;
        this.offsets = offsets;
        this.devianceTrace = devianceTrace;
        this.iterations = iterations;
        this.converged = converged;
        this.terms = terms == null ? IntStream.range(0, loadings.length).mapToObj(j -> "column " + j).toList()
                : List.copyOf(terms);
    }

    public GlmPcaConfig config() {
        return config;
    }

    /** Number of latent dimensions L. */
    public int components() {
        return singularValues.length;
    }

    /** The n &times; L document coordinates (copy). */
    public double[][] factors() {
        return GiniPcaResult.copy(factors);
    }

    /** The p &times; L term loadings, orthonormal columns (copy). */
    public double[][] loadings() {
        return GiniPcaResult.copy(loadings);
    }

    /** The norms of the factor columns: the singular values of the low-rank part U V'. */
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** The per-term intercepts (log scale). */
    public double[] intercepts() {
        return intercepts.clone();
    }

    /** The p &times; c covariate coefficients (c = 0 without covariates). */
    public double[][] coefficients() {
        return GiniPcaResult.copy(coefficients);
    }

    /** The per-row offsets (log size factors, or 0). */
    public double[] offsets() {
        return offsets.clone();
    }

    /** The deviance at the start and after each iteration; never increasing. */
    public double[] devianceTrace() {
        return devianceTrace.clone();
    }

    /** The final deviance. */
    public double deviance() {
        return devianceTrace[devianceTrace.length - 1];
    }

    public int iterations() {
        return iterations;
    }

    /** Whether the relative deviance change fell below the tolerance before maxIterations. */
    public boolean converged() {
        return converged;
    }

    /** The column names: the terms of a {@link CountMatrix}, else "column j". */
    public List<String> terms() {
        return terms;
    }

    /** The {@code m} terms with the largest absolute loading on component {@code c} (0-based), signed. */
    public List<String> topTerms(int c, int m) {
        if (c < 0 || c >= components()) {
            throw new IllegalArgumentException("component " + c + " does not exist; use 0.." + (components() - 1));
        }
        Integer[] idx = IntStream.range(0, loadings.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble((Integer j) -> -Math.abs(loadings[j][c])));
        List<String> out = new ArrayList<>();
        for (int t = 0; t < Math.min(m, idx.length); t++) {
            out.add((loadings[idx[t]][c] < 0 ? "-" : "+") + terms.get(idx[t]));
        }
        return out;
    }

    /** One row per component: component, singular_value, top_terms. */
    public Table toTable() {
        IntColumn comp = IntColumn.create("component");
        StringColumn top = StringColumn.create("top_terms");
        for (int c = 0; c < components(); c++) {
            comp.append(c + 1);
            top.append(String.join(" ", topTerms(c, TOP_TERMS)));
        }
        return Table.create("GLM-PCA (" + familyName() + ", " + factors.length + " x " + loadings.length + ")", comp,
                DoubleColumn.create("singular_value", singularValues), top);
    }

    /** One row per iteration: iteration, deviance. */
    public Table devianceTable() {
        return Table.create("GLM-PCA deviance", IntColumn.create("iteration", IntStream.range(0, devianceTrace.length)
                .toArray()), DoubleColumn.create("deviance", devianceTrace));
    }

    /** Line chart of the deviance per iteration. */
    public XYChart devianceChart() {
        XYChart chart = new XYChartBuilder().width(640).height(360).title("GLM-PCA deviance (" + familyName() + ")")
                .xAxisTitle("iteration").yAxisTitle("deviance").build();
        chart.addSeries("deviance", IntStream.range(0, devianceTrace.length).asDoubleStream().toArray(), devianceTrace);
        return chart;
    }

    /**
     * Scatter of the first two factors coloured by {@code labels} (may be null).
     *
     * @throws IllegalStateException with fewer than two components
     */
    public XYChart scatter(String[] labels) {
        if (components() < 2) {
            throw new IllegalStateException("a scatter needs 2 components, this GLM-PCA has " + components()
                    + "; fit with optComponents(2)");
        }
        return PcaCharts.scatter(factors, labels, "GLM-PCA (" + familyName() + ") of " + factors.length + " rows",
                "factor 1", "factor 2");
    }

    private String familyName() {
        return config.family() == GlmPcaConfig.Family.POISSON ? "Poisson"
                : String.format(Locale.ROOT, "negative binomial, theta = %.4g", config.theta());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GlmPcaResult[%s, n=%d, p=%d, L=%d, deviance=%.6g, iterations=%d%s]",
                familyName(), factors.length, loadings.length, components(), deviance(), iterations,
                converged ? "" : ", not converged");
    }

    /** A summary line, the component table and the deviance chart, as an HTML fragment. */
    @Override
    public String toHtml() {
        String note = String.format(Locale.ROOT, "<p>GLM-PCA (%s) of %d &times; %d counts: deviance %.6g after %d "
                + "iterations%s.</p>", Html.escape(familyName()), factors.length, loadings.length, deviance(), iterations,
                converged ? " (converged)" : " (stopped at maxIterations, not converged)");
        return "<div class=\"plm4j-glm-pca\">" + note + Html.table(toTable()) + Html.image(devianceChart()) + "</div>";
    }
}
