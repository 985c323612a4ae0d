package org.plm4j.extension.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.finetune.Head;
import org.plm4j.finetune.Privacy;

class FineTuneMagicOptionsTest {

    static FineTuneConfig config(String... args) {
        return FineTuneMagic.config(FineTuneMagic.OPTIONS.parse(List.of(args)));
    }

    @Test
    void dpOptionsBecomeAPrivacyBudgetOnTheHeadOrTopLayersAndHeadOptionsAHead() {
        FineTuneConfig dp = config("--dp-epsilon", "3", "--dp-delta", "1e-5", "--clip", "1.0");
        assertEquals(Privacy.of(3, 1e-5, 1.0), dp.privacy());
        assertEquals(0, dp.trainableLayers(), "DP-RAFT's recipe: the head only");
        assertEquals(Privacy.of(8, Privacy.DEFAULT_DELTA, Privacy.DEFAULT_CLIP), config("--dp-epsilon", "8").privacy());
        FineTuneConfig plain = config();
        assertNull(plain.privacy());
        assertEquals(Head.LINEAR, plain.head());
        assertEquals(-1, plain.trainableLayers());
        assertEquals(Head.PROTOTYPICAL, config("--head", "prototypical").head());
        assertEquals(Head.MIXED, config("--head", "MIXED", "--prototype-scale", "0.1").head());
        var bad = assertThrows(MagicUsageException.class, () -> config("--dp-epsilon", "0"));
        assertTrue(bad.getMessage().contains("epsilon"), bad.getMessage());
        assertEquals(2, config("--dp-epsilon", "3", "--freeze", "top:2").trainableLayers());
        var all = assertThrows(MagicUsageException.class, () -> config("--dp-epsilon", "3", "--freeze", "none"));
        assertTrue(all.getMessage().contains("--freeze head or top:K"), all.getMessage());
        var head = assertThrows(MagicUsageException.class, () -> config("--head", "nearest"));
        assertTrue(head.getMessage().contains("linear, prototypical or mixed"), head.getMessage());
        String help = FineTuneMagic.OPTIONS.help();
        assertTrue(help.contains(".optPrivacy(Privacy.of(3, 1e-5, 1.0))") && help.contains(".optHead(Head.PROTOTYPICAL)"),
                help);
    }
}
