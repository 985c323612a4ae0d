package org.plm4j.pca;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.plm4j.corpus.Corpus;
import org.plm4j.tokenizer.Tokenizer;

/**
 * A document-term count matrix: one row per document of a {@link Corpus}, one column per kept
 * token of a {@link Tokenizer} (special tokens never count), the input of {@link GlmPca}.
 * Columns are the tokens with a total count of at least {@code minCount}, the most frequent
 * first (ties by token id), at most {@code maxTerms} of them. Immutable: accessors return copies.
 *
 * <p>A document whose tokens all fall outside the kept columns becomes an all-zero row; GLM-PCA
 * with size factors rejects such rows, so {@link #withoutEmptyRows()} drops them and
 * {@link #documentIndex()} says which document each remaining row is (to subset labels alike).
 */
public final class CountMatrix {

    public static final int DEFAULT_MAX_TERMS = 2000;
    public static final int DEFAULT_MIN_COUNT = 2;

    private final String name;
    private final double[][] counts;
    private final List<String> terms;
    private final int[] documentIndex;

    private CountMatrix(String name, double[][] counts, List<String> terms, int[] documentIndex) {
        this.name = name;
        this.counts = counts;
        this.terms = List.copyOf(terms);
        this.documentIndex = documentIndex;
    }

    /** Counts of {@code corpus} under {@code tokenizer}, with the default term cap and minimum count. */
    public static CountMatrix of(Corpus corpus, Tokenizer tokenizer) {
        return of(corpus, tokenizer, DEFAULT_MAX_TERMS, DEFAULT_MIN_COUNT);
    }

    /**
     * Counts of {@code corpus} under {@code tokenizer}, keeping at most {@code maxTerms} tokens,
     * each with a total count of at least {@code minCount}.
     *
     * @throws IllegalArgumentException if {@code maxTerms} &lt; 1, {@code minCount} &lt; 1, or no
     *     token reaches {@code minCount}
     */
    public static CountMatrix of(Corpus corpus, Tokenizer tokenizer, int maxTerms, int minCount) {
        if (maxTerms < 1) {
            throw new IllegalArgumentException("maxTerms must be >= 1, got " + maxTerms);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        }
        int[][] ids = tokenizer.encodeBatch(corpus.texts());
        long[] total = new long[tokenizer.vocabSize()];
        for (int[] doc : ids) {
            for (int id : doc) {
                if (!tokenizer.isSpecial(id)) {
                    total[id]++;
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int id = 0; id < total.length; id++) {
            if (total[id] >= minCount) {
                kept.add(id);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no token occurs " + minCount + " or more times in corpus '"
                    + corpus.name() + "' (" + corpus.size() + " documents); lower minCount");
        }
        kept.sort((a, b) -> total[a] != total[b] ? Long.compare(total[b], total[a]) : Integer.compare(a, b));
        List<Integer> columns = kept.subList(0, Math.min(maxTerms, kept.size()));
        int[] column = new int[total.length];
        Arrays.fill(column, -1);
        List<String> terms = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            column[columns.get(c)] = c;
            terms.add(tokenizer.token(columns.get(c)));
        }
        double[][] counts = new double[ids.length][columns.size()];
        int[] index = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            index[i] = i;
            for (int id : ids[i]) {
                if (id >= 0 && id < column.length && column[id] >= 0) {
                    counts[i][column[id]]++;
                }
            }
        }
        return new CountMatrix(corpus.name(), counts, terms, index);
    }

    /** The corpus name. */
    public String name() {
        return name;
    }

    /** Number of rows (documents). */
    public int documents() {
        return counts.length;
    }

    /** The column tokens, most frequent first. */
    public List<String> terms() {
        return terms;
    }

    /** The documents &times; terms counts (copy). */
    public double[][] counts() {
        return GiniPcaResult.copy(counts);
    }

    /** For each row, the index of its document in the corpus. */
    public int[] documentIndex() {
        return documentIndex.clone();
    }

    /** This matrix without the rows that have no count at all. */
    public CountMatrix withoutEmptyRows() {
        List<double[]> rows = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (Arrays.stream(counts[i]).sum() > 0) {
                rows.add(counts[i].clone());
                index.add(documentIndex[i]);
            }
        }
        return new CountMatrix(name, rows.toArray(double[][]::new), terms,
                index.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public String toString() {
        long nonZero = Arrays.stream(counts).flatMapToDouble(Arrays::stream).filter(v -> v > 0).count();
        return String.format(Locale.ROOT, "CountMatrix[%s: %d documents x %d terms, %.2f %% non-zero]", name,
                counts.length, terms.size(), counts.length == 0 || terms.isEmpty() ? 0.0
                        : 100.0 * nonZero / ((double) counts.length * terms.size()));
    }
}
