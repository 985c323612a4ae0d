/**
 * Readers of real, locally installed data sources (Debian packages), turned into
 * {@link org.plm4j.corpus.Corpus} and {@link org.plm4j.corpus.LabeledTexts} values. Nothing is
 * downloaded: a missing source fails with the {@code apt-get install} line that provides it.
 *
 * <p>{@link org.plm4j.datasets.WordNet}: WordNet 3.0 glosses labelled by lexicographer file.
 */
package org.plm4j.datasets;
