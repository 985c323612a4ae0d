package org.plm4j.embed;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Fixed-size vectors for a list of texts (one row per text, in order), with optional labels.
 * Immutable: accessors return copies. Displays as a cosine-similarity heat map and a
 * nearest-neighbour table of the first {@value #MAX_HEAT_MAP_TEXTS} texts (neighbours among all).
 */
public final class Embeddings implements Displayable {

    /** Texts that {@link #toHtml()} shows in the heat map and as nearest-neighbour queries. */
    public static final int MAX_HEAT_MAP_TEXTS = 40;

    /** Neighbours per text in {@link #toHtml()}'s nearest-neighbour table. */
    public static final int DISPLAY_NEIGHBOURS = 3;

    private final List<String> texts;
    private final List<String> labels;
    private final float[][] vectors;

    /**
     * @param texts the embedded texts
     * @param labels one label per text, or null
     * @param vectors one vector per text, all of the same length
     */
    public Embeddings(List<String> texts, List<String> labels, float[][] vectors) {
        if (texts.size() != vectors.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + vectors.length + " vectors");
        }
        if (labels != null && labels.size() != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.size() + " labels");
        }
        this.texts = List.copyOf(texts);
        this.labels = labels == null ? null : List.copyOf(labels);
        this.vectors = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != vectors[0].length) {
                throw new IllegalArgumentException("vector " + i + " has length " + vectors[i].length + ", expected "
                        + vectors[0].length);
            }
            this.vectors[i] = vectors[i].clone();
        }
    }

    /** Number of texts. */
    public int size() {
        return texts.size();
    }

    /** Vector length (0 when empty). */
    public int dimension() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    public List<String> texts() {
        return texts;
    }

    /** The labels, one per text, or an empty list when none were given. */
    public List<String> labels() {
        return labels == null ? List.of() : labels;
    }

    /** Whether labels were given. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** Vector of text {@code i} (a copy). */
    public float[] vector(int i) {
        return vectors[i].clone();
    }

    /** The vectors as a copy. */
    public float[][] vectors() {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = vectors[i].clone();
        }
        return out;
    }

    /** The vectors as a {@code size() x dimension()} double matrix (for PCA). */
    public double[][] matrix() {
        double[][] out = new double[vectors.length][dimension()];
        for (int i = 0; i < vectors.length; i++) {
            for (int j = 0; j < vectors[i].length; j++) {
                out[i][j] = vectors[i][j];
            }
        }
        return out;
    }

    /** A table with columns text, label (if any) and {@code e0 .. e<d-1>}. */
    public Table toTable() {
        Table t = Table.create("embeddings", StringColumn.create("text", texts));
        if (labels != null) {
            t.addColumns(StringColumn.create("label", labels));
        }
        List<DoubleColumn> cols = new ArrayList<>();
        for (int j = 0; j < dimension(); j++) {
            double[] v = new double[vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                v[i] = vectors[i][j];
            }
            cols.add(DoubleColumn.create("e" + j, v));
        }
        cols.forEach(t::addColumns);
        return t;
    }

    /** The label of text {@code i}, if labels were given. */
    public Optional<String> label(int i) {
        return labels == null ? Optional.empty() : Optional.of(labels.get(i));
    }

    /** Cosine similarity of texts {@code i} and {@code j} (0 when either vector is zero). */
    public double cosine(int i, int j) {
        float[] a = vectors[i];
        float[] b = vectors[j];
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += (double) a[k] * b[k];
            na += (double) a[k] * a[k];
            nb += (double) b[k] * b[k];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** The {@code size() x size()} matrix of cosine similarities. */
    public double[][] cosineSimilarities() {
        int n = size();
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                s[i][j] = cosine(i, j);
                s[j][i] = s[i][j];
            }
        }
        return s;
    }

    /**
     * For each text its {@code k} most similar other texts by cosine: columns text, rank (1 = most
     * similar), neighbour, cosine, and the two labels when there are labels.
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Table nearestNeighbours(int k) {
        return nearestNeighbours(k, size());
    }

    /** {@link #nearestNeighbours(int)} of the first {@code queries} texts only (each against all texts). */
    public Table nearestNeighbours(int k, int queries) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int q = Math.min(queries, size());
        double[][] s = new double[q][size()];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < size(); j++) {
                s[i][j] = cosine(i, j);
            }
        }
        StringColumn text = StringColumn.create("text");
        IntColumn rank = IntColumn.create("rank");
        StringColumn neighbour = StringColumn.create("neighbour");
        DoubleColumn cos = DoubleColumn.create("cosine");
        StringColumn label = StringColumn.create("label");
        StringColumn neighbourLabel = StringColumn.create("neighbour label");
        for (int i = 0; i < q; i++) {
            final int row = i;
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < size(); j++) {
                if (j != i) {
                    order.add(j);
                }
            }
            order.sort((x, y) -> Double.compare(s[row][y], s[row][x]));
            for (int r = 0; r < Math.min(k, order.size()); r++) {
                int j = order.get(r);
                text.append(texts.get(i));
                rank.append(r + 1);
                neighbour.append(texts.get(j));
                cos.append(s[i][j]);
                if (labels != null) {
                    label.append(labels.get(i));
                    neighbourLabel.append(labels.get(j));
                }
            }
        }
        Table t = Table.create("nearest neighbours by cosine", text, rank, neighbour, cos);
        if (labels != null) {
            t.addColumns(label, neighbourLabel);
        }
        return t;
    }

    /** A heat map of the cosine similarities of the first {@code min(size, n)} texts (texts shortened as axis labels). */
    public HeatMapChart similarityHeatMap(int n) {
        int m = Math.min(size(), n);
        if (m < 1) {
            throw new IllegalArgumentException("no texts to show (size " + size() + ", n " + n + ")");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            String t = texts.get(i);
            String shortText = (i + 1) + ". " + (t.length() > 24 ? t.substring(0, 22) + "…" : t);
            names.add(shortText);
        }
        int side = Math.max(400, Math.min(1200, 220 + 22 * m));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 160).height(side)
                .title("cosine similarity of " + m + " texts").build();
        HeatMapStyler styler = chart.getStyler();
        styler.setShowValue(m <= 12);
        styler.setRangeColors(new Color[] {Color.WHITE, new Color(0x9E, 0xCA, 0xE1), new Color(0x08, 0x30, 0x6B)});
        styler.setPlotContentSize(1.0);
        styler.setXAxisLabelRotation(45);
        styler.setLegendVisible(false);
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                // first text on top, as in a printed matrix
                cells.add(new Number[] {j, m - 1 - i, Math.round(cosine(i, j) * 100) / 100.0});
            }
        }
        List<String> yNames = new ArrayList<>(names);
        java.util.Collections.reverse(yNames);
        chart.addSeries("cosine", names, yNames, cells);
        return chart;
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder("<div class=\"plm4j-embeddings\"><p>")
                .append(Html.escape(String.format("%d texts x %d dimensions", size(), dimension()))).append("</p>");
        if (size() >= 2) {
            b.append(Html.image(similarityHeatMap(MAX_HEAT_MAP_TEXTS)));
            b.append(Html.table(nearestNeighbours(DISPLAY_NEIGHBOURS, MAX_HEAT_MAP_TEXTS)));
        }
        return b.append("</div>").toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("Embeddings[%d texts x %d dimensions%s]", size(), dimension(),
                labels == null ? "" : ", " + labels.stream().distinct().count() + " labels"));
        for (int i = 0; i < Math.min(3, size()); i++) {
            String t = texts.get(i);
            sb.append("\n  ").append(t.length() > 60 ? t.substring(0, 57) + "..." : t);
            if (labels != null) {
                sb.append("  [").append(labels.get(i)).append(']');
            }
        }
        if (size() > 3) {
            sb.append("\n  ...");
        }
        return sb.toString();
    }
}
