package org.plm4j.backtranslate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Any {@link BackTranslator} with a {@link TranslationCache} in front: texts already translated
 * by an engine of the same {@link BackTranslator#identity(String) identity} are answered from
 * the cache without calling the engine at all; the others (each distinct text once) go to the
 * engine in one batch and are stored. {@link #stats()} counts hits and misses.
 */
public final class CachedTranslator implements BackTranslator {

    /** Hits and misses since this translator was made. */
    public record Stats(long hits, long misses) {
        /** hits / (hits + misses), 0 when nothing was looked up. */
        public double hitRate() {
            long n = hits + misses;
            return n == 0 ? 0.0 : (double) hits / n;
        }
    }

    private final BackTranslator engine;
    private final TranslationCache cache;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private CachedTranslator(BackTranslator engine, TranslationCache cache) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** {@code engine} behind {@code cache}. */
    public static CachedTranslator of(BackTranslator engine, TranslationCache cache) {
        return new CachedTranslator(engine, cache);
    }

    /** {@code engine} behind the cache at {@link TranslationCache#atDefaultLocation()}. */
    public static CachedTranslator of(BackTranslator engine) {
        return new CachedTranslator(engine, TranslationCache.atDefaultLocation());
    }

    public BackTranslator engine() {
        return engine;
    }

    public TranslationCache cache() {
        return cache;
    }

    public Stats stats() {
        return new Stats(hits.get(), misses.get());
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public String identity(String pair) {
        return engine.identity(pair);
    }

    @Override
    public List<String> translate(List<String> texts, String pair) {
        return translate(texts, pair, TranslationProgress.NONE);
    }

    /** Hits count as done at once; the misses report through the engine. */
    @Override
    public List<String> translate(List<String> texts, String pair, TranslationProgress progress) {
        String identity = engine.identity(pair);
        String[] out = cache.lookup(identity, pair, texts);
        Map<String, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                missing.computeIfAbsent(texts.get(i), k -> new ArrayList<>()).add(i);
            }
        }
        hits.addAndGet(out.length - missing.values().stream().mapToLong(List::size).sum());
        misses.addAndGet(missing.values().stream().mapToLong(List::size).sum());
        long total = texts.size();
        long hitCount = out.length - missing.values().stream().mapToLong(List::size).sum();
        progress.onProgress(hitCount, total);
        if (!missing.isEmpty()) {
            List<String> todo = new ArrayList<>(missing.keySet());
            long distinct = todo.size();
            long missCount = total - hitCount;
            List<String> done = engine.translate(todo, pair,
                    (d, t) -> progress.onProgress(hitCount + (distinct == 0 ? 0 : d * missCount / distinct), total));
            if (done.size() != todo.size()) {
                throw new BackTranslationException("engine " + engine.name() + " returned " + done.size()
                        + " translations for " + todo.size() + " texts with " + pair + "; nothing was cached. "
                        + "A BackTranslator must return one translation per input.");
            }
            cache.put(identity, pair, todo, done);
            for (int j = 0; j < todo.size(); j++) {
                for (int i : missing.get(todo.get(j))) {
                    out[i] = done.get(j);
                }
            }
        }
        return List.copyOf(Arrays.asList(out));
    }

    @Override
    public String toString() {
        Stats s = stats();
        return "CachedTranslator[" + engine.name() + ", " + cache.directory() + ", hits=" + s.hits() + ", misses=" + s.misses() + "]";
    }
}
