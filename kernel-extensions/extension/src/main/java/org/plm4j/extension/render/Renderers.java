package org.plm4j.extension.render;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import org.plm4j.display.Displayable;
import org.plm4j.display.Html;
import tech.tablesaw.api.Table;

/**
 * Registers how plm4j's values show in a notebook: every XChart chart as {@code image/png},
 * every Tablesaw {@link Table} as an HTML table, and every plm4j {@link Displayable} result through
 * its own {@code toHtml()}. No rendering logic lives here beyond the MIME plumbing: the HTML comes
 * from {@link Html} in plm4j-lib, so a script sees the same content.
 */
public final class Renderers {

    private Renderers() {
    }

    /** Adds plm4j's render functions to {@code renderer}. */
    public static void registerAll(Renderer renderer) {
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register(Renderers::renderChart);
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(Renderers::renderTable);
        renderer.createRegistration(Displayable.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(Renderers::renderDisplayable);
    }

    static void renderChart(Chart<?, ?> chart, RenderContext context) {
        context.renderIfRequested(MIMEType.IMAGE_PNG, () -> Html.pngBase64(chart));
        context.renderIfRequested(MIMEType.TEXT_PLAIN,
                () -> chart.getClass().getSimpleName() + " \"" + chart.getTitle() + "\" (" + chart.getWidth() + "x" + chart.getHeight() + ")");
    }

    static void renderTable(Table table, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> Html.table(table));
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print(Html.DEFAULT_MAX_ROWS));
    }

    static void renderDisplayable(Displayable value, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, value::toHtml);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, value::toString);
    }
}
