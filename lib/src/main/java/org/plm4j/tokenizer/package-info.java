/**
 * Subword tokenizers: the {@link org.plm4j.tokenizer.Tokenizer} contract used by models and
 * pretraining, a WordPiece trainer ({@link org.plm4j.tokenizer.WordPieceTrainer}, configured by
 * {@link org.plm4j.tokenizer.WordPieceConfig}) and the resulting
 * {@link org.plm4j.tokenizer.WordPieceTokenizer}, saved as a Hugging Face {@code tokenizer.json}
 * and encoded by DJL's native Hugging Face tokenizer, with a pure-Java reference encoder
 * ({@link org.plm4j.tokenizer.WordPieceEncoder}) over the same vocabulary;
 * {@link org.plm4j.tokenizer.Segmentation} counts pieces per word and words with [UNK] on any text.
 */
package org.plm4j.tokenizer;
