package org.plm4j.bttapt;

import java.nio.file.Path;
import org.plm4j.backtranslate.AugmentationConfig;
import org.plm4j.backtranslate.Pivot;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.pretrain.PretrainConfig;

/**
 * Settings of a BT-TAPT run; build with {@link #builder()} (every default is there).
 *
 * @param augmentation how the training text is paraphrased (pivots, copies, ratio, seed)
 * @param tapt the continued pretraining on originals + paraphrases (its outputDir is set by the pipeline)
 * @param fineTune the fine-tuning (its outputDir is set by the pipeline)
 * @param fineTuneOnAugmented also fine-tune on the labelled paraphrases (labels carried over), not only the originals
 * @param robustnessPivot the pivot of the paraphrased test copy, or null to skip the robustness step
 * @param outputDir where each step writes its records ({@code 1-backtranslate}, {@code 2-tapt},
 *     {@code 3-finetune}, {@code 4-robustness}), or null to keep everything in memory
 */
public record BtTaptConfig(AugmentationConfig augmentation, PretrainConfig tapt, FineTuneConfig fineTune,
                           boolean fineTuneOnAugmented, Pivot robustnessPivot, Path outputDir) {

    public BtTaptConfig {
        if (augmentation == null || tapt == null || fineTune == null) {
            throw new IllegalArgumentException("augmentation, tapt and fineTune settings are required");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects settings; the defaults of the pipeline live here. */
    public static final class Builder {
        private AugmentationConfig augmentation = AugmentationConfig.defaults();
        private PretrainConfig tapt = PretrainConfig.builder().optSteps(300).build();
        private FineTuneConfig fineTune = FineTuneConfig.defaults();
        private boolean fineTuneOnAugmented;
        private Pivot robustnessPivot = Pivot.DEFAULT;
        private Path outputDir;

        private Builder() {
        }

        public Builder optAugmentation(AugmentationConfig c) { this.augmentation = c; return this; }
        public Builder optTapt(PretrainConfig c) { this.tapt = c; return this; }
        public Builder optFineTune(FineTuneConfig c) { this.fineTune = c; return this; }
        public Builder optFineTuneOnAugmented(boolean on) { this.fineTuneOnAugmented = on; return this; }
        /** The pivot of the paraphrased test copy; null skips the robustness evaluation. */
        public Builder optRobustnessPivot(Pivot p) { this.robustnessPivot = p; return this; }
        public Builder optOutputDir(Path dir) { this.outputDir = dir; return this; }

        public BtTaptConfig build() {
            return new BtTaptConfig(augmentation, tapt, fineTune, fineTuneOnAugmented, robustnessPivot, outputDir);
        }
    }
}
