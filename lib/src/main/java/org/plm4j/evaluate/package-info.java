/**
 * Evaluation of text classifiers: {@link org.plm4j.evaluate.ClassificationEvaluation} scores any
 * {@link org.plm4j.classify.TextClassifier} (a fine-tuned encoder, a baseline) on labelled texts.
 *
 * <p>The numbers are Tribuo's: predictions are handed to Tribuo's
 * {@link org.tribuo.classification.evaluation.LabelEvaluator} and every metric is read from the
 * resulting {@link org.tribuo.classification.evaluation.LabelEvaluation}, which
 * {@link org.plm4j.evaluate.ClassificationEvaluation#tribuo()} exposes. Macro averages run over the
 * classifier's labels, so a class the classifier knows but never predicts counts with F1 = 0.
 *
 * <pre>{@code
 * ClassificationEvaluation e = ClassificationEvaluation.of(classifier, task.test());
 * e.accuracy(); e.macroF1(); e.perClassTable(); e.confusionChart();
 * e.headTail(task.train().labelCounts());   // macro-F1 of frequent vs rare classes
 * }</pre>
 *
 * <p>Perplexity of masked language models lives in {@link org.plm4j.pretrain.Perplexity}.
 */
package org.plm4j.evaluate;
