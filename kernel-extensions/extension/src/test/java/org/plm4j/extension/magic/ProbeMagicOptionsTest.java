package org.plm4j.extension.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.probe.Probe;
import org.plm4j.probe.ProbeConfig;

class ProbeMagicOptionsTest {

    @Test
    void helpShowsTheProbeSeriesCallAndDefaultsComeFromTheLib() {
        String help = MagicCatalog.help("probe");
        assertTrue(help.contains("ProbeSeries.over(Path.of(run), tokenizer, Probe.parse(tasks)"), help);
        assertTrue(help.contains("--run DIR") && help.contains("--tasks LIST"), help);
        var defaults = ProbeMagic.OPTIONS.parse(List.of("--run", "out"));
        assertEquals(List.of(Probe.values()), Probe.parse(defaults.required("tasks")));
        assertEquals(ProbeConfig.builder().build().words(), defaults.integer("words"));
        assertEquals(ProbeConfig.builder().build().seed(), defaults.longValue("seed"));
        var p = ProbeMagic.OPTIONS.parse(List.of("--run", "out", "--tasks", "supersense,pos"));
        assertEquals(List.of(Probe.SUPERSENSE, Probe.POS), Probe.parse(p.required("tasks")));
    }

    @Test
    void pretrainCanKeepTheWholeCheckpointSeries() {
        assertTrue(PretrainMagic.OPTIONS.parse(List.of("--keep-checkpoints")).flag("keep-checkpoints"));
        assertTrue(PretrainMagic.OPTIONS.javaCall().contains(".optKeepCheckpoints(keepCheckpoints)"));
    }
}
