package org.plm4j.train;

import java.time.Duration;

/**
 * Where a running training is, reported after every step.
 *
 * @param step steps completed (1-based)
 * @param totalSteps steps planned
 * @param loss this step's training loss (natural log)
 * @param learningRate the learning rate used for this step
 * @param tokensPerSecond non-padding tokens per second of training so far
 * @param elapsed time since the first step started (evaluations included)
 * @param remaining estimated time left, from the average step time so far
 */
public record TrainingProgress(int step, int totalSteps, double loss, double learningRate, double tokensPerSecond,
                               Duration elapsed, Duration remaining) {

    /** Completed share in [0, 1]. */
    public double fraction() {
        return totalSteps == 0 ? 1 : (double) step / totalSteps;
    }

    @Override
    public String toString() {
        return String.format("step %d/%d loss %.4f lr %.2e %.0f tok/s elapsed %ds left %ds", step, totalSteps, loss,
                learningRate, tokensPerSecond, elapsed.toSeconds(), remaining.toSeconds());
    }
}
