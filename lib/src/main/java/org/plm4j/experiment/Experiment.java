package org.plm4j.experiment;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.evaluate.ClassificationEvaluation;
import org.plm4j.evaluate.HeadTail;
import org.plm4j.finetune.FineTuneResult;
import org.plm4j.model.Lineage;
import org.plm4j.record.Metrics;
import org.plm4j.record.RunRecord;
import org.plm4j.record.Versions;

/**
 * Runs methods (a baseline, a fine-tuning recipe) over several seeds on one labelled dataset and
 * compares them by mean ± standard deviation.
 *
 * <p>For every method and seed, {@link #run} trains a classifier with the seed, evaluates it on
 * the test split and on every extra test set, times training plus evaluation, closes the
 * classifier when it is {@link AutoCloseable}, and keeps a {@link RunRecord} (kind
 * {@value #KIND}) with the configuration, the seed, the checksums of the splits and the metrics.
 * With an output directory the record is written at once to
 * {@code dir/<method-slug>/seed-<n>/run.json}, so {@link Comparison#fromRecords(Path)} rebuilds
 * the comparison from the files alone.
 *
 * <pre>{@code
 * Experiment exp = Experiment.builder(task).optSeeds(1, 2, 3).optOutputDir(Path.of("runs/exp"))
 *         .addExtraTestSet("paraphrased", paraphrasedTest).build();
 * exp.run("majority", seed -> MajorityClassifier.fit(task.train()));
 * exp.run("TF-IDF + LR", seed -> TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.builder().optSeed(seed).build()));
 * exp.runFineTuned("DAPT", seed -> FineTuner.builder().setModel(dapt).setTokenizer(tok).setData(task)
         .optConfig(config.toBuilder().optSeed(seed).build()).run());
 * exp.comparison().against("TF-IDF + LR");     // table, chart, "beats TF-IDF + LR?" column
 * }</pre>
 *
 * <p>Each method runs its seeds in order; if one seed fails, {@link #run} throws an
 * {@link ExperimentException} naming the method and the seed, and the method is not added (the
 * records of its earlier seeds stay on disk). Not thread-safe: run methods one after another.
 */
public final class Experiment {

    /** The {@link RunRecord#kind()} of an experiment run. */
    public static final String KIND = "experiment";
    /** Seeds used when none are given. */
    public static final List<Long> DEFAULT_SEEDS = List.of(1L, 2L, 3L);

    static List<Long> seedList(long... seeds) {
        List<Long> s = new ArrayList<>();
        for (long x : seeds) {
            s.add(x);
        }
        return s;
    }

