package org.plm4j.datasets;

import org.plm4j.display.Html;

/** The HTML summary shared by both kinds of dataset. */
final class DatasetHtml {

    private DatasetHtml() {
    }

    static String summary(Manifest m) {
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"plm4j-dataset\"><b>").append(Html.escape(m.name())).append("</b> (")
                .append(Html.escape(m.kind())).append(") — ").append(Html.escape(m.description())).append("<br/>");
        if (m.source() != null) {
            b.append("source: ").append(Html.escape(m.source().packageName() == null ? "user data" : m.source().packageName()))
                    .append(' ').append(Html.escape(m.source().version())).append("<br/>");
        }
        b.append("train ").append(m.count("train")).append(" · validation ").append(m.count("validation"))
                .append(" · test ").append(m.count("test"));
        if (!m.labels().isEmpty()) {
            b.append(" · ").append(m.labels().size()).append(" labels");
        }
        b.append(" · seed ").append(m.split().seed()).append(" · sha256 ").append(m.sha256(), 0, 12).append("<br/>");
        b.append("deduplication: ").append(m.dedupe().input()).append(" texts, ").append(m.dedupe().duplicatesRemoved())
                .append(" duplicate copies and ").append(m.dedupe().conflictingRemoved())
                .append(" texts with conflicting labels removed before splitting<br/>");
        if (m.training() != null) {
            b.append("default training text: ").append(m.training().count()).append(" texts");
            for (Manifest.Exclusion e : m.training().excluded()) {
                b.append("; excluded ").append(Html.escape(e.source())).append(" (").append(e.removed())
                        .append(" of ").append(e.texts()).append(" matched)");
            }
            b.append("<br/>");
        }
        for (String n : m.notes()) {
            b.append(Html.escape(n)).append("<br/>");
        }
        if (!m.skippedRows().isEmpty()) {
            b.append("skipped malformed rows: ").append(m.skippedRows().size()).append(" (first: ")
                    .append(Html.escape(m.skippedRows().get(0))).append(")<br/>");
        }
        return b.append("</div>").toString();
    }
}
