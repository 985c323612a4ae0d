/**
 * Masked-language-model pretraining: configuration, dynamic masking, sequence packing, the
 * training loop ({@link org.plm4j.pretrain.Pretrainer}) with progress listener and cancellation,
 * held-out perplexity ({@link org.plm4j.pretrain.Perplexity}; per word with
 * {@link org.plm4j.pretrain.WordPerplexity} when vocabularies differ) and results with history and charts.
 */
package org.plm4j.pretrain;
