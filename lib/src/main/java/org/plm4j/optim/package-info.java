/** Optimisers shared by pretraining and fine-tuning ({@link org.plm4j.optim.AdamW}). */
package org.plm4j.optim;
