package org.plm4j.experiment;

import org.plm4j.record.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.plm4j.record.RunRecord;
import org.plm4j.record.RunRecords;

/**
 * The runs of one method of an {@link Experiment}, one {@link RunRecord} per seed, and their
 * summary: {@link #stats(String)} gives the mean and sample standard deviation of any metric the
 * records hold (see the {@code Experiment} metric names, e.g. {@link Experiment#TEST_MACRO_F1}).
 * Everything is computed from the records, so a result rebuilt from {@code run.json} files
 * ({@link Comparison#fromRecords}) has the same numbers.
 *
 * @param method the method's name, e.g. {@code "TF-IDF + LR"}
 * @param runs the records, in the order the seeds ran
 */
public record MethodResult(String method, List<RunRecord> runs) implements Displayable {

    /**
     * Copies the runs.
     *
     * @throws IllegalArgumentException if there is no run
     */
    public MethodResult {
        Objects.requireNonNull(method, "method");
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("method '" + method + "' has no runs");
        }
    }

    /** The seeds, in run order. */
    public List<Long> seeds() {
        return runs.stream().map(RunRecord::seed).toList();
    }

    /** Mean and sample standard deviation of {@code metric} over the runs (NaN where a run lacks it). */
    public MeanSd stats(String metric) {
        return MeanSd.of(runs.stream().mapToDouble(r -> r.metric(metric)).toArray());
    }

    /** Mean of {@code metric} over the runs. */
    public double mean(String metric) {
        return stats(metric).mean();
    }

    /** Sample standard deviation ({@code n - 1}) of {@code metric} over the runs; 0 for one run. */
    public double sd(String metric) {
        return stats(metric).sd();
    }

    /** Names of the extra evaluation sets (see {@link Experiment.Builder#addExtraTestSet}), in order. */
    public List<String> extraTestSets() {
        Set<String> names = new LinkedHashSet<>();
        for (RunRecord r : runs) {
            if (r.config().get(Experiment.CONFIG_EXTRA_TEST_SETS) instanceof List<?> l) {
                l.forEach(n -> names.add(String.valueOf(n)));
            }
        }
        return new ArrayList<>(names);
    }

    /** The runs' records as a table (one row per seed, see {@link RunRecords#table}). */
    public tech.tablesaw.api.Table runsTable() {
        return RunRecords.table(runs).setName(method + ": runs");
    }

    @Override
    public String toHtml() {
        return "<div><b>" + Html.escape(method) + "</b>: " + runs.size() + " runs, test accuracy "
                + Html.escape(stats(Metrics.TEST_ACCURACY)) + ", macro-F1 " + Html.escape(stats(Metrics.TEST_MACRO_F1))
                + "</div>" + Html.table(runsTable());
    }

    @Override
    public String toString() {
        return "MethodResult[" + method + ", seeds " + seeds() + ", test accuracy " + stats(Metrics.TEST_ACCURACY)
                + ", macro-F1 " + stats(Metrics.TEST_MACRO_F1) + "]";
    }
}
