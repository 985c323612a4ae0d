/**
 * Back-translated task-adaptive pretraining (BT-TAPT, Lee et al. 2021) as one pipeline
 * ({@link org.plm4j.bttapt.BtTapt}): paraphrase the task's training text by back-translation,
 * continue pretraining (TAPT) on originals plus paraphrases, fine-tune, and evaluate on clean and
 * paraphrased test text. Every step writes its run record, so the lineage is visible.
 */
package org.plm4j.bttapt;
