package org.plm4j.pretrain;

/**
 * What a masked-LM run is, for the run record and the model's lineage.
 *
 * <ul>
 *   <li>{@link #PRETRAIN}: pretraining from scratch (or continued on the same kind of text);</li>
 *   <li>{@link #DAPT}: domain-adaptive pretraining (Gururangan et al. 2020): continue on a corpus
 *       of the target domain;</li>
 *   <li>{@link #TAPT}: task-adaptive pretraining: continue on the unlabeled text of the task itself;</li>
 *   <li>{@link #SELF_PRETRAINING}: self-pretraining (Krishna et al. 2022): pretraining from scratch on
 *       the task's own training text only ({@link Pretrainer#selfPretrain}).</li>
 * </ul>
 * DAPT and TAPT are the same loop as pretraining, started from a trained model; see
 * {@code Pretrainer.builder()...optAdaptation(...)}.
 */
public enum Adaptation {
    /** Pretraining (from scratch). */
    PRETRAIN,
    /** Domain-adaptive pretraining on a domain corpus. */
    DAPT,
    /** Task-adaptive pretraining on the task's unlabeled text. */
    TAPT,
    /** Pretraining from scratch on the task's own training text only. */
    SELF_PRETRAINING;

    /**
     * Lower-case name used in lineage and run records ({@code pretrain}, {@code dapt}, {@code tapt},
     * {@code self-pretraining}).
     */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
