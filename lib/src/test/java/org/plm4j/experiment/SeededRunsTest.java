package org.plm4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.record.RunRecord;

class SeededRunsTest {

    @Test
    void recordsEverySeedAndJudgesByTheOneVerdictRule(@TempDir Path dir) {
        SeededRuns runs = SeededRuns.builder("masking").optSeeds(1, 2, 3).optOutputDir(dir).build();
        runs.run("token-level", seed -> Map.of("heldout_perplexity", 100.0 + seed));
        runs.run("whole-word", seed -> Map.of("heldout_perplexity", 90.0 + seed));
        runs.run("close", seed -> Map.of("heldout_perplexity", 100.5 + seed));
        Comparison c = runs.comparison();
        assertEquals("whole-word vs token-level, heldout_perplexity: 92.000 ± 1.000 vs 102.000 ± 1.000 -> lower",
                c.difference("whole-word", "token-level", "heldout_perplexity"));
        assertTrue(c.difference("close", "token-level", "heldout_perplexity").endsWith("no clear difference at this scale"));
        RunRecord r = RunRecord.load(Experiment.runDir(dir, "whole-word", 2));
        assertEquals(Experiment.KIND, r.kind());
        assertEquals("whole-word", r.config().get(Experiment.CONFIG_METHOD));
        assertEquals("masking", r.config().get(Experiment.CONFIG_EXPERIMENT));
        assertEquals(92.0, r.metric("heldout_perplexity"));
        assertTrue(r.metrics().containsKey("wall_seconds"));
        assertTrue(Files.exists(Experiment.runDir(dir, "close", 3).resolve(RunRecord.FILE_NAME)));
        // the files alone give the same comparison
        assertEquals(c.difference("whole-word", "token-level", "heldout_perplexity"),
                Comparison.fromRecords(dir).difference("whole-word", "token-level", "heldout_perplexity"));
        assertEquals("heldout_perplexity", c.table().column(2).name());
    }

    @Test
    void aFailingSeedIsNamedAndTheMethodIsNotAdded() {
        SeededRuns runs = SeededRuns.builder("x").optSeeds(1, 2).build();
        var e = assertThrows(ExperimentException.class, () -> runs.run("bad", seed -> {
            if (seed == 2) {
                throw new IllegalStateException("boom");
            }
            return Map.of("m", 1.0);
        }));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("2"), e.getMessage());
        assertTrue(runs.comparison().methods().isEmpty());
        assertThrows(ExperimentException.class, () -> runs.run("empty", seed -> Map.of()));
        runs.run("good", seed -> Map.of("m", 1.0));
        assertThrows(IllegalArgumentException.class, () -> runs.run("Good!", seed -> Map.of("m", 1.0)));
    }
}
