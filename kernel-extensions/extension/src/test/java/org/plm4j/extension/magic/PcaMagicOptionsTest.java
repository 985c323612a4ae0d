package org.plm4j.extension.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plm4j.pca.GiniPcaConfig;
import org.plm4j.pca.GlmPcaConfig;

class PcaMagicOptionsTest {

    @Test
    void helpShowsTheGiniAndGlmPcaCallsAndDefaultsComeFromTheLib() {
        String help = PcaMagic.OPTIONS.help();
        assertTrue(help.contains("--method pca|gini|glm-poisson|glm-nb"), help);
        assertTrue(help.contains("GiniPca.fit(") && help.contains("GlmPca.fit(") && help.contains("CountMatrix.of(corpus, tokenizer)"),
                help);
        var defaults = PcaMagic.OPTIONS.parse(List.of());
        assertEquals("pca", defaults.string("method"));
        assertEquals(GiniPcaConfig.DEFAULT_NU, defaults.real("nu"));
        assertEquals(GlmPcaConfig.DEFAULT_THETA, defaults.real("theta"));
        var p = PcaMagic.OPTIONS.parse(List.of("--method", "glm-nb", "--theta", "5", "--data", "counts"));
        assertEquals(GlmPcaConfig.Family.NEGATIVE_BINOMIAL, GlmPcaConfig.Family.parse(p.string("method")));
        assertEquals(5.0, p.real("theta"));
        assertEquals(GlmPcaConfig.Family.POISSON, GlmPcaConfig.Family.parse("glm-poisson"));
    }
}
