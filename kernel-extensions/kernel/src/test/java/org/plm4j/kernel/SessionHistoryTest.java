package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionHistoryTest {

    private static SessionHistory history() {
        SessionHistory h = new SessionHistory();
        h.add(1, "int a = 6;", null);
        h.add(2, "a * 7", "42");
        h.add(3, "a * 7", "42");
        h.add(4, "String s = \"[x]\";", null);
        return h;
    }

    private static List<Integer> lines(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getCellNumber).toList();
    }

    @Test
    void tailKeepsTheLastCellsInOrderWithOutputsWhenAsked() {
        List<HistoryEntry> tail = history().lookupTail(2, EnumSet.of(ResultFlag.INCLUDE_OUTPUT));
        assertEquals(List.of(3, 4), lines(tail));
        assertEquals("42", tail.get(0).getOutput());
        assertEquals("", tail.get(1).getOutput());
        assertFalse(history().lookupTail(2, Set.of()).get(0).hasOutput());
    }

    @Test
    void rangeIsHalfOpenAndOnlyCoversThisSession() {
        assertEquals(List.of(2, 3), lines(history().lookupRange(SessionHistory.SESSION, 2, 4, Set.of())));
        assertEquals(List.of(2, 3, 4), lines(history().lookupRange(0, 2, 0, Set.of())));
        assertTrue(history().lookupRange(-1, 1, 5, Set.of()).isEmpty());
    }

    @Test
    void searchMatchesTheWholeInputAsAGlob() {
        assertEquals(List.of(2, 3), lines(history().search("a ? 7", 0, Set.of())));
        assertEquals(List.of(3), lines(history().search("a*", 1, Set.of())));
        assertEquals(List.of(1, 3), lines(history().search("*a*", 0, EnumSet.of(ResultFlag.UNIQUE))));
        assertTrue(history().search("a", 0, Set.of()).isEmpty(), "no implicit wildcards");
        assertEquals(List.of(4), lines(history().search("*\"[[]x]\"*", 0, Set.of())));
        assertEquals(List.of(1), lines(history().search("int [^b] = 6;", 0, Set.of())));
    }
}
