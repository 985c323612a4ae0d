package org.plm4j.baseline;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.classify.Prediction;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.evaluate.ClassificationEvaluation;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

class LinearProbeTest {

    @Test
    void probeOnATinyRandomEncoderRunsAndIsDeterministicForASeed() {
        LabeledTexts train = BaselineCorpora.separable("train", 40, 21);
        LabeledTexts test = BaselineCorpora.separable("test", 15, 22);
        try (WordPieceTokenizer tok = WordPieceTrainer.train(train.corpus(),
                WordPieceConfig.builder().optVocabSize(300).optMinFrequency(1).build());
                MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 5)) {
            LinearProbe a = LinearProbe.fit(model, tok, train, 9);
            LinearProbe b = LinearProbe.fit(model, tok, train, 9);
            List<Prediction> pa = a.predict(test.texts());
            assertEquals(pa, b.predict(test.texts()), "same model, data and seed give identical predictions");
            assertEquals(BaselineCorpora.LABELS, a.labels());
            assertEquals(pa.get(0).label(), a.predict(test.text(0)).label());
            ClassificationEvaluation e = ClassificationEvaluation.of(a, test);
            System.out.println(e);
            // even random token embeddings, mean-pooled, keep which topic words occur
            assertTrue(e.accuracy() > 0.6, e.toString());
            assertEquals(128, a.tribuo().getFeatureIDMap().size());
        }
    }

    @Test
    void aProbeWithAMaxLengthSeesOnlyTheFirstTokensWhenItFitsAndWhenItPredicts() {
        LabeledTexts train = BaselineCorpora.separable("train", 40, 21);
        LabeledTexts test = BaselineCorpora.separable("test", 15, 22);
        try (WordPieceTokenizer tok = WordPieceTrainer.train(train.corpus(),
                WordPieceConfig.builder().optVocabSize(300).optMinFrequency(1).build());
                MaskedLanguageModel model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 5)) {
            String text = test.text(0);
            int[] pieces = tok.encode(text);
            assertTrue(pieces.length > 3, "the test text must be longer than the cut: " + text);
            // [CLS] + 3 pieces + [SEP]: what follows the third piece cannot change the prediction
            LinearProbe cut = LinearProbe.fit(model, tok, train,
                    org.plm4j.embed.EmbedOptions.builder().optMaxLength(5).build(), 9);
            String longer = text + " " + test.text(1) + " " + test.text(2);
            assertEquals(cut.predict(text).probabilities(), cut.predict(longer).probabilities());
            LinearProbe whole = LinearProbe.fit(model, tok, train, 9);
            assertNotEquals(whole.predict(text).probabilities(), whole.predict(longer).probabilities(),
                    "without a cut the rest of the text changes the embedding");
            assertNotEquals(whole.predict(text).probabilities(), cut.predict(text).probabilities(),
                    "a probe with a cut is another probe than one without");
        }
    }
}