    /** Refuses an empty or repeating seed list (Experiment and SeededRuns alike). */
    static void checkSeeds(List<Long> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds must not be empty; e.g. optSeeds(1, 2, 3)");
        }
        if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
            throw new IllegalArgumentException("seeds must be distinct, got " + seeds);
        }
    }


    /** Config key of the method's name in each record. */
    public static final String CONFIG_METHOD = "method";
    /** Config key of the dataset's name in each record. */
    public static final String CONFIG_EXPERIMENT = "experiment";
    /** Config key of the extra test sets' names in each record. */
    public static final String CONFIG_EXTRA_TEST_SETS = "extraTestSets";
    /** Artifact key of the fine-tuning record, relative to the run directory, when one was written. */
    public static final String ARTIFACT_FINETUNE_RUN = "finetune_run";

    private static final Set<String> SPLITS = Set.of("train", "validation", "test");

    private final LabeledDataset data;
    private final List<Long> seeds;
    private final Path outputDir;
    private final Map<String, LabeledTexts> extraTestSets;
    private final List<MethodResult> results = new ArrayList<>();
    private Map<String, String> versions;

    private Experiment(Builder b) {
        this.data = b.data;
        this.seeds = List.copyOf(b.seeds);
        this.outputDir = b.outputDir;
        this.extraTestSets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.extraTestSets));
    }

    /** A builder for an experiment on {@code data}: seeds {@link #DEFAULT_SEEDS}, no output directory. */
    public static Builder builder(LabeledDataset data) {
        return new Builder(Objects.requireNonNull(data, "data"));
    }

    public LabeledDataset data() {
        return data;
    }

    public List<Long> seeds() {
        return seeds;
    }

    /** The output directory, or null when records are kept in memory only. */
    public Path outputDir() {
        return outputDir;
    }

    /** The extra test sets by name, in the order added. */
    public Map<String, LabeledTexts> extraTestSets() {
        return extraTestSets;
    }

    /**
     * Trains {@code fit.apply(seed)} for every seed, evaluates and records each run, and adds the
     * method to {@link #comparison()}.
     *
     * @param method a name unique in this experiment, e.g. {@code "TF-IDF + LR"}
     * @param fit trains a classifier with the given seed (closed after evaluation if {@link AutoCloseable})
     * @throws ExperimentException if a seed fails (message names method and seed, cause kept)
     * @throws IllegalArgumentException if the name is blank or already used
     */
    public MethodResult run(String method, LongFunction<? extends TextClassifier> fit) {
        Objects.requireNonNull(fit, "fit");
        return runSeeds(method, seed -> new Trained(fit.apply(seed), null));
    }

    /**
     * {@link #run} for fine-tuning: the record of each run also holds the fine-tuning record's
     * configuration (config {@code finetune}), its lineage (prefixed {@code finetune.}, and
     * {@code baseCheckpoint} as is) and metrics other than the test ones (prefixed
     * {@code finetune.}); with an output directory the fine-tuning record is written to
     * {@code finetune/run.json} in the run directory and named by the artifact {@value #ARTIFACT_FINETUNE_RUN}.
     */
    public MethodResult runFineTuned(String method, LongFunction<FineTuneResult> fineTune) {
        Objects.requireNonNull(fineTune, "fineTune");
        return runSeeds(method, seed -> {
            FineTuneResult r = fineTune.apply(seed);
            if (r == null) {
                throw new IllegalStateException("the fine-tuning function returned null");
            }
            return new Trained(r.classifier(), r.record());
        });
    }

    /** The methods run so far, in order, as a comparison (a snapshot). */
    public Comparison comparison() {
        return Comparison.of(results);
    }

    /** The methods run so far, in order. */
    public List<MethodResult> results() {
        return List.copyOf(results);
    }

    /** The run directory of {@code method} and {@code seed} under {@code outputDir}. */
    public static Path runDir(Path outputDir, String method, long seed) {
        return outputDir.resolve(slug(method)).resolve("seed-" + seed);
    }

    /** Lower-case letters and digits of {@code method}, other runs of characters as one {@code -}. */
    static String slug(String method) {
        String s = method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "method" : s;
    }

    private record Trained(TextClassifier classifier, RunRecord upstream) {}

    private MethodResult runSeeds(String method, LongFunction<Trained> train) {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("a method needs a non-blank name, got '" + method + "'");
        }
        for (MethodResult r : results) {
            if (r.method().equals(method) || slug(r.method()).equals(slug(method))) {
                throw new IllegalArgumentException("method '" + method + "' clashes with '" + r.method()
                        + "' already run (same name or directory '" + slug(method) + "'); give it another name");
            }
        }
        List<RunRecord> runs = new ArrayList<>();
        for (long seed : seeds) {
            RunRecord record;
            try {
                record = runOne(method, seed, train);
            } catch (RuntimeException e) {
                throw new ExperimentException(method, seed, e);
            }
            runs.add(record);
        }
        MethodResult result = new MethodResult(method, runs);
        results.add(result);
        return result;
    }

    private RunRecord runOne(String method, long seed, LongFunction<Trained> train) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        Trained trained = train.apply(seed);
        TextClassifier classifier = trained == null ? null : trained.classifier();
        if (classifier == null) {
            throw new IllegalStateException("the training function returned no classifier");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        RuntimeException failure = null;
        try {
            ClassificationEvaluation test = ClassificationEvaluation.of(classifier, data.test());
            HeadTail ht = test.headTail(data.train().labelCounts());
            metrics.put(Metrics.TEST_ACCURACY, test.accuracy());
            metrics.put(Metrics.TEST_MACRO_F1, test.macroF1());
            metrics.put(Metrics.TEST_MICRO_F1, test.microF1());
            metrics.put(Metrics.TEST_HEAD_MACRO_F1, ht.headMacroF1());
            metrics.put(Metrics.TEST_TAIL_MACRO_F1, ht.tailMacroF1());
            extraTestSets.forEach((name, texts) -> {
                ClassificationEvaluation e = ClassificationEvaluation.of(classifier, texts);
                metrics.put(Metrics.accuracyOn(name), e.accuracy());
                metrics.put(Metrics.macroF1On(name), e.macroF1());
                metrics.put(Metrics.dropOn(name), test.accuracy() - e.accuracy());
            });
            metrics.put(Metrics.WALL_SECONDS, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            failure = close(classifier, failure);
        }
        if (failure != null) {
            throw failure;
        }
        Instant end = Instant.now();
        return record(method, seed, classifier.name(), trained.upstream(), metrics, RunRecord.Timings.between(start, end));
    }

    private static RuntimeException close(TextClassifier classifier, RuntimeException failure) {
        if (classifier instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    return new IllegalStateException("could not close the classifier " + classifier.name() + ": " + e, e);
                }
            }
        }
        return failure;
    }

    private RunRecord record(String method, long seed, String classifierName, RunRecord upstream,
            Map<String, Double> metrics, RunRecord.Timings timings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CONFIG_EXPERIMENT, data.name());
        config.put(CONFIG_METHOD, method);
        config.put("classifier", classifierName);
        config.put("seeds", seeds);
        config.put(CONFIG_EXTRA_TEST_SETS, List.copyOf(extraTestSets.keySet()));
        List<RunRecord.DataSet> sets = new ArrayList<>();
        sets.add(RunRecord.DataSet.of("train", data.train()));
        sets.add(RunRecord.DataSet.of("validation", data.validation()));
        sets.add(RunRecord.DataSet.of("test", data.test()));
        extraTestSets.forEach((name, texts) -> sets.add(RunRecord.DataSet.of(name, texts)));
        Map<String, String> artifacts = new LinkedHashMap<>();
        Lineage lineage = Lineage.EMPTY;
        Path dir = outputDir == null ? null : runDir(outputDir, method, seed);
        if (upstream != null) {
            config.put("finetune", upstream.config());
            lineage = upstream.lineage();
            if (upstream.artifacts().containsKey("base_checkpoint")) {
                artifacts.put("base_checkpoint", upstream.artifacts().get("base_checkpoint"));
            }
            upstream.metrics().forEach((k, v) -> {
                if (!k.startsWith("test_")) {
                    metrics.put("finetune_" + k, v);
                }
            });
            if (dir != null) {
                upstream.write(dir.resolve("finetune"));
                artifacts.put(ARTIFACT_FINETUNE_RUN, "finetune/" + RunRecord.FILE_NAME);
            }
        }
        if (versions == null) {
            versions = Versions.current();
        }
        RunRecord r = new RunRecord(RunRecord.FORMAT_VERSION, KIND, "completed", config, seed, versions, sets, lineage,
                artifacts, metrics, timings);
        if (dir != null) {
            r.write(dir);
        }
        return r;
    }

    @Override
    public String toString() {
        return "Experiment[" + data.name() + ", seeds " + seeds + ", " + results.size() + " methods"
                + (extraTestSets.isEmpty() ? "" : ", extra test sets " + extraTestSets.keySet())
                + (outputDir == null ? "" : ", " + outputDir) + "]";
    }

    /** Builds an {@link Experiment}; {@link #build()} validates the settings. */
    public static final class Builder {
        private final LabeledDataset data;
        private List<Long> seeds = DEFAULT_SEEDS;
        private Path outputDir;
        private final Map<String, LabeledTexts> extraTestSets = new LinkedHashMap<>();

        private Builder(LabeledDataset data) {
            this.data = data;
        }

        /** The seeds each method runs with, in order (default {@link #DEFAULT_SEEDS}). */
        public Builder optSeeds(long... seeds) {
            this.seeds = seedList(seeds);
            return this;
        }

        /** Where each run's record goes: {@code dir/<method-slug>/seed-<n>/run.json}. */
        public Builder optOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /**
         * Another labelled set every run is also evaluated on, e.g. a back-translated copy of the
         * test split for robustness: metrics {@code <name>.accuracy}, {@code <name>.macroF1} and
         * {@code <name>.drop} (test accuracy minus accuracy on this set).
         */
        public Builder addExtraTestSet(String name, LabeledTexts texts) {
            Objects.requireNonNull(texts, "texts");
            if (name == null || name.isBlank() || SPLITS.contains(name)) {
                throw new IllegalArgumentException("an extra test set needs a name other than train, validation or test, got '"
                        + name + "'");
            }
            if (extraTestSets.putIfAbsent(name, texts) != null) {
                throw new IllegalArgumentException("extra test set '" + name + "' was already added");
            }
            return this;
        }

        /**
         * The experiment.
         *
         * @throws IllegalArgumentException if there is no seed or a seed repeats
         */
        public Experiment build() {
            checkSeeds(seeds);
            return new Experiment(this);
        }
    }
}
