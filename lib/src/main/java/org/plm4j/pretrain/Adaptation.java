package org.plm4j.pretrain;

/**
 * What a masked-LM run is, for the run record and the model's lineage.
 *
 * <ul>
 *   <li>{@link #PRETRAIN}: pretraining from scratch (or continued on the same kind of text);</li>
 *   <li>{@link #DAPT}: domain-adaptive pretraining (Gururangan et al. 2020): continue on a corpus
 *       of the target domain;</li>
 *   <li>{@link #TAPT}: task-adaptive pretraining: continue on the unlabeled text of the task itself.</li>
 * </ul>
 * DAPT and TAPT are the same loop as pretraining, started from a trained model; see
 * {@link Pretrainer#continuePretraining}.
 */
public enum Adaptation {
    /** Pretraining (from scratch). */
    PRETRAIN,
    /** Domain-adaptive pretraining on a domain corpus. */
    DAPT,
    /** Task-adaptive pretraining on the task's unlabeled text. */
    TAPT;

    /** Lower-case name used in lineage and run records ({@code pretrain}, {@code dapt}, {@code tapt}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
