/**
 * Fine-tuning an encoder for sequence classification: {@link org.plm4j.finetune.FineTuner} trains a
 * {@link org.plm4j.finetune.SequenceClassifier} ([CLS] or mean pooling, pooler, dropout, linear head)
 * with freezing, class weights (inverse frequency, effective number), the LDAM loss and two-stage
 * fine-tuning for class-imbalanced data, configured by {@link org.plm4j.finetune.FineTuneConfig}.
 */
package org.plm4j.finetune;
