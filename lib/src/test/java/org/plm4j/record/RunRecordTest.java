package org.plm4j.record;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class RunRecordTest {

    static RunRecord sample(long seed, double ppl, String status) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", Map.of("hidden_size", 128));
        cfg.put("pretrain", Map.of("steps", 300, "learningRate", 5e-4));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("final_perplexity", ppl);
        metrics.put("initial_perplexity", Double.NaN);
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        return new RunRecord(RunRecord.FORMAT_VERSION, "pretrain", status, cfg, seed,
                Map.of("java", "17", "djl", "0.36.0"),
                List.of(new RunRecord.DataSet("train", "wordnet", "abcdef0123456789", 100, 2000)),
                Map.of("baseCheckpoint", "/tmp/base"), metrics,
                RunRecord.Timings.between(start, start.plusMillis(12_500)));
    }

    @Test
    void jsonRoundTripThroughRunDirectoryKeepsEverything(@TempDir Path dir) throws Exception {
        RunRecord r = sample(42, 17.5, "completed");
        Path file = r.write(dir);
        assertEquals(dir.resolve("run.json"), file);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        RunRecord back = RunRecord.load(dir);
        assertEquals(r.kind(), back.kind());
        assertEquals(r.seed(), back.seed());
        assertEquals(r.data(), back.data());
        assertEquals(r.lineage(), back.lineage());
        assertEquals(r.timings(), back.timings());
        assertEquals(17.5, back.metric("final_perplexity"));
        assertTrue(Double.isNaN(back.metric("initial_perplexity")), "NaN survives the round trip");
        assertEquals(12.5, back.timings().wallSeconds(), 1e-9);
        assertEquals(128.0, ((Map<?, ?>) back.config().get("model")).get("hidden_size"));
        assertEquals(back, RunRecord.load(file));
        assertTrue(r.toString().length() < 300);
    }

    @Test
    void notARecordIsRejectedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunRecord.fromJson("{}"));
        assertTrue(e.getMessage().contains("not a plm4j run record"));
    }

    @Test
    void recordsCompareInOneTable() {
        Table t = RunRecords.table(List.of(sample(1, 20.0, "completed"), sample(2, 18.0, "cancelled")));
        assertEquals(2, t.rowCount());
        assertEquals(18.0, t.doubleColumn("final_perplexity").get(1));
        assertEquals("300", t.stringColumn("config.pretrain.steps").get(0));
        assertEquals("cancelled", t.stringColumn("status").get(1));
        assertEquals("/tmp/base", t.stringColumn("base").get(0));
        assertTrue(t.stringColumn("data").get(0).contains("wordnet@abcdef01"));
    }

    @Test
    void versionsNameJavaOsCpuAndDjl() {
        Map<String, String> v = Versions.current();
        assertTrue(v.get("java").startsWith(System.getProperty("java.version")));
        assertEquals("0.36.0", v.get("djl"));
        assertTrue(v.get("engine").startsWith("PyTorch"), v.get("engine"));
        assertFalse(v.get("cpu").isBlank());
    }
}
