package org.plm4j.record;

import org.plm4j.model.Lineage;
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
                Lineage.of(Lineage.Step.training("pretrain", "wordnet", "abcdef0123456789", 300)),
                Map.of("base_checkpoint", "/tmp/base"), metrics,
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
        assertEquals(r.artifacts(), back.artifacts());
        assertEquals("pretrain", back.lineage().get(0).kind());
        assertEquals(300, back.lineage().get(0).steps());
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

    @Test
    void metricNamesMustBeSnakeCaseAndTheMessageSuggestsOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunRecord(
                RunRecord.FORMAT_VERSION, "finetune", "completed", Map.of(), 1, Map.of(), List.of(), Lineage.EMPTY,
                Map.of(), Map.of("test.macroF1", 0.5), null));
        assertTrue(e.getMessage().contains("'test.macroF1'") && e.getMessage().contains("test_macro_f1"), e.getMessage());
        assertEquals("tokens_per_second", Metrics.snakeCase("tokensPerSecond"));
        assertEquals("finetune_validation_macro_f1", Metrics.snakeCase("finetune.validation.macroF1"));
        assertEquals("paraphrased_spa_drop", Metrics.dropOn("paraphrased-spa"));
    }

    @Test
    void formatOnePretrainingRecordIsMigratedOnRead(@TempDir Path dir) throws Exception {
        String v1 = """
                {"formatVersion": 1, "kind": "dapt", "status": "completed", "config": {"pretrain": {"steps": 10}},
                 "seed": 3, "versions": {"java": "17"},
                 "data": [{"role": "train", "name": "foldoc-train", "sha256": "ab12", "texts": 5, "tokens": 50}],
                 "lineage": {"baseCheckpoint": "/ck/general", "adaptation": "dapt",
                             "step1": "pretrain corpus=wordnet-train sha256=ff00 steps=300",
                             "step2": "dapt corpus=foldoc-train sha256=ab12 steps=10",
                             "checkpoint": "/out/checkpoint"},
                 "metrics": {"final_perplexity": 12.5, "tokens_per_second": 900.0},
                 "timings": {"start": "2026-01-01T10:00:00Z", "end": "2026-01-01T10:00:10Z", "wallSeconds": 10.0}}
                """;
        Files.writeString(dir.resolve("run.json"), v1);
        RunRecord r = RunRecord.load(dir);
        assertEquals(RunRecord.FORMAT_VERSION, r.formatVersion());
        assertEquals(List.of("pretrain", "dapt"), r.lineage().kinds());
        assertEquals("wordnet-train", r.lineage().get(0).source());
        assertEquals("ab12", r.lineage().get(1).sha256());
        assertEquals(10, r.lineage().get(1).steps());
        assertEquals("/ck/general", r.artifacts().get("base_checkpoint"));
        assertEquals("/out/checkpoint", r.artifacts().get("checkpoint"));
        assertEquals(12.5, r.metric("final_perplexity"));
    }

    @Test
    void formatOneFineTuningRecordGetsSnakeCaseMetricsAndStructuredLineage() {
        String v1 = """
                {"formatVersion": 1, "kind": "finetune", "status": "completed", "config": {}, "seed": 1,
                 "versions": {}, "data": [],
                 "lineage": {"baseCheckpoint": "/ck", "step1.kind": "pretrain", "step1.corpus": "wordnet",
                             "step1.sha256": "ff", "step1.steps": "300", "adaptation": "finetune",
                             "classifier": "/out/classifier"},
                 "metrics": {"test.macroF1": 0.55, "test.tailMacroF1": 0.4, "tokensPerSecond": 100.0, "bestEpoch": 3.0}}
                """;
        RunRecord r = RunRecord.fromJson(v1);
        assertEquals(0.55, r.metric(Metrics.TEST_MACRO_F1));
        assertEquals(0.4, r.metric(Metrics.TEST_TAIL_MACRO_F1));
        assertEquals(100.0, r.metric(Metrics.TOKENS_PER_SECOND));
        assertEquals(3.0, r.metric(Metrics.BEST_EPOCH));
        assertEquals(Lineage.of(Lineage.Step.training("pretrain", "wordnet", "ff", 300)), r.lineage());
        assertEquals("/out/classifier", r.artifacts().get("classifier"));
    }

    @Test
    void aRecordFromANewerPlm4jIsRefusedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunRecord.fromJson("{\"formatVersion\": 99, \"kind\": \"pretrain\"}"));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }
}
