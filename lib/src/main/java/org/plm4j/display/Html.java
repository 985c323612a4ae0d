package org.plm4j.display;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Small HTML building blocks shared by every {@link Displayable}: escaped text, Tablesaw tables
 * and XChart charts as inline PNG. Tablesaw's own HTML writer lives in a separate module
 * (tablesaw-html) that pulls a template engine; a table of a few hundred cells does not need it.
 */
public final class Html {

    /** Rows shown by {@link #table(Table)} before the rest is summarised as "… n more rows". */
    public static final int DEFAULT_MAX_ROWS = 50;

    private Html() {
    }

    /** Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '}. */
    public static String escape(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The table as an HTML {@code <table>}, at most {@link #DEFAULT_MAX_ROWS} rows. */
    public static String table(Table table) {
        return table(table, DEFAULT_MAX_ROWS);
    }

    /**
     * The table as an HTML {@code <table>} with a caption holding the table's name, showing at most
     * {@code maxRows} rows; numbers are right-aligned and doubles printed with up to 4 decimals.
     */
    public static String table(Table table, int maxRows) {
        StringBuilder b = new StringBuilder(256);
        b.append("<table class=\"plm4j-table\">");
        if (table.name() != null && !table.name().isBlank()) {
            b.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        b.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            b.append("<th>").append(escape(c.name())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        int rows = Math.min(maxRows, table.rowCount());
        for (int r = 0; r < rows; r++) {
            b.append("<tr>");
            for (Column<?> c : table.columns()) {
                boolean numeric = c.type().name().matches("DOUBLE|FLOAT|INTEGER|LONG|SHORT");
                b.append(numeric ? "<td style=\"text-align:right\">" : "<td>")
                        .append(escape(cell(c, r))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        if (table.rowCount() > rows) {
            b.append("<div>… ").append(table.rowCount() - rows).append(" more rows</div>");
        }
        return b.toString();
    }

    private static String cell(Column<?> c, int row) {
        if (c.isMissing(row)) {
            return "";
        }
        Object v = c.get(row);
        if (v instanceof Double d) {
            return formatNumber(d);
        }
        if (v instanceof Float f) {
            return formatNumber(f);
        }
        return String.valueOf(v);
    }

    /** A compact rendering of a double: integers without decimals, otherwise 4 significant decimals. */
    public static String formatNumber(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        double a = Math.abs(d);
        if (a != 0 && (a < 1e-3 || a >= 1e7)) {
            return String.format("%.4g", d);
        }
        return String.format("%.4f", d);
    }

    /** The chart rendered headless to PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not render the chart '" + chart.getTitle() + "' to PNG", e);
        }
    }

    /** The chart as base64-encoded PNG (the form Jupyter's {@code image/png} expects). */
    public static String pngBase64(Chart<?, ?> chart) {
        return Base64.getEncoder().encodeToString(png(chart));
    }

    /** The chart as an inline {@code <img>} tag. */
    public static String image(Chart<?, ?> chart) {
        return "<img alt=\"" + escape(chart.getTitle()) + "\" src=\"data:image/png;base64," + pngBase64(chart) + "\"/>";
    }
}
