package org.plm4j.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.plm4j.record.RunRecord;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Outcome of a pretraining run: held-out loss and perplexity before and after, the per-step
 * history, throughput and the run record. Immutable.
 *
 * @param config the settings used
 * @param stepsDone completed optimiser steps (fewer than planned if cancelled)
 * @param initial held-out evaluation before the first step
 * @param last the latest held-out evaluation (after the last step when completed)
 * @param rows history, one row per step plus the initial row at step 0
 * @param tokensPerSecond mean training throughput (non-padding tokens/s, evaluations excluded)
 * @param record the run record
 */
public record PretrainResult(PretrainConfig config, int stepsDone, EvalResult initial, EvalResult last,
                             List<Row> rows, double tokensPerSecond, RunRecord record) {

    /**
     * One history row; evaluation columns are NaN on steps without evaluation, the loss is NaN at step 0.
     *
     * @param step step number
     * @param loss training loss of that step
     * @param learningRate learning rate of that step
     * @param evalLoss held-out loss after that step
     * @param perplexity held-out perplexity after that step
     */
    public record Row(int step, double loss, double learningRate, double evalLoss, double perplexity) {}

    /** Copies the rows. */
    public PretrainResult {
        rows = List.copyOf(rows);
    }

    /** Held-out loss before training. */
    public double lossBefore() {
        return initial.loss();
    }

    /** Latest held-out loss (after the last step when completed). */
    public double lossAfter() {
        return last.loss();
    }

    /** Held-out perplexity before training. */
    public double perplexityBefore() {
        return initial.perplexity();
    }

    /** Latest held-out perplexity (after the last step when completed). */
    public double perplexityAfter() {
        return last.perplexity();
    }

    /** Whether all planned steps ran. */
    public boolean completed() {
        return stepsDone == config.steps();
    }

    /** Training losses in step order (no NaN row for step 0). */
    public double[] lossHistory() {
        return rows.stream().filter(r -> r.step() > 0).mapToDouble(Row::loss).toArray();
    }

    /** The run record's directory-independent JSON lives in {@link #record()}; this is its output dir, if any. */
    public Optional<java.nio.file.Path> outputDir() {
        return Optional.ofNullable(config.outputDir());
    }

    /** History as a table: step, loss, lr, eval_loss, perplexity. */
    public Table history() {
        IntColumn step = IntColumn.create("step");
        DoubleColumn loss = DoubleColumn.create("loss");
        DoubleColumn lr = DoubleColumn.create("lr");
        DoubleColumn evalLoss = DoubleColumn.create("eval_loss");
        DoubleColumn ppl = DoubleColumn.create("perplexity");
        for (Row r : rows) {
            step.append(r.step());
            loss.append(r.loss());
            lr.append(r.learningRate());
            evalLoss.append(r.evalLoss());
            ppl.append(r.perplexity());
        }
        return Table.create("pretraining history", step, loss, lr, evalLoss, ppl);
    }

    /** Training loss and held-out loss against the step (renders headless with XChart's BitmapEncoder). */
    public XYChart lossChart() {
        XYChart chart = new XYChartBuilder().width(720).height(400).title("Masked-LM loss")
                .xAxisTitle("step").yAxisTitle("loss (nats)").build();
        chart.getStyler().setxAxisTickLabelsFormattingFunction(stepLabels(rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step()));
        List<Double> sx = new ArrayList<>();
        List<Double> sy = new ArrayList<>();
        List<Double> ex = new ArrayList<>();
        List<Double> ey = new ArrayList<>();
        for (Row r : rows) {
            if (!Double.isNaN(r.loss())) {
                sx.add((double) r.step());
                sy.add(r.loss());
            }
            if (!Double.isNaN(r.evalLoss())) {
                ex.add((double) r.step());
                ey.add(r.evalLoss());
            }
        }
        if (!sx.isEmpty()) {
            chart.addSeries("train", sx, sy).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        if (!ex.isEmpty()) {
            chart.addSeries("held-out", ex, ey).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return chart;
    }

    /**
     * Tick labels for a step axis: XChart puts a tick on every n-th of equally spaced steps and ignores the spacing
     * hint there, so its labels touch; this labels only the ticks at multiples of a round step (1, 2 or 5 times a
     * power of ten) that gives at most about 8 labels, and leaves the others blank.
     */
    static java.util.function.Function<Double, String> stepLabels(int lastStep) {
        long every = 1;
        for (long scale = 1; every == 1 && lastStep > 8; scale *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                if (lastStep <= 8 * m * scale) {
                    every = m * scale;
                    break;
                }
            }
        }
        long step = every;
        return x -> Math.abs(x / step - Math.rint(x / step)) < 1e-9 ? String.format(Locale.ROOT, "%,d", Math.round(x)) : "";
    }

    @Override
    public String toString() {
        return String.format("PretrainResult[%s %d/%d steps, held-out perplexity %.2f -> %.2f (loss %.4f -> %.4f), "
                        + "%.0f tokens/s]", completed() ? "completed" : "cancelled after", stepsDone, config.steps(),
                initial.perplexity(), last.perplexity(), initial.loss(), last.loss(), tokensPerSecond);
    }
}
