package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.junit.jupiter.api.Test;

class PcaChartsTest {

    @Test
    void screeOfThirtyComponentsNumbersEveryFifth() throws Exception {
        PcaResult pca = Pca.fit(PcaTest.lowRank(400, 40, new double[] {4, 3, 2, 1}, 0.3, 7), PcaConfig.of(10));
        CategoryChart scree = PcaCharts.scree(pca);
        assertEquals(30, scree.getSeriesMap().get("kept (k = 10)").getXData().size());
        // XChart spreads 7 labels over 30 categories as 1, 6, 11, 16, 21, 26, 30
        assertEquals(7, scree.getStyler().getXAxisMaxLabelCount(), "component numbers would run together");
        assertEquals(13, PcaCharts.screeLabelCount(60));
        assertEquals(12, PcaCharts.screeLabelCount(12));
        render(scree, "scree-30-components");
    }

    @Test
    void scatterColoursAreDarkEnoughToReadOnWhite() throws Exception {
        for (Color c : PcaCharts.SCATTER_COLORS) {
            assertTrue(contrastWithWhite(c) >= 3.0, c + " has contrast " + contrastWithWhite(c) + " with white, below 3:1");
        }
        assertEquals(PcaCharts.MAX_SERIES, PcaCharts.SCATTER_COLORS.length, "one colour per series");
        double[][] points = new double[24][];
        String[] labels = new String[24];
        for (int i = 0; i < 24; i++) {
            points[i] = new double[] {i % 12, i / 12.0};
            labels[i] = "label " + (i % 12);
        }
        XYChart scatter = PcaCharts.scatter(points, labels, "twelve labels", "PC1", "PC2");
        assertEquals(List.of(PcaCharts.SCATTER_COLORS), Arrays.asList(scatter.getStyler().getSeriesColors()));
        render(scatter, "scatter-12-labels");
    }

    /** WCAG contrast ratio of a colour against white. */
    private static double contrastWithWhite(Color c) {
        double l = 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
        return 1.05 / (l + 0.05);
    }

    private static double linear(int channel) {
        double s = channel / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }

    /** Writes the chart to target/charts for a look; fails if it does not render. */
    private static void render(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "charts"));
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        assertTrue(Files.size(dir.resolve(name + ".png")) > 0);
    }
}
