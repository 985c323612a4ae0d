package org.plm4j.backtranslate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedTranslatorTest {

    @TempDir
    Path dir;

    /** Upper-cases and records every batch it is asked for. */
    static final class CountingEngine implements BackTranslator {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final String version;

        CountingEngine(String version) {
            this.version = version;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String identity(String pair) {
            return "counting/" + version;
        }

        @Override
        public List<String> translate(List<String> texts, String pair) {
            batches.add(List.copyOf(texts));
            return texts.stream().map(t -> pair + ":" + t.toUpperCase(Locale.ROOT)).toList();
        }
    }

    @Test
    void aRerunIsAnsweredFromDiskWithoutCallingTheEngine() {
        CountingEngine first = new CountingEngine("1");
        List<String> in = List.of("a cat", "a dog", "a cat", "");
        List<String> out = CachedTranslator.of(first, TranslationCache.in(dir)).translate(in, "eng-spa");
        assertEquals(List.of("eng-spa:A CAT", "eng-spa:A DOG", "eng-spa:A CAT", "eng-spa:"), out);
        assertEquals(List.of(List.of("a cat", "a dog", "")), first.batches, "each distinct text goes to the engine once");

        CountingEngine second = new CountingEngine("1");
        CachedTranslator again = CachedTranslator.of(second, TranslationCache.in(dir)); // a new process would do this
        assertEquals(out, again.translate(in, "eng-spa"));
        assertEquals(List.of(), second.batches);
        assertEquals(1.0, again.stats().hitRate());
    }

    @Test
    void anotherPairOrEngineVersionIsAMiss() {
        CachedTranslator.of(new CountingEngine("1"), TranslationCache.in(dir)).translate(List.of("x"), "eng-spa");
        CountingEngine otherVersion = new CountingEngine("2");
        CachedTranslator.of(otherVersion, TranslationCache.in(dir)).translate(List.of("x"), "eng-spa");
        assertEquals(1, otherVersion.batches.size());
        CountingEngine otherPair = new CountingEngine("1");
        CachedTranslator.of(otherPair, TranslationCache.in(dir)).translate(List.of("x"), "eng-cat");
        assertEquals(1, otherPair.batches.size());
    }

    @Test
    void onlyTheMissesOfAPartlyCachedBatchReachTheEngine() {
        CachedTranslator.of(new CountingEngine("1"), TranslationCache.in(dir)).translate(List.of("a", "b"), "eng-spa");
        CountingEngine engine = new CountingEngine("1");
        CachedTranslator c = CachedTranslator.of(engine, TranslationCache.in(dir));
        List<Long> seen = new ArrayList<>();
        assertEquals(List.of("eng-spa:A", "eng-spa:C", "eng-spa:B"), c.translate(List.of("a", "c", "b"), "eng-spa",
                (d, t) -> seen.add(d)));
        assertEquals(List.of(2L, 3L), seen, "hits at once, then the engine's progress on the misses");
        assertEquals(List.of(List.of("c")), engine.batches);
        assertEquals(new CachedTranslator.Stats(2, 1), c.stats());
    }

    @Test
    void translationsWithQuotesNewlinesAndUnicodeComeBackExactly() {
        List<String> texts = List.of("a", "b", "c", "d", "e");
        List<String> odd = List.of("say \"hi\"", "back\\slash", "two\nlines", "caf\u00e9 \u4e2d \uD83D\uDE00", "");
        TranslationCache.in(dir).put("e", "eng-spa", texts, odd);
        assertEquals(odd, List.of(TranslationCache.in(dir).lookup("e", "eng-spa", texts)));
    }

    @Test
    void compactionMergesShardsWithoutLosingEntries() throws Exception {
        TranslationCache cache = TranslationCache.in(dir);
        for (int i = 0; i < 5; i++) {
            cache.put("e", "eng-spa", List.of("s" + i), List.of("t" + i));
        }
        cache.put("e", "eng-spa", List.of("s0"), List.of("t0"));
        assertEquals(6, cache.compact("e", "eng-spa"));
        TranslationCache fresh = TranslationCache.in(dir);
        assertEquals(5, fresh.size("e", "eng-spa"));
        assertEquals("t4", fresh.lookup("e", "eng-spa", List.of("s4"))[0]);
        try (var files = java.nio.file.Files.walk(dir)) {
            assertEquals(1, files.filter(p -> p.toString().endsWith(".jsonl")).count());
        }
        assertEquals(0, fresh.compact("e", "eng-spa"));
    }

    @Test
    void concurrentWritersBothLandOnDisk() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                TranslationCache cache = TranslationCache.in(dir); // one instance per writer, as separate processes
                for (int i = 0; i < 25; i++) {
                    cache.put("e", "eng-spa", List.of("w" + id + "-" + i), List.of("t" + id + "-" + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        TranslationCache fresh = TranslationCache.in(dir);
        assertEquals(100, fresh.size("e", "eng-spa"));
        assertEquals("t3-24", fresh.lookup("e", "eng-spa", List.of("w3-24"))[0]);
        assertTrue(java.nio.file.Files.exists(dir.resolve("eng-spa")));
    }
}
