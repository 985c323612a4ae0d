package org.plm4j.record;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Comparisons over several run records. */
public final class RunRecords {

    private RunRecords() {}

    /**
     * One row per record: kind, status, seed, data (name@sha prefix), base checkpoint, start,
     * wall seconds, then one column per metric and per scalar config value found in any record
     * (missing values are empty).
     */
    public static Table table(List<RunRecord> records) {
        StringColumn kind = StringColumn.create("kind");
        StringColumn status = StringColumn.create("status");
        LongColumn seed = LongColumn.create("seed");
        StringColumn data = StringColumn.create("data");
        StringColumn base = StringColumn.create("base");
        StringColumn start = StringColumn.create("start");
        DoubleColumn wall = DoubleColumn.create("wall_seconds");
        Set<String> metricNames = new LinkedHashSet<>();
        Set<String> configNames = new LinkedHashSet<>();
        for (RunRecord r : records) {
            metricNames.addAll(r.metrics().keySet());
            r.config().forEach((k, v) -> flatten(k, v, configNames, null));
        }
        List<DoubleColumn> metrics = new ArrayList<>();
        metricNames.forEach(n -> metrics.add(DoubleColumn.create(n)));
        List<StringColumn> configs = new ArrayList<>();
        configNames.forEach(n -> configs.add(StringColumn.create("config." + n)));
        for (RunRecord r : records) {
            kind.append(r.kind());
            status.append(r.status());
            seed.append(r.seed());
            data.append(r.data().stream().map(d -> d.role() + ":" + d.name() + "@"
                    + (d.sha256() == null ? "?" : d.sha256().substring(0, Math.min(8, d.sha256().length()))))
                    .collect(Collectors.joining(" ")));
            base.append(r.artifacts().getOrDefault("base_checkpoint", ""));
            start.append(r.timings() == null ? "" : r.timings().start());
            wall.append(r.timings() == null ? Double.NaN : r.timings().wallSeconds());
            for (DoubleColumn c : metrics) {
                c.append(r.metric(c.name()));
            }
            Map<String, String> flat = new java.util.LinkedHashMap<>();
            r.config().forEach((k, v) -> flatten(k, v, null, flat));
            for (StringColumn c : configs) {
                c.append(flat.getOrDefault(c.name().substring("config.".length()), ""));
            }
        }
        Table t = Table.create("runs", kind, status, seed, data, base, start, wall);
        metrics.forEach(t::addColumns);
        configs.forEach(t::addColumns);
        return t;
    }

    private static void flatten(String key, Object value, Set<String> names, Map<String, String> values) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(key + "." + k, v, names, values));
        } else if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean) {
            if (names != null) {
                names.add(key);
            }
            if (values != null) {
                values.put(key, value == null ? "" : format(value));
            }
        }
    }

    private static String format(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }
}
