/**
 * The one training skeleton shared by pretraining, adaptation and fine-tuning:
 * {@link org.plm4j.train.TrainingLoop} (steps, native-memory scopes, cancellation, accumulation,
 * AdamW with clipping, schedules, evaluation, early stopping, checkpoints), one listener type
 * ({@link org.plm4j.train.TrainingListener}), the optimiser defaults
 * ({@link org.plm4j.train.OptimizerSettings}) and the seeded randomness every run shares
 * ({@link org.plm4j.train.Seeds}).
 */
package org.plm4j.train;
