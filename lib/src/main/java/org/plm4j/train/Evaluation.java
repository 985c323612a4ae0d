package org.plm4j.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One scheduled evaluation of a training run: when it happened and what it measured.
 *
 * @param step optimiser steps done when it ran (0: before training)
 * @param stage the training stage (1 unless the run has stages)
 * @param epoch the epoch it closes, or 0 for step-scheduled evaluations
 * @param metrics measured values by snake_case name, e.g. {@code heldout_loss}, {@code validation_macro_f1}
 */
public record Evaluation(int step, int stage, int epoch, Map<String, Double> metrics) {

    /** Copies the metrics (unmodifiable, in order). */
    public Evaluation {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A metric, or NaN when this evaluation did not measure it. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    @Override
    public String toString() {
        String where = epoch > 0 ? String.format(Locale.ROOT, "stage %d epoch %d", stage, epoch) : "step " + step;
        return where + ": " + metrics.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
