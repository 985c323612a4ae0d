package org.plm4j.pca;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * XChart charts for PCA results: scree chart and labelled 2-D scatter. Charts are plain XChart
 * objects; render them headless with {@code BitmapEncoder.getBufferedImage(chart)}.
 *
 * <p>The scatter draws one series per label, at most {@value #MAX_SERIES} series: the
 * {@value #MAX_SERIES} - 1 most frequent labels keep their own series and colour, all others are
 * grouped into one series named {@code "other (m labels)"} so the legend says what was merged.
 */
public final class PcaCharts {

    /** Maximum number of series (labels) in a scatter chart, "other" included. */
    public static final int MAX_SERIES = 12;

    /**
     * One colour per scatter series, all dark enough to read on white (XChart's default theme has light pink
     * and yellow); grey comes last, for the "other" series.
     */
    static final Color[] SCATTER_COLORS = {
            new Color(0x1f77b4), new Color(0xe66100), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xc2185b), new Color(0x0e7c86),
            new Color(0x808000), new Color(0x000000), new Color(0xb8860b), new Color(0x7f7f7f)};

    private PcaCharts() {
    }

    /** Components shown by {@link #scree(PcaResult)} at most. */
    public static final int MAX_SCREE_COMPONENTS = 60;

    /**
     * Bars of the explained-variance ratio per component of the computed spectrum (at most
     * {@value #MAX_SCREE_COMPONENTS}): series "kept (k = ...)" and "dropped", overlapped so each
     * component has one bar and the truncation shows as the colour change; plus a line of the
     * cumulative ratio. The title names the truncation rule.
     */
    public static CategoryChart scree(PcaResult pca) {
        int k = pca.components();
        double[] spectrum = pca.spectrumRatio();
        // all kept components, then as many dropped ones again (+10), within the cap
        int shown = Math.min(spectrum.length, Math.max(k, Math.min(MAX_SCREE_COMPONENTS, 2 * k + 10)));
        CategoryChart chart = new CategoryChartBuilder().width(640).height(400)
                .title("Explained variance (" + pca.config().describeTruncation() + ")")
                .xAxisTitle("component").yAxisTitle("ratio of total variance").build();
        List<Integer> x = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        List<Double> dropped = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        double cum = 0;
        for (int i = 0; i < shown; i++) {
            x.add(i + 1);
            kept.add(i < k ? spectrum[i] : 0.0);
            dropped.add(i < k ? 0.0 : spectrum[i]);
            cum += spectrum[i];
            c.add(cum);
        }
        chart.addSeries("kept (k = " + k + ")", x, kept);
        if (shown > k) {
            chart.addSeries("dropped", x, dropped);
        }
        CategorySeries line = chart.addSeries("cumulative", x, c);
        line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setXAxisMaxLabelCount(screeLabelCount(shown));
        return chart;
    }

    /**
     * How many component numbers the scree axis shows: all up to 12, beyond that XChart's even spread of this many
     * labels numbers every 5th component (1, 6, 11, ...), so two-digit numbers never run together.
     */
    static int screeLabelCount(int shown) {
        return shown <= 12 ? shown : (shown + 4) / 5 + 1;
    }

    /**
     * Scatter of 2-D points coloured by label (one series per label, legend; see the class
     * documentation for the series cap). {@code labels} may be null for a single series.
     *
     * @throws IllegalArgumentException if the lengths differ or a point is not 2-D
     */
    public static XYChart scatter(double[][] points, String[] labels, String title, String xTitle, String yTitle) {
        if (labels != null && labels.length != points.length) {
            throw new IllegalArgumentException("got " + points.length + " points but " + labels.length + " labels");
        }
        Map<String, Integer> freq = new HashMap<>();
        for (int i = 0; i < points.length; i++) {
            if (points[i].length < 2) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " coordinates, need 2");
            }
            freq.merge(labelOf(labels, i), 1, Integer::sum);
        }
        List<String> byFreq = new ArrayList<>(freq.keySet());
        byFreq.sort((a, b) -> freq.get(b).equals(freq.get(a)) ? a.compareTo(b) : freq.get(b) - freq.get(a));
        List<String> kept = byFreq.size() <= MAX_SERIES ? byFreq : byFreq.subList(0, MAX_SERIES - 1);
        String other = "other (" + (byFreq.size() - kept.size()) + " labels)";
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (String l : kept) {
            groups.put(l, new ArrayList<>());
        }
        for (int i = 0; i < points.length; i++) {
            String l = labelOf(labels, i);
            groups.computeIfAbsent(groups.containsKey(l) ? l : other, z -> new ArrayList<>()).add(points[i]);
        }
        XYChart chart = new XYChartBuilder().width(720).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setSeriesColors(SCATTER_COLORS);
        for (Map.Entry<String, List<double[]>> e : groups.entrySet()) {
            List<double[]> pts = e.getValue();
            double[] xs = new double[pts.size()];
            double[] ys = new double[pts.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = pts.get(i)[0];
                ys[i] = pts.get(i)[1];
            }
            chart.addSeries(e.getKey() + " (" + xs.length + ")", xs, ys);
        }
        return chart;
    }

    private static String labelOf(String[] labels, int i) {
        return labels == null || labels[i] == null ? "all" : labels[i];
    }
}
