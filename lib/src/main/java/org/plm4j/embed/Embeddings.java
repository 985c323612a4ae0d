package org.plm4j.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Fixed-size vectors for a list of texts (one row per text, in order), with optional labels.
 * Immutable: accessors return copies.
 */
public final class Embeddings {

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
