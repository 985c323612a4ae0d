package org.plm4j.datasets;

import org.plm4j.display.Displayable;
import tech.tablesaw.api.Table;

/**
 * A built dataset: deterministic train/validation/test splits with a {@link Manifest}.
 *
 * @param <T> what a split holds: {@link org.plm4j.corpus.LabeledTexts} or {@link org.plm4j.corpus.Corpus}
 * Either a {@link LabeledDataset} (classification) or a {@link CorpusDataset} (pretraining text).
 * Values are immutable; {@link #toHtml()} shows the manifest and the class distribution.
 */
public sealed interface Dataset<T> extends Displayable permits LabeledDataset, CorpusDataset {

    /** The dataset's name, e.g. {@code foldoc-topics}. */
    String name();

    /** Counts, labels, checksums and provenance. */
    Manifest manifest();

    /** One row per text: columns {@code split}, {@code text} and, when labelled, {@code label}. */
    Table table();

    /** The training split. */
    T train();

    /** The validation split. */
    T validation();

    /** The test split. */
    T test();

    /** The split named {@code train}, {@code validation} or {@code test}. */
    default T split(String split) {
        return SplitSpec.pick(split, train(), validation(), test());
    }
}
