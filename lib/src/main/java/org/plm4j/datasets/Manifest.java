package org.plm4j.datasets;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.List;
import java.util.Map;

/**
 * What a built dataset holds, as written to {@code manifest.json} in the cache and printed by
 * {@code ./plm4j dataset info NAME}: counts per split, label distribution, checksums, the source
 * package and its version, how duplicates were handled, and for a corpus what its default
 * training text excludes. A run record can carry it (or just {@link #sha256()}) as data provenance.
 *
 * <p>The manifest depends only on the source data, the recipe version and the split spec (no
 * timestamps), so building twice gives the same manifest.
 *
 * @param name dataset name, e.g. {@code foldoc-topics}
 * @param kind {@code classification} or {@code corpus}
 * @param description one line
 * @param recipeVersion version of the recipe that built it; a change rebuilds the cache
 * @param source where the data came from
 * @param split the split spec used
 * @param dedupe how exact duplicates were removed before splitting
 * @param splits per split ({@code train}, {@code validation}, {@code test}): count, checksum, labels
 * @param labels distinct labels, sorted (empty for a corpus)
 * @param labelCounts texts per label over all splits (empty for a corpus)
 * @param sha256 checksum over the three split checksums
 * @param training for a corpus: the default DAPT/TAPT text and what was excluded from it; null otherwise
 * @param notes recipe-specific facts (filtered entries, label rule, ...)
 * @param skippedRows rows of a user file skipped as malformed (empty for built-in datasets)
 */
public record Manifest(String name, String kind, String description, int recipeVersion, Source source,
        SplitSpec split, Dedupe dedupe, Map<String, SplitInfo> splits, List<String> labels,
        Map<String, Integer> labelCounts, String sha256, Training training, List<String> notes,
        List<RowProblem> skippedRows) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    /**
     * The data source.
     *
     * @param packageName Debian package ({@code wordnet-base}, {@code dict-foldoc}) or null for a user file
     * @param version the package version from dpkg, or the file's SHA-256 for a user file
     * @param files files read
     */
    public record Source(String packageName, String version, List<String> files) {
    }

    /**
     * Duplicate handling: texts are stripped; identical texts with one label keep their first
     * occurrence; identical texts with conflicting labels are all dropped (an ambiguous example
     * belongs to no split).
     *
     * @param input texts before deduplication
     * @param duplicatesRemoved repeated copies removed
     * @param conflictingRemoved texts removed because their copies disagree on the label
     */
    public record Dedupe(int input, int duplicatesRemoved, int conflictingRemoved) {
    }

    /**
     * One split.
     *
     * @param count texts
     * @param sha256 SHA-256 over {@code text\tlabel\n} (or {@code text\n}) per row, in order
     * @param labelCounts texts per label (empty for a corpus)
     */
    public record SplitInfo(int count, String sha256, Map<String, Integer> labelCounts) {
    }

    /**
     * The default training text of a corpus (what {@code CorpusDataset.corpus()} returns and
     * {@code dataset export} writes): the train split minus the excluded task texts.
     *
     * @param count texts
     * @param sha256 same checksum as {@code Corpus.sha256()}
     * @param excluded what was excluded
     */
    public record Training(int count, String sha256, List<Exclusion> excluded) {
    }

    /**
     * Texts kept out of a pretraining corpus because a task evaluates on them.
     *
     * @param source name of the excluded part, e.g. {@code foldoc-topics-test}
     * @param texts texts in that part
     * @param removed corpus documents removed because they match one of them after normalisation
     * @param sha256 checksum of the excluded part's texts
     */
    public record Exclusion(String source, int texts, int removed, String sha256) {
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** Parses {@link #toJson()} output. */
    public static Manifest fromJson(String json) {
        return GSON.fromJson(json, Manifest.class);
    }

    /** Count of a split, 0 if absent. */
    public int count(String split) {
        SplitInfo s = splits.get(split);
        return s == null ? 0 : s.count();
    }
}
