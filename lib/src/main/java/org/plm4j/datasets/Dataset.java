package org.plm4j.datasets;

import org.plm4j.display.Displayable;
import tech.tablesaw.api.Table;

/**
 * A built dataset: deterministic train/validation/test splits with a {@link Manifest}.
 * Either a {@link LabeledDataset} (classification) or a {@link CorpusDataset} (pretraining text).
 * Values are immutable; {@link #toHtml()} shows the manifest and the class distribution.
 */
public sealed interface Dataset extends Displayable permits LabeledDataset, CorpusDataset {

    /** The dataset's name, e.g. {@code foldoc-topics}. */
    String name();

    /** Counts, labels, checksums and provenance. */
    Manifest manifest();

    /** One row per text: columns {@code split}, {@code text} and, when labelled, {@code label}. */
    Table table();
}
