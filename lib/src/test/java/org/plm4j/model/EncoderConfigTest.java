package org.plm4j.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EncoderConfigTest {

    @Test
    void hiddenNotDivisibleByHeadsNamesBothFieldsAndValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderConfig.builder(100).optHiddenSize(130).optHeads(4).build());
        assertTrue(e.getMessage().contains("hiddenSize 130"), e.getMessage());
        assertTrue(e.getMessage().contains("heads 4"), e.getMessage());
    }

    @Test
    void badValuesNameTheFieldAndValue() {
        assertMessage("vocabSize must be > 0, got 0", () -> EncoderConfig.builder(0).build());
        assertMessage("layers must be > 0, got -1", () -> EncoderConfig.builder(10).optLayers(-1).build());
        assertMessage("dropout must be in [0, 1), got 1.5", () -> EncoderConfig.builder(10).optDropout(1.5f).build());
        assertMessage("layerNormEps must be > 0, got 0.0", () -> EncoderConfig.builder(10).optLayerNormEps(0f).build());
        assertMessage("initializerRange must be > 0, got NaN",
                () -> EncoderConfig.builder(10).optInitializerRange(Float.NaN).build());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable ex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().startsWith(expected), "message was: " + e.getMessage());
    }

    @Test
    void presetsHaveTheDocumentedSizesAndNames() {
        EncoderConfig tiny = EncoderConfig.tiny(5000);
        assertEquals("tiny", tiny.preset());
        assertEquals(128, tiny.hiddenSize());
        assertEquals(2, tiny.layers());
        assertEquals(2, tiny.heads());
        assertEquals(512, tiny.intermediateSize());
        EncoderConfig small = EncoderConfig.small(5000);
        assertEquals("small", small.preset());
        assertEquals(512, small.hiddenSize());
        assertEquals(4, small.layers());
        assertEquals(8, small.heads());
        assertEquals(2048, small.intermediateSize());
        long previous = 0;
        for (EncoderConfig c : EncoderConfig.presets(8000)) {
            System.out.printf("%-5s %,d parameters%n", c.preset(), c.parameterCount());
            assertTrue(c.parameterCount() > 2 * previous, "each preset is a real step up: " + c);
            previous = c.parameterCount();
        }
        try (MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(100), 1)) {
            assertEquals(m.parameterCount(), EncoderConfig.tiny(100).parameterCount());
        }
        assertEquals("custom", tiny.toBuilder().optLayers(3).build().preset());
        assertEquals("tiny", tiny.toBuilder().optDropout(0f).build().preset());
    }

    @Test
    void huggingFaceKeysRoundTrip() {
        EncoderConfig c = EncoderConfig.small(777).toBuilder().optDropout(0.05f).build();
        assertEquals(c, EncoderConfig.fromHuggingFaceMap(c.toHuggingFaceMap()));
        assertEquals(512, c.toHuggingFaceMap().get("hidden_size"));
    }
}
