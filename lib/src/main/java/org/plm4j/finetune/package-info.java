/**
 * Fine-tuning an encoder for sequence classification: {@link org.plm4j.finetune.FineTuner} trains a
 * {@link org.plm4j.finetune.SequenceClassifier} ([CLS] or mean pooling, pooler, dropout, linear head)
 * with freezing, class weights (inverse frequency, effective number), the LDAM loss and two-stage
 * fine-tuning for class-imbalanced data, configured by {@link org.plm4j.finetune.FineTuneConfig}.
 * Variants: differentially private fine-tuning of the head (DP-SGD with a
 * {@link org.plm4j.finetune.Privacy} budget, the DP-RAFT recipe) and prototypical or mixed heads
 * ({@link org.plm4j.finetune.Head}).
 */
package org.plm4j.finetune;
