/**
 * Experiments over seeds: {@link org.plm4j.experiment.Experiment} runs each method (a baseline, a
 * fine-tuning recipe such as general / DAPT / TAPT) with several seeds on one
 * {@link org.plm4j.datasets.LabeledDataset}, evaluates every run on the test split (and on extra
 * test sets, e.g. a paraphrased copy for robustness) and writes one
 * {@link org.plm4j.record.RunRecord} per run; {@link org.plm4j.experiment.Comparison} puts the
 * methods side by side as mean ± sample standard deviation ({@link org.plm4j.experiment.MeanSd})
 * in a Tablesaw table with a macro-F1 chart, and can be rebuilt from the records alone.
 * {@link org.plm4j.experiment.SeededRuns} does the same for methods whose result is not a
 * classifier (held-out perplexity of a pretraining recipe, say): each run returns its metrics.
 *
 * <pre>{@code
 * Experiment exp = Experiment.builder(task).optSeeds(1, 2, 3).optOutputDir(Path.of("runs/exp")).build();
 * exp.run("majority", seed -> MajorityClassifier.fit(task.train()));
 * exp.run("TF-IDF + LR", seed -> TfIdfLogisticRegression.fit(task.train(), TfIdfConfig.builder().optSeed(seed).build()));
 * Comparison c = exp.comparison().against("TF-IDF + LR");
 * c.table(); c.chart();
 * Comparison.fromRecords(Path.of("runs/exp"));   // the same table, from the run.json files
 * }</pre>
 *
 * <p>A method that fails for a seed stops with an {@link org.plm4j.experiment.ExperimentException}
 * naming the method and the seed; there is no partial row.
 */
package org.plm4j.experiment;
