package org.plm4j.extension.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerAndPretrainMagicOptionsTest {

    @Test
    void tokenizerHelpShowsBothJavaCallsAndDefaultsComeFromTheLib() {
        String help = TokenizerMagic.OPTIONS.help();
        assertTrue(help.contains("WordPieceTrainer.train(") && help.contains("BpeTrainer.train("), help);
        var p = TokenizerMagic.OPTIONS.parse(List.of("--type", "bpe", "--vocab", "500", "--as", "bpe"));
        assertEquals("bpe", p.string("type"));
        assertEquals(500, p.integer("vocab"));
        assertEquals(org.plm4j.tokenizer.WordPieceConfig.DEFAULT_MIN_FREQUENCY,
                TokenizerMagic.OPTIONS.parse(List.of()).integer("min-frequency"));
    }

    @Test
    void pretrainParsesTheNewOptions() {
        var p = PretrainMagic.OPTIONS.parse(List.of("--resume", "run1", "--adapt", "dapt", "--whole-word",
                "--accumulate", "4", "--patience", "3", "--checkpoint-every", "100", "--line-by-line"));
        assertEquals("run1", p.string("resume"));
        assertEquals("dapt", p.string("adapt"));
        assertTrue(p.flag("whole-word") && p.flag("line-by-line"));
        assertEquals(4, p.integer("accumulate"));
        assertEquals(1, PretrainMagic.OPTIONS.parse(List.of()).integer("accumulate"));
        String help = PretrainMagic.OPTIONS.help();
        assertTrue(help.contains("optResumeFrom(") && help.contains("Adaptation.PRETRAIN") && help.contains("--adapt dapt|tapt"), help);
    }
}
