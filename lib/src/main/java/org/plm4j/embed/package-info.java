/** Sentence embeddings (mean-pooled hidden states) of texts under an encoder, for PCA and plots. */
package org.plm4j.embed;
