package org.plm4j.bttapt;

import java.util.List;
import org.plm4j.backtranslate.AugmentationResult;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.record.RunRecord;
import org.plm4j.robustness.RobustnessReport;

/**
 * What a BT-TAPT run produced, step by step. Owns the TAPT model and the fine-tuned classifier:
 * close it (or them) when done.
 *
 * @param augmentation the paraphrases of the training text
 * @param augmentationRecord the record of the back-translation step
 * @param taptModel the checkpoint after TAPT on originals + paraphrases
 * @param tapt the TAPT run (its record carries the lineage: base, back-translation, TAPT)
 * @param fineTune the fine-tuning run (its record carries the whole lineage)
 * @param robustness clean vs paraphrased test metrics, or null when skipped
 * @param robustnessRecord its record, or null
 */
public record BtTaptResult(AugmentationResult augmentation, RunRecord augmentationRecord, MaskedLanguageModel taptModel,
                           PretrainResult tapt, FineTuneResult fineTune, RobustnessReport robustness,
                           RunRecord robustnessRecord) implements Displayable, AutoCloseable {

    /** The records of all steps, in order. */
    public List<RunRecord> records() {
        return robustnessRecord == null ? List.of(augmentationRecord, tapt.record(), fineTune.record())
                : List.of(augmentationRecord, tapt.record(), fineTune.record(), robustnessRecord);
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div><b>BT-TAPT</b></div>");
        sb.append("<div>1 · back-translation</div>").append(augmentation.toHtml());
        sb.append("<div>2 · TAPT on originals + paraphrases: ").append(Html.escape(tapt.toString())).append("</div>");
        sb.append("<div>3 · fine-tuning</div>").append(fineTune.toHtml());
        if (robustness != null) {
            sb.append("<div>4 · robustness to paraphrase</div>").append(robustness.toHtml());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "BT-TAPT: " + augmentation.counts().kept() + " paraphrases; " + tapt + "; " + fineTune
                + (robustness == null ? "" : "; " + robustness);
    }

    @Override
    public void close() {
        fineTune.classifier().close();
        taptModel.close();
    }
}
