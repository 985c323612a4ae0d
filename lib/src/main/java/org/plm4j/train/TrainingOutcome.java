package org.plm4j.train;

/**
 * How a training run ended, as its listener sees it.
 *
 * @param status {@code completed}, {@code stopped-early} or {@code cancelled}
 * @param stepsDone optimiser steps run
 * @param totalSteps steps planned
 * @param summary one line for a person, e.g. "held-out perplexity 530.2 → 264.1"
 */
public record TrainingOutcome(String status, int stepsDone, int totalSteps, String summary) {

    /** Whether the run was cancelled before its planned end. */
    public boolean cancelled() {
        return "cancelled".equals(status);
    }
}
