package org.plm4j.finetune;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.plm4j.evaluate.ClassificationEvaluation;
import org.plm4j.record.Metrics;
import org.plm4j.record.RunRecord;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What a fine-tuning run produced: the classifier (with the best validation weights), the history
 * per epoch, the validation evaluation of the kept weights and the run record.
 *
 * @param classifier the fine-tuned classifier (close it when done)
 * @param history one row per epoch of every stage
 * @param bestEpoch the epoch (of the last stage) whose weights were kept
 * @param stoppedEarly whether patience ran out before the last epoch
 * @param validation the kept weights' evaluation on the validation split
 * @param test the kept weights' evaluation on the test split, or null when none was given
 * @param record the run's provenance (also in {@code outputDir/run.json} when set)
 */
public record FineTuneResult(SequenceClassifier classifier, List<Row> history, int bestEpoch, boolean stoppedEarly,
                             ClassificationEvaluation validation, ClassificationEvaluation test, RunRecord record)
        implements Displayable {

    /**
     * One epoch.
     *
     * @param stage 1 or 2 for two-stage fine-tuning, else 1
     * @param epoch epoch within the stage, from 1
     * @param trainLoss mean training loss over the epoch
     * @param validationAccuracy accuracy on the validation split after the epoch
     * @param validationMacroF1 macro-F1 on the validation split after the epoch
     * @param seconds wall time of the epoch including validation
     */
    public record Row(int stage, int epoch, double trainLoss, double validationAccuracy, double validationMacroF1,
                      double seconds) {
        @Override
        public String toString() {
            return String.format("stage %d epoch %d: train loss %.4f, validation accuracy %.4f, macro-F1 %.4f (%.1f s)",
                    stage, epoch, trainLoss, validationAccuracy, validationMacroF1, seconds);
        }
    }

    public FineTuneResult {
        history = List.copyOf(history);
    }

    /** The history as a table. */
    public Table historyTable() {
        Table t = Table.create("fine-tuning history");
        t.addColumns(IntColumn.create("stage", history.stream().mapToInt(Row::stage).toArray()),
                IntColumn.create("epoch", history.stream().mapToInt(Row::epoch).toArray()),
                DoubleColumn.create("train loss", history.stream().mapToDouble(Row::trainLoss).toArray()),
                DoubleColumn.create("validation accuracy", history.stream().mapToDouble(Row::validationAccuracy).toArray()),
                DoubleColumn.create("validation macro-F1", history.stream().mapToDouble(Row::validationMacroF1).toArray()),
                DoubleColumn.create("seconds", history.stream().mapToDouble(Row::seconds).toArray()));
        return t;
    }

    /** Training loss and validation macro-F1 per epoch (epochs of all stages in order). */
    public XYChart chart() {
        XYChart c = new XYChartBuilder().width(640).height(320).title("Fine-tuning").xAxisTitle("epoch").build();
        double[] x = new double[history.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        c.addSeries("train loss", x, history.stream().mapToDouble(Row::trainLoss).toArray());
        c.addSeries("validation macro-F1", x, history.stream().mapToDouble(Row::validationMacroF1).toArray());
        return c;
    }

    /**
     * The privacy guarantee of a differentially private run: epsilon spent, delta, steps, sigma, C
     * and q; empty for a non-private run.
     */
    public String privacy() {
        if (!record.metrics().containsKey(Metrics.DP_SIGMA)) {
            return "";
        }
        return String.format(java.util.Locale.ROOT,
                "DP-SGD: (epsilon %.3g, delta %.3g) after %d steps; sigma %.4g, clipping norm C %.3g, sampling rate q %.4g",
                record.metric(Metrics.DP_EPSILON), record.metric(Metrics.DP_DELTA), (long) record.metric(Metrics.DP_STEPS),
                record.metric(Metrics.DP_SIGMA), record.metric(Metrics.DP_CLIP), record.metric(Metrics.DP_SAMPLING_RATE));
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder();
        sb.append("<div><b>Fine-tuned ").append(Html.escape(classifier.name())).append("</b>: kept epoch ")
                .append(bestEpoch).append(stoppedEarly ? " (stopped early)" : "")
                .append(String.format(", %.1f s", record.timings().wallSeconds())).append("</div>");
        if (!privacy().isEmpty()) {
            sb.append("<div>").append(Html.escape(privacy())).append("</div>");
        }
        sb.append(Html.table(historyTable()));
        sb.append("<div>Validation</div>").append(validation.toHtml());
        if (test != null) {
            sb.append("<div>Test</div>").append(test.toHtml());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format("fine-tuned %d epochs (kept %d%s): validation accuracy %.4f macro-F1 %.4f%s",
                history.size(), bestEpoch, stoppedEarly ? ", stopped early" : "", validation.accuracy(),
                validation.macroF1(), test == null ? "" : String.format("; test accuracy %.4f macro-F1 %.4f",
                        test.accuracy(), test.macroF1())) + (privacy().isEmpty() ? "" : "; " + privacy());
    }
}
