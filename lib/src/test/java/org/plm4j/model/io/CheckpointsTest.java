package org.plm4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;

class CheckpointsTest {

    @Test
    void aLoadedRobertaOrDistilbertModelSavedAsAPlm4jCheckpointKeepsItsFamily(@TempDir Path dir) throws Exception {
        for (HuggingFaceCheckpoints.Layout layout : new HuggingFaceCheckpoints.Layout[] {
                HuggingFaceCheckpoints.Layout.ROBERTA_MASKED_LM, HuggingFaceCheckpoints.Layout.DISTILBERT_MODEL}) {
            Path hf = HuggingFaceCheckpoints.write(dir.resolve("hf-" + layout), layout, 2, "F32");
            Path own = dir.resolve("own-" + layout);
            try (MaskedLanguageModel m = MaskedLanguageModel.importHuggingFace(hf)) {
                m.save(own);
                try (MaskedLanguageModel back = MaskedLanguageModel.load(own)) {
                    assertEquals(m.config(), back.config());
                    assertEquals(m.lineage(), back.lineage());
                    assertEquals(m.mlmHeadInitialised(), back.mlmHeadInitialised());
                    assertArrayEquals(HuggingFaceLayoutsTest.forward(m, layout)[0],
                            HuggingFaceLayoutsTest.forward(back, layout)[0]);
                }
            }
        }
        EncoderConfig roberta = EncoderConfig.builder(50).optModelType("roberta").optPositionOffset(2).build();
        assertEquals(roberta, EncoderConfig.fromHuggingFaceMap(roberta.toHuggingFaceMap()));
    }

    @Test
    void aSavedLineageComesBackAndATruncatedWeightsFileIsReportedAsCorrupt(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        EncoderConfig c = EncoderConfig.builder(30).optHiddenSize(8).optHeads(2).optLayers(1).optIntermediateSize(16)
                .optMaxPositions(8).build();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(c, 1)) {
            m.recordLineage(org.plm4j.model.Lineage.Step.fromMap(Map.of("kind", "pretrain", "steps", "1")));
            m.save(ckpt);
        }
        byte[] before = Files.readAllBytes(ckpt.resolve("model.safetensors"));
        try (MaskedLanguageModel back = MaskedLanguageModel.load(ckpt)) {
            assertEquals("pretrain", back.lineage().get(0).toMap().get("kind"));
        }
        // a truncated weights file is reported as corrupt, not read as garbage
        byte[] cut = java.util.Arrays.copyOf(before, before.length / 2);
        Files.write(ckpt.resolve("model.safetensors"), cut);
        CheckpointException e = assertThrows(CheckpointException.class, () -> MaskedLanguageModel.load(ckpt));
        assertTrue(e.getMessage().contains("not a readable safetensors file") || e.getMessage().contains("corrupt"),
                e.getMessage());
    }
}
