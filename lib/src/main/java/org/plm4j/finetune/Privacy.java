package org.plm4j.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The privacy budget of differentially private fine-tuning (DP-SGD, Abadi et al. 2016): the
 * target (&epsilon;, &delta;) and the per-example clipping norm C. Set it with
 * {@link FineTuneConfig.Builder#optPrivacy(Privacy)}; the noise multiplier follows from the budget,
 * the sampling rate and the step count through {@link org.plm4j.privacy.PrivacyAccountant#sigma}.
 *
 * @param epsilon the target &epsilon;, finite and &gt; 0
 * @param delta the target &delta;, in (0, 1); usually below 1 / (training examples)
 * @param clip the per-example gradient norm C, finite and &gt; 0
 */
public record Privacy(double epsilon, double delta, double clip) {

    /** The delta the magic uses when none is given. */
    public static final double DEFAULT_DELTA = 1e-5;
    /** The clipping norm the magic uses when none is given. */
    public static final double DEFAULT_CLIP = 1.0;

    /** Validates, naming the value and what to use instead. */
    public Privacy {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("the privacy budget epsilon must be a finite number > 0, got " + epsilon
                    + "; for non-private fine-tuning leave the privacy unset (no --dp-epsilon)");
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must lie in (0, 1), got " + delta
                    + "; use a value below 1 / (training examples), e.g. 1e-5");
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("the clipping norm C must be a finite number > 0, got " + clip
                    + "; 1.0 is a common choice");
        }
    }

    /** The budget (&epsilon;, &delta;) with per-example gradients clipped to norm {@code clip}. */
    public static Privacy of(double epsilon, double delta, double clip) {
        return new Privacy(epsilon, delta, clip);
    }

    /** The settings as a map for run records. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epsilon", epsilon);
        m.put("delta", delta);
        m.put("clip", clip);
        return m;
    }
}
