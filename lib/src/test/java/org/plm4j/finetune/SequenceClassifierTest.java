package org.plm4j.finetune;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

class SequenceClassifierTest {

    static final List<String> TEXTS = List.of("the cat sat on the mat", "a dog ran in the park", "stocks fell today");

    @Test
    void predictsEmptyBatchesEmptyTextsAndLongTextsWithProbabilitiesThatSumToOne() {
        Tokenizer tok = TestTokenizers.whitespace(TEXTS);
        try (MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 1);
             SequenceClassifier c = SequenceClassifier.create(m, tok, List.of("animals", "money"),
                     FineTuneConfig.builder().optMaxLength(16).build())) {
            assertEquals(List.of(), c.predict(List.of()));
            var p = c.predict("");
            assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
            String longText = String.join(" ", java.util.Collections.nCopies(500, "cat"));
            assertNotNull(c.predict(longText).label(), "longer than maxLength: truncated, not refused");
            var batch = c.predict(List.of("the cat", "", longText));
            assertEquals(3, batch.size());
            var single = c.predict("the cat");
            assertEquals(single.label(), batch.get(0).label(), "batched and single predictions agree");
            assertEquals(single.probability("money"), batch.get(0).probability("money"), 1e-5);
        }
    }

    @Test
    void aSavedClassifierRefusesATokenizerOfAnotherVocabulary(@TempDir Path dir) {
        Tokenizer tok = TestTokenizers.whitespace(TEXTS);
        try (MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 1);
             SequenceClassifier c = SequenceClassifier.create(m, tok, List.of("animals", "money"), FineTuneConfig.defaults())) {
            c.save(dir);
        }
        Tokenizer other = TestTokenizers.whitespace(List.of("entirely different words here"));
        var e = assertThrows(IllegalArgumentException.class, () -> SequenceClassifier.load(dir, other));
        assertTrue(e.getMessage().contains("do not belong together"), e.getMessage());
        var missing = assertThrows(CheckpointException.class, () -> SequenceClassifier.load(dir.resolve("nope"), tok));
        assertTrue(missing.getMessage().contains("not a saved classifier"), missing.getMessage());
    }
}
