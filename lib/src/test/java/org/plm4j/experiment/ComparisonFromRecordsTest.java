package org.plm4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.model.Lineage;
import org.plm4j.record.Metrics;
import org.plm4j.record.RunRecord;
import tech.tablesaw.api.Table;

class ComparisonFromRecordsTest {

    private static RunRecord record(String kind, long seed, Map<String, Double> metrics, int minute) {
        Instant start = Instant.parse("2026-01-01T10:00:00Z").plusSeconds(60L * minute);
        return new RunRecord(RunRecord.FORMAT_VERSION, kind, "completed", Map.of(), seed, Map.of(), List.of(),
                Lineage.EMPTY, Map.of(), metrics, RunRecord.Timings.between(start, start.plusSeconds(5)));
    }

    @Test
    void recordsOfEveryKindLineUpGroupedByKind(@TempDir Path dir) throws Exception {
        record("dapt", 1, Map.of(Metrics.FINAL_PERPLEXITY, 20.0), 0).write(dir.resolve("dapt-1"));
        record("dapt", 2, Map.of(Metrics.FINAL_PERPLEXITY, 22.0), 1).write(dir.resolve("dapt-2"));
        record("finetune", 1, Map.of(Metrics.TEST_ACCURACY, 0.6, Metrics.TEST_MACRO_F1, 0.5), 2)
                .write(dir.resolve("ft-1"));
        // a record written by an older plm4j (format 1, camelCase metric names) is read too
        Files.createDirectories(dir.resolve("ft-old"));
        Files.writeString(dir.resolve("ft-old/run.json"), """
                {"formatVersion": 1, "kind": "finetune", "status": "completed", "config": {}, "seed": 2,
                 "versions": {}, "data": [], "lineage": {"adaptation": "finetune"},
                 "metrics": {"test.accuracy": 0.7, "test.macroF1": 0.6},
                 "timings": {"start": "2026-01-01T10:10:00Z", "end": "2026-01-01T10:10:05Z", "wallSeconds": 5.0}}
                """);
        Comparison c = Comparison.fromRecords(dir);
        assertEquals(List.of("dapt", "finetune"), c.methods().stream().map(MethodResult::method).toList());
        assertEquals(21.0, c.method("dapt").mean(Metrics.FINAL_PERPLEXITY), 1e-12);
        assertEquals(0.65, c.method("finetune").mean(Metrics.TEST_ACCURACY), 1e-12);
        Table t = c.table();
        assertTrue(t.columnNames().contains("accuracy"), t.columnNames().toString());
        Table pretrainOnly = Comparison.of(List.of(c.method("dapt"))).table();
        assertTrue(pretrainOnly.columnNames().contains(Metrics.FINAL_PERPLEXITY), pretrainOnly.columnNames().toString());
    }

    @Test
    void tableTitleSaysTestMetricsOnlyWhenTheRunsHaveThem() {
        Comparison pretrain = Comparison.of(List.of(new MethodResult("dapt",
                List.of(record("dapt", 1, Map.of(Metrics.FINAL_PERPLEXITY, 20.0), 0)))));
        Comparison tuned = Comparison.of(List.of(new MethodResult("finetune",
                List.of(record("finetune", 1, Map.of(Metrics.TEST_MACRO_F1, 0.5), 0)))));
        assertTrue(pretrain.table().name().startsWith("experiment: metrics, mean ± sd"), pretrain.table().name());
        assertTrue(tuned.table().name().startsWith("experiment: test metrics, mean ± sd"), tuned.table().name());
    }
}
