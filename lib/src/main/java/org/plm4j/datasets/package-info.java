/**
 * Readers of real, locally installed data sources (Debian packages), and the datasets built from
 * them. Nothing is downloaded: a missing source fails with the {@code apt-get install} line that
 * provides it.
 *
 * <ul>
 * <li>{@link org.plm4j.datasets.WordNet}: WordNet 3.0 glosses labelled by lexicographer file.</li>
 * <li>{@link org.plm4j.datasets.Foldoc}: FOLDOC definitions with their category tags (dictd format).</li>
 * <li>{@link org.plm4j.datasets.Datasets}: the built-in datasets {@code wordnet-glosses},
 *     {@code wordnet-supersenses}, {@code foldoc}, {@code foldoc-topics}, built into a local cache
 *     ({@link org.plm4j.datasets.DatasetStore}) as a {@link org.plm4j.datasets.LabeledDataset} or a
 *     {@link org.plm4j.datasets.CorpusDataset}: deduplicated, seeded train/validation/test splits
 *     (stratified where labelled, {@link org.plm4j.datasets.SplitSpec}) and a
 *     {@link org.plm4j.datasets.Manifest}. A corpus's default training text excludes its paired
 *     task's evaluation texts and records the exclusion.</li>
 * <li>{@link org.plm4j.datasets.TextFiles}: users' CSV/TSV/JSONL files, malformed rows reported by
 *     line number ({@link org.plm4j.datasets.RowProblem}), skipped only when asked.</li>
 * </ul>
 */
package org.plm4j.datasets;
