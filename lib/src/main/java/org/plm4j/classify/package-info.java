/**
 * What every text classifier in plm4j shares: {@link org.plm4j.classify.TextClassifier} (a fine-tuned
 * encoder, a TF-IDF baseline, a linear probe) and the {@link org.plm4j.classify.Prediction} it returns,
 * so evaluation, experiments and robustness checks take any of them through one code path.
 */
package org.plm4j.classify;
