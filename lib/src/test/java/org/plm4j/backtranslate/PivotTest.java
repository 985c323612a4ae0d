package org.plm4j.backtranslate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PivotTest {

    @Test
    void pivotsAreFoundByNameOrTwoLetterCode() {
        assertEquals(Pivot.SPA, Pivot.of("spa"));
        assertEquals(Pivot.SPA, Pivot.of(" ES "));
        assertEquals(Pivot.GLG, Pivot.of("gl"));
        assertEquals("en-gl", Pivot.GLG.forward());
        assertEquals(Pivot.EPO, Pivot.of("eo"));
        assertEquals("eo-en", Pivot.EPO.backward());
    }

    @Test
    void anUnknownPivotListsTheBuiltInOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pivot.of("eus"));
        assertTrue(e.getMessage().contains("spa, cat, glg, epo, hbs"), e.getMessage());
    }

    @Test
    void installHintsNameThePackageOfEitherDirectionAndVariants() {
        assertEquals("apertium-eng-cat", Pivot.packageFor("cat-eng"));
        assertEquals("apertium-eng-cat", Pivot.packageFor("eng-cat_valencia"));
        assertEquals("apertium-eo-en", Pivot.packageFor("en-eo"));
        assertEquals(null, Pivot.packageFor("eng-xxx"));
    }
}
