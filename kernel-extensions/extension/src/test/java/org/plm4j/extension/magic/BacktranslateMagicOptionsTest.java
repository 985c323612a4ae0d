package org.plm4j.extension.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.backtranslate.AugmentationConfig;
import org.plm4j.backtranslate.Pivot;

class BacktranslateMagicOptionsTest {

    @Test
    void defaultsComeFromAugmentationConfig() {
        AugmentationConfig c = BacktranslateMagic.config(BacktranslateMagic.OPTIONS.parse(List.of()));
        assertEquals(AugmentationConfig.defaults(), c);
    }

    @Test
    void pivotsAreReadInOrder() {
        AugmentationConfig c = BacktranslateMagic.config(BacktranslateMagic.OPTIONS.parse(
                List.of("--pivot", "spa,cat", "--copies", "2", "--ratio", "1.5", "--seed", "7")));
        assertEquals(List.of(Pivot.SPA, Pivot.CAT), c.pivots());
        assertEquals(1.5, c.ratio());
        assertEquals(7L, c.seed());
    }

    @Test
    void moreCopiesThanPivotsPointsAtThePivotOption() {
        MagicUsageException e = assertThrows(MagicUsageException.class,
                () -> BacktranslateMagic.config(BacktranslateMagic.OPTIONS.parse(List.of("--copies", "2"))));
        assertTrue(e.getMessage().contains("needs at least 2 pivots") && e.getMessage().contains("--pivot spa,cat"), e.getMessage());
        MagicUsageException u = assertThrows(MagicUsageException.class,
                () -> BacktranslateMagic.config(BacktranslateMagic.OPTIONS.parse(List.of("--pivot", "xx"))));
        assertTrue(u.getMessage().contains("unknown pivot 'xx'"), u.getMessage());
    }

    @Test
    void helpShowsTheJavaCall() {
        String help = BacktranslateMagic.OPTIONS.help();
        assertTrue(help.contains("Augmenter.of(engine, config).augment(train)") && help.contains("--pivot LANG[,LANG]"), help);
    }
}
