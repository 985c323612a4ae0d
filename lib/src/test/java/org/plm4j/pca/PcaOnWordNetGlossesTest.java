package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.WordNet;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/** The notebook path end to end: WordNet glosses, corpus, tokenizer, bag-of-pieces PCA, scatter. */
class PcaOnWordNetGlossesTest {

    @Test
    void glossesToTokenizerToPcaScatter() {
        assumeTrue(WordNet.isInstalled(), "wordnet-base is not installed");
        WordNet wn = WordNet.load();
        Corpus corpus = wn.corpus();
        LabeledTexts glosses = wn.glosses().sample(3000, 42);
        try (WordPieceTokenizer tok = WordPieceTrainer.train(corpus,
                WordPieceConfig.builder().optVocabSize(2000).build())) {
            int[][] ids = tok.encodeBatch(glosses.texts());
            int d = 400;
            // features: counts of the d most frequent pieces in the sample
            long[] freq = new long[tok.vocabSize()];
            for (int[] a : ids) {
                for (int i : a) {
                    freq[i]++;
                }
            }
            Integer[] order = new Integer[tok.vocabSize()];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> Long.compare(freq[b], freq[a]));
            int[] col = new int[tok.vocabSize()];
            Arrays.fill(col, -1);
            for (int c = 0; c < d; c++) {
                col[order[c]] = c;
            }
            double[][] x = new double[ids.length][d];
            for (int r = 0; r < ids.length; r++) {
                for (int i : ids[r]) {
                    if (col[i] >= 0) {
                        x[r][col[i]]++;
                    }
                }
            }
            PcaResult pca = Pca.fit(x, PcaConfig.of(10));
            assertEquals(10, pca.toTable().rowCount());
            XYChart chart = pca.scatter(x, glosses.labelOfEach().toArray(String[]::new));
            assertEquals(PcaCharts.MAX_SERIES, chart.getSeriesMap().size());
            assertTrue(BitmapEncoder.getBufferedImage(chart).getWidth() > 0);
            assertTrue(pca.cumulativeRatio()[9] > 0 && pca.cumulativeRatio()[9] < 1);
            System.out.println(pca);
            List<String> legend = List.copyOf(chart.getSeriesMap().keySet());
            System.out.println("legend: " + legend);
        }
    }
}
