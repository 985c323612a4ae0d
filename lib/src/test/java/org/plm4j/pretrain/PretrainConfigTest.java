package org.plm4j.pretrain;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PretrainConfigTest {

    @Test
    void badValuesNameTheFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainConfig.builder().optMaskProbability(1.2).build());
        assertTrue(e.getMessage().startsWith("maskProbability must be in (0, 1), got 1.2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PretrainConfig.builder().optSteps(10).optWarmupFraction(1.1).build());
        assertTrue(e.getMessage().contains("warmupFraction must be in [0, 1], got 1.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PretrainConfig.builder().optSequenceLength(2).build());
        assertTrue(e.getMessage().contains("sequenceLength must be >= 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PretrainConfig.builder().optMaskFractions(0.9, 0.2).build());
        assertTrue(e.getMessage().contains("0.9") && e.getMessage().contains("0.2"), e.getMessage());
    }

    @Test
    void learningRateWarmsUpLinearlyThenDecaysToZero() {
        PretrainConfig c = PretrainConfig.builder().optSteps(100).optWarmupFraction(0.1).optLearningRate(1e-3f).build();
        assertEquals(1e-4f, c.learningRateAt(1), 1e-9);
        assertEquals(1e-3f, c.learningRateAt(10), 1e-9);
        assertEquals(1e-3f, c.learningRateAt(11), 1e-9);
        assertEquals(0.5e-3f, c.learningRateAt(56), 1e-5);
        assertEquals(1e-3f / 90, c.learningRateAt(100), 1e-9);
        assertTrue(c.learningRateAt(60) < c.learningRateAt(59));
    }

    @Test
    void defaultWarmupIsTenPercentAndFollowsTheSteps() {
        PretrainConfig c = PretrainConfig.builder().optSteps(300).build();
        assertEquals(30, c.warmupSteps());
        assertEquals(5, c.toBuilder().optSteps(50).build().warmupSteps());
        PretrainConfig explicit = PretrainConfig.builder().optSteps(300).optWarmupFraction(0.02).build();
        assertEquals(8, explicit.toBuilder().optSteps(400).build().warmupSteps());
    }

    @Test
    void keepingCheckpointsNeedsCheckpointsAndSurvivesTheRecordMap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainConfig.builder().optKeepCheckpoints(true).build());
        assertTrue(e.getMessage().contains("optCheckpointEvery"), e.getMessage());
        PretrainConfig kept = PretrainConfig.builder().optOutputDir(java.nio.file.Path.of("out"))
                .optCheckpointEvery(10).optKeepCheckpoints(true).build();
        assertEquals(kept, PretrainConfig.fromMap(kept.toMap()));
        assertEquals(false, PretrainConfig.builder().build().keepCheckpoints());
    }

    @Test
    void dropoutMasksAreDrawnInJavaByDefaultAndOlderRecordsKeepPyTorchsGenerator() {
        PretrainConfig c = PretrainConfig.builder().build();
        assertTrue(c.javaDropout());
        assertEquals(c, PretrainConfig.fromMap(c.toMap()));
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(c.toMap());
        old.remove("javaDropout");
        assertFalse(PretrainConfig.fromMap(old).javaDropout());
    }
}
