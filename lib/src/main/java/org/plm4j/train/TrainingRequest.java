package org.plm4j.train;

import java.util.function.BooleanSupplier;

/**
 * What every training request shares, whatever it trains: who hears its progress and what can
 * stop it. Pretraining, fine-tuning and the loop itself extend it, so the two settings have one
 * spelling and one meaning everywhere.
 *
 * @param <B> the concrete builder, returned by the setters for chaining
 */
public abstract class TrainingRequest<B extends TrainingRequest<B>> {

    /** Receives progress on the training thread. */
    protected TrainingListener listener = TrainingListener.NONE;
    /** Polled before each step together with the thread's interrupt flag. */
    protected BooleanSupplier cancel = () -> false;

    /** For subclasses. */
    protected TrainingRequest() {}

    /** This builder, typed. */
    protected abstract B self();

    /** Receives progress on the training thread (null: none). */
    public B optListener(TrainingListener listener) {
        this.listener = listener == null ? TrainingListener.NONE : listener;
        return self();
    }

    /**
     * Polled before each step together with the thread's interrupt flag; {@code true} stops the
     * run at the next step boundary (null: only the interrupt flag stops it).
     */
    public B optCancel(BooleanSupplier cancel) {
        this.cancel = cancel == null ? () -> false : cancel;
        return self();
    }
}
