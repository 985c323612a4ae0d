package org.plm4j.experiment;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

import org.plm4j.model.Lineage;
import org.plm4j.record.Metrics;
import org.plm4j.record.RunRecord;

/**
 * Methods measured over several seeds when the result is not a classifier (held-out perplexity of
 * a pretraining recipe, pieces per word, ...): each method's function gets the seed and returns
 * its metrics; every run becomes a {@link RunRecord} of kind {@value Experiment#KIND} (config
 * {@code experiment}, {@code method}, {@code seeds}; metrics plus {@code wall_seconds}), written to
 * {@code dir/<method-slug>/seed-<n>/run.json} like an {@link Experiment}'s, and
 * {@link #comparison()} judges the methods by the same verdict rule.
 *
 * <pre>{@code
 * SeededRuns runs = SeededRuns.builder("masking").optSeeds(1, 2, 3).optOutputDir(Path.of("runs/masking")).build();
 * runs.run("token-level", seed -> Map.of("heldout_perplexity", pretrain(false, seed)));
 * runs.run("whole-word", seed -> Map.of("heldout_perplexity", pretrain(true, seed)));
 * runs.comparison().difference("whole-word", "token-level", "heldout_perplexity");
 * }</pre>
 *
 * <p>If a seed fails, {@link #run} throws an {@link ExperimentException} naming the method and the
 * seed, and the method is not added. Not thread-safe.
 */
public final class SeededRuns {

    private final String name;
    private final List<Long> seeds;
    private final Path outputDir;
    private final List<MethodResult> results = new ArrayList<>();

    private SeededRuns(Builder b) {
        this.name = b.name;
        this.seeds = List.copyOf(b.seeds);
        this.outputDir = b.outputDir;
    }

    /** A builder for runs named {@code name} (the records' config {@code experiment}). */
    public static Builder builder(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the runs need a non-blank name, got '" + name + "'");
        }
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public List<Long> seeds() {
        return seeds;
    }

    /**
     * Calls {@code measure.apply(seed)} for every seed, records each run and adds the method to
     * {@link #comparison()}.
     *
     * @param method a name unique among these runs
     * @param measure the metrics of one run (snake_case names, e.g. {@code heldout_perplexity})
     * @throws ExperimentException if a seed fails or returns no metric (cause kept)
     * @throws IllegalArgumentException if the name is blank or already used
     */
    public MethodResult run(String method, LongFunction<Map<String, Double>> measure) {
        Objects.requireNonNull(measure, "measure");
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("a method needs a non-blank name, got '" + method + "'");
        }
        for (MethodResult r : results) {
            if (r.method().equals(method) || Experiment.slug(r.method()).equals(Experiment.slug(method))) {
                throw new IllegalArgumentException("method '" + method + "' clashes with '" + r.method()
                        + "' already run (same name or directory '" + Experiment.slug(method) + "'); give it another name");
            }
        }
        List<RunRecord> runs = new ArrayList<>();
        for (long seed : seeds) {
            try {
                runs.add(runOne(method, seed, measure));
            } catch (RuntimeException e) {
                throw new ExperimentException(method, seed, e);
            }
        }
        MethodResult result = new MethodResult(method, runs);
        results.add(result);
        return result;
    }

    private RunRecord runOne(String method, long seed, LongFunction<Map<String, Double>> measure) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        Map<String, Double> got = measure.apply(seed);
        if (got == null || got.isEmpty()) {
            throw new IllegalStateException("the measuring function returned no metric");
        }
        Map<String, Double> metrics = new LinkedHashMap<>(got);
        metrics.put(Metrics.WALL_SECONDS, (System.nanoTime() - t0) / 1e9);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(Experiment.CONFIG_EXPERIMENT, name);
        config.put(Experiment.CONFIG_METHOD, method);
        config.put("seeds", seeds);
        RunRecord r = RunRecord.of(Experiment.KIND, "completed", config, seed, List.of(), Lineage.EMPTY, Map.of(), metrics,
                RunRecord.Timings.between(start, Instant.now()));
        if (outputDir != null) {
            r.write(Experiment.runDir(outputDir, method, seed));
        }
        return r;
    }

    /** The methods run so far, in order, as a comparison (a snapshot). */
    public Comparison comparison() {
        return Comparison.of(results);
    }

    @Override
    public String toString() {
        return "SeededRuns[" + name + ", seeds " + seeds + ", " + results.size() + " methods"
                + (outputDir == null ? "" : ", " + outputDir) + "]";
    }

    /** Builds {@link SeededRuns}; {@link #build()} validates the seeds. */
    public static final class Builder {
        private final String name;
        private List<Long> seeds = Experiment.DEFAULT_SEEDS;
        private Path outputDir;

        private Builder(String name) {
            this.name = name;
        }

        /** The seeds each method runs with, in order (default {@link Experiment#DEFAULT_SEEDS}). */
        public Builder optSeeds(long... seeds) {
            this.seeds = Experiment.seedList(seeds);
            return this;
        }

        /** Where each run's record goes: {@code dir/<method-slug>/seed-<n>/run.json}. */
        public Builder optOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /**
         * The runs.
         *
         * @throws IllegalArgumentException if there is no seed or a seed repeats
         */
        public SeededRuns build() {
            Experiment.checkSeeds(seeds);
            return new SeededRuns(this);
        }
    }
}
