/**
 * Corpora: immutable, named, checksummed lists of documents ({@link org.plm4j.corpus.Corpus}),
 * read from files by {@link org.plm4j.corpus.Corpora}, split deterministically into train and
 * held-out parts ({@link org.plm4j.corpus.CorpusSplit}), and labelled texts for classification
 * ({@link org.plm4j.corpus.LabeledTexts}).
 *
 * <p>Every random operation takes an explicit seed; readers fail with a message naming the path
 * or saying that the source is empty.
 */
package org.plm4j.corpus;
