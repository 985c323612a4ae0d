package org.plm4j.finetune;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.plm4j.datasets.CorpusDataset;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

@Tag("slow")
class FineTuneExplore {
    @Test
    void explore() {
        LabeledDataset task = Datasets.task("foldoc-topics");
        CorpusDataset foldoc = Datasets.corpus("foldoc").excluding(task);
        long t0 = System.nanoTime();
        try (WordPieceTokenizer tok = WordPieceTrainer.train(foldoc.corpus(), WordPieceConfig.builder().optVocabSize(4000).build());
             MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 1)) {
            int steps = Integer.getInteger("pt.steps", 300);
            if (steps > 0) {
                var r = Pretrainer.pretrain(m, tok, foldoc.corpus(), PretrainConfig.builder().optSteps(steps).optSeed(1).build(), null);
                System.out.println("pretrain " + r + " " + (System.nanoTime() - t0) / 1e9);
            }
            for (String variant : System.getProperty("variants", "std").split(",")) {
                long t1 = System.nanoTime();
                FineTuneConfig.Builder b = FineTuneConfig.builder().optEpochs(Integer.getInteger("ft.epochs", 3))
                        .optLearningRate(Double.parseDouble(System.getProperty("ft.lr", "2e-4")))
                        .optMaxLength(Integer.getInteger("ft.len", 128)).optSeed(1);
                if (variant.equals("two")) b.optTwoStage(true);
                if (variant.equals("mean")) b.optPooling(Pooling.MEAN);
                try (var res = FineTuner.fineTune(m, tok, task, b.build(), FineTuneListener.printing(System.out)).classifier()) {
                    System.out.println(variant + " done " + (System.nanoTime() - t1) / 1e9);
                }
            }
        }
    }
}
