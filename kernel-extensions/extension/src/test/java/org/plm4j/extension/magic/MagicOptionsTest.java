package org.plm4j.extension.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicOptionsTest {

    private final MagicOptions options = MagicOptions.builder("demo", "does a demo")
            .option("steps", "N", 300, "training steps")
            .option("lr", "RATE", 1e-3, "learning rate")
            .option("as", "NAME", null, "bind the result")
            .flag("quiet", "no progress display")
            .javaCall("Demo.run(steps, lr);")
            .build();

    @Test
    void parsesSpaceAndEqualsFormsWithDefaults() {
        var p = options.parse(List.of("--steps", "1_000", "--lr=0.01", "--quiet"));
        assertEquals(1000, p.integer("steps"));
        assertEquals(0.01, p.real("lr"));
        assertTrue(p.flag("quiet"));
        assertFalse(p.has("as"));
        var defaults = options.parse(List.of());
        assertEquals(300, defaults.integer("steps"));
        assertEquals(1e-3, defaults.real("lr"));
    }

    @Test
    void unknownOptionNamesItAndListsTheKnownOnes() {
        var e = assertThrows(MagicUsageException.class, () -> options.parse(List.of("--stepz", "3")));
        assertTrue(e.getMessage().contains("unknown option --stepz"), e.getMessage());
        assertTrue(e.getMessage().contains("--steps"), e.getMessage());
        assertTrue(e.getMessage().contains("%demo --help"), e.getMessage());
    }

    @Test
    void malformedValuesAreReportedWithTheValue() {
        var e = assertThrows(MagicUsageException.class, () -> options.parse(List.of("--steps", "many")).integer("steps"));
        assertTrue(e.getMessage().contains("'many'"), e.getMessage());
        var missing = assertThrows(MagicUsageException.class, () -> options.parse(List.of("--steps")));
        assertTrue(missing.getMessage().contains("--steps needs a value"), missing.getMessage());
        var stray = assertThrows(MagicUsageException.class, () -> options.parse(List.of("oops")));
        assertTrue(stray.getMessage().contains("unexpected argument 'oops'"), stray.getMessage());
        var badName = assertThrows(MagicUsageException.class, () -> options.parse(List.of("--as", "class")).identifier("as"));
        assertTrue(badName.getMessage().contains("Java variable name"), badName.getMessage());
    }

    @Test
    void helpShowsDefaultsAndTheJavaCall() {
        String help = options.help();
        assertTrue(help.contains("--steps N"), help);
        assertTrue(help.contains("(default 300)"), help);
        assertTrue(help.contains("Demo.run(steps, lr);"), help);
        assertTrue(help.contains("--help"), help);
    }
}
