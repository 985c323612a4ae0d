package org.plm4j.experiment;

/**
 * A method of an {@link Experiment} failed for one seed. The message names the method and the
 * seed; the cause is the original error. The experiment keeps the methods that completed before.
 */
public final class ExperimentException extends RuntimeException {

    private final String method;
    private final long seed;

    ExperimentException(String method, long seed, Throwable cause) {
        super("method '" + method + "' failed for seed " + seed + ": " + cause, cause);
        this.method = method;
        this.seed = seed;
    }

    /** The method's name as given to {@link Experiment#run}. */
    public String method() {
        return method;
    }

    /** The seed the method failed for. */
    public long seed() {
        return seed;
    }
}
