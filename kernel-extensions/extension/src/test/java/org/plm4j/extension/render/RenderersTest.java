package org.plm4j.extension.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.plm4j.display.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class RenderersTest {

    private final Renderer renderer = new Renderer();

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    RenderersTest() {
        Renderers.registerAll(renderer);
    }

    @Test
    void chartRendersAsPng() {
        XYChart chart = new XYChartBuilder().width(200).height(150).title("loss").build();
        chart.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1});
        DisplayData data = renderer.render(chart);
        byte[] png = Base64.getDecoder().decode((String) data.getData(MIMEType.IMAGE_PNG));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertEquals('N', png[2]);
        assertEquals('G', png[3]);
    }

    @Test
    void tablesawTableRendersAsHtmlTable() {
        Table t = Table.create("metrics",
                StringColumn.create("split", "train", "held-out"),
                DoubleColumn.create("perplexity", 12.5, 14.25));
        DisplayData data = renderer.render(t);
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<th>perplexity</th>"), html);
        assertTrue(html.contains("14.2500"), html);
        assertTrue(((String) data.getData(MIMEType.TEXT_PLAIN)).contains("held-out"));
    }

    @Test
    void displayableResultsUseTheirOwnHtmlAndText() {
        Displayable value = new Displayable() {
            @Override
            public String toHtml() {
                return "<b>result</b>";
            }

            @Override
            public String toString() {
                return "result";
            }
        };
        DisplayData data = renderer.render(value);
        assertEquals("<b>result</b>", data.getData(MIMEType.TEXT_HTML));
        assertEquals("result", data.getData(MIMEType.TEXT_PLAIN));
    }
}
