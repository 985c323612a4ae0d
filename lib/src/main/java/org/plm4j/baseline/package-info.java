/**
 * Baselines every fine-tuned classifier should beat, each a {@link org.plm4j.classify.TextClassifier}
 * so {@link org.plm4j.evaluate.ClassificationEvaluation} scores them like any other model:
 *
 * <ul>
 *   <li>{@link org.plm4j.baseline.MajorityClassifier}: always the most frequent training label;</li>
 *   <li>{@link org.plm4j.baseline.TfIdfLogisticRegression}: TF-IDF word n-grams into Tribuo's
 *       multinomial logistic regression ({@link org.plm4j.baseline.TfIdfConfig});</li>
 *   <li>{@link org.plm4j.baseline.LinearProbe}: frozen mean-pooled encoder embeddings into the same
 *       logistic regression, which measures what pretraining put into the representations.</li>
 * </ul>
 *
 * <p>Training is seeded: the same data, configuration and seed give identical predictions.
 *
 * <pre>{@code
 * LabeledDataset task = Datasets.task("foldoc-topics");
 * TextClassifier tfidf = TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.defaults());
 * ClassificationEvaluation.of(tfidf, task.test()).macroF1();
 * }</pre>
 */
package org.plm4j.baseline;
