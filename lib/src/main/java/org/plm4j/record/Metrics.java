package org.plm4j.record;

import java.util.Locale;

/**
 * The metric names run records share, all snake_case, so that records of different kinds line up
 * in one table ({@link RunRecords#table}, {@code Comparison.fromRecords}).
 */
public final class Metrics {

    /** Accuracy on the test split. */
    public static final String TEST_ACCURACY = "test_accuracy";
    /** Macro-F1 on the test split. */
    public static final String TEST_MACRO_F1 = "test_macro_f1";
    /** Micro-F1 on the test split. */
    public static final String TEST_MICRO_F1 = "test_micro_f1";
    /** Macro-F1 of the frequent classes on the test split. */
    public static final String TEST_HEAD_MACRO_F1 = "test_head_macro_f1";
    /** Macro-F1 of the rare classes on the test split (NaN when the tail is empty). */
    public static final String TEST_TAIL_MACRO_F1 = "test_tail_macro_f1";
    /** Accuracy on the validation split. */
    public static final String VALIDATION_ACCURACY = "validation_accuracy";
    /** Macro-F1 on the validation split. */
    public static final String VALIDATION_MACRO_F1 = "validation_macro_f1";
    /** Micro-F1 on the validation split. */
    public static final String VALIDATION_MICRO_F1 = "validation_micro_f1";
    /** Held-out masked-LM loss before training. */
    public static final String INITIAL_LOSS = "initial_loss";
    /** Held-out perplexity before training. */
    public static final String INITIAL_PERPLEXITY = "initial_perplexity";
    /** Held-out masked-LM loss after training. */
    public static final String FINAL_LOSS = "final_loss";
    /** Held-out perplexity after training. */
    public static final String FINAL_PERPLEXITY = "final_perplexity";
    /** Optimiser steps run. */
    public static final String STEPS_DONE = "steps_done";
    /** Real (non-padding) training tokens per second. */
    public static final String TOKENS_PER_SECOND = "tokens_per_second";
    /** 1 when early stopping ended the run, else 0. */
    public static final String STOPPED_EARLY = "stopped_early";
    /** The fine-tuning epoch whose weights were kept. */
    public static final String BEST_EPOCH = "best_epoch";
    /** Seconds of the run's training and evaluation. */
    public static final String WALL_SECONDS = "wall_seconds";
    /** Differential privacy: the epsilon spent by the steps run (at most the target). */
    public static final String DP_EPSILON = "dp_epsilon";
    /** Differential privacy: delta. */
    public static final String DP_DELTA = "dp_delta";
    /** Differential privacy: the noise multiplier sigma (noise standard deviation over the clipping norm). */
    public static final String DP_SIGMA = "dp_sigma";
    /** Differential privacy: the per-example clipping norm C. */
    public static final String DP_CLIP = "dp_clip";
    /** Differential privacy: the Poisson sampling rate q of a training example per step. */
    public static final String DP_SAMPLING_RATE = "dp_sampling_rate";
    /** Differential privacy: the noisy steps run. */
    public static final String DP_STEPS = "dp_steps";

    private Metrics() {}

    /** Accuracy on the extra test set {@code set}, e.g. {@code paraphrased_spa_accuracy}. */
    public static String accuracyOn(String set) {
        return snakeCase(set) + "_accuracy";
    }

    /** Macro-F1 on the extra test set {@code set}. */
    public static String macroF1On(String set) {
        return snakeCase(set) + "_macro_f1";
    }

    /** Test accuracy minus accuracy on the extra test set {@code set} (positive: worse on it). */
    public static String dropOn(String set) {
        return snakeCase(set) + "_drop";
    }

    /**
     * {@code name} in snake_case: camelCase words split ({@code macroF1} → {@code macro_f1}), dots,
     * dashes and other separators become {@code _}.
     */
    public static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                char prev = i > 0 ? name.charAt(i - 1) : '_';
                if (Character.isLowerCase(prev) || Character.isDigit(prev)) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else if (Character.isLetterOrDigit(c) && c < 128) {
                sb.append(c);
            } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                sb.append('_');
            }
        }
        String s = sb.toString().replaceAll("_+$", "").toLowerCase(Locale.ROOT);
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "m_" + s;
        }
        return s;
    }
}
