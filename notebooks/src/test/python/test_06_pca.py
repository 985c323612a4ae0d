"""Notebook 06 (PCA of language-model embeddings) at a small scale through the headless runner: it runs
top to bottom; each study's comparison table and every "A vs B, metric: ... -> verdict" sentence it
prints carries the mean ± sd of its own run records (one SeededRuns per study: kind "experiment", one
record per method and seed, config.experiment the study) and follows the one verdict rule; and the key
figures hold: the incremental fit equals the exact one, Gavish-Donoho picks the known rank of the
generated matrix and denoises better than keeping 90 % of the variance, kernel PCA separates the
circles where linear PCA cannot, and Gini PCA stays closer to the true axis than PCA under gross
outliers."""
import re

from notebook_runs import (assert_printed, captioned_table, check_difference_sentences, check_seeds, per_seed, records,
                           rule, run_notebook, stats)

SEEDS = [1, 2]
# study -> its methods in the order the notebook runs them, and the metrics each of them records
STUDIES = {
    "solvers": (["exact", "randomized, 0 power iterations", "randomized, 4 power iterations",
                 "incremental (blocks of 100)"], ["milliseconds", "max_angle_deg", "max_variance_error"]),
    "truncation": (["Gavish-Donoho", "90 % of variance", "oracle rank"], ["rank", "relative_error"]),
    "dapt": (["MiniLM", "MiniLM + DAPT"],
             ["pc1_ratio", "top_k_ratio", "effective_rank", "gavish_donoho_k", "mean_cosine", "knn_accuracy"]),
    "kernel": (["linear PCA", "kernel PCA (RBF)"], ["threshold_accuracy"]),
    "separation": (["PCA 2-D", "PCA Gavish-Donoho k-D", "all 384 dimensions", "shuffled topics (control)"],
                   ["knn_accuracy", "silhouette"]),
    "gini": (["PCA, no outliers", "Gini PCA, no outliers", "PCA, 5 % outliers", "Gini PCA, 5 % outliers"],
             ["angle_deg"]),
    "counts": (["PCA of log1p counts", "GLM-PCA (Poisson)"], ["knn_accuracy", "silhouette"]),
}
DIFFERENCES = [
    ("randomized, 4 power iterations", "exact", "milliseconds"),
    ("incremental (blocks of 100)", "exact", "milliseconds"),
    ("randomized, 0 power iterations", "randomized, 4 power iterations", "max_angle_deg"),
    ("Gavish-Donoho", "90 % of variance", "relative_error"),
    ("Gavish-Donoho", "oracle rank", "relative_error"),
    *[("MiniLM + DAPT", "MiniLM", m) for m in
      ("pc1_ratio", "top_k_ratio", "effective_rank", "mean_cosine", "knn_accuracy")],
    ("kernel PCA (RBF)", "linear PCA", "threshold_accuracy"),
    ("PCA 2-D", "shuffled topics (control)", "knn_accuracy"),
    ("PCA Gavish-Donoho k-D", "PCA 2-D", "knn_accuracy"),
    ("all 384 dimensions", "PCA Gavish-Donoho k-D", "knn_accuracy"),
    ("Gini PCA, 5 % outliers", "PCA, 5 % outliers", "angle_deg"),
    ("Gini PCA, no outliers", "PCA, no outliers", "angle_deg"),
    ("GLM-PCA (Poisson)", "PCA of log1p counts", "knn_accuracy"),
    ("GLM-PCA (Poisson)", "PCA of log1p counts", "silhouette"),
]
# the closing summary: (sentence start, A, B, metric) of each verdict it restates
SUMMARY = [
    (r"Solvers: .*?its time vs the exact solver at this size: (.+)\.$",
     "randomized, 4 power iterations", "exact", "milliseconds"),
    (r"Truncation: Gavish-Donoho's denoising error vs keeping 90 % of the variance: (.+) \(",
     "Gavish-Donoho", "90 % of variance", "relative_error"),
    (r"Circles: kernel PCA's first component vs linear PCA's, threshold accuracy: (.+)\.$",
     "kernel PCA (RBF)", "linear PCA", "threshold_accuracy"),
    (r"Topics: 5-NN accuracy in the PCA plane vs shuffled topics: (.+)\.$",
     "PCA 2-D", "shuffled topics (control)", "knn_accuracy"),
    (r"Outliers: Gini PCA's angle to the true axis vs PCA's, with 5 % outliers: (.+)\.$",
     "Gini PCA, 5 % outliers", "PCA, 5 % outliers", "angle_deg"),
    (r"Counts: GLM-PCA vs PCA of log1p counts, 5-NN topic accuracy: (.+)\.$",
     "GLM-PCA (Poisson)", "PCA of log1p counts", "knn_accuracy"),
]


def test_pca_notebook_prints_figures_and_verdicts_that_follow_from_its_records(tmp_path):
    output, runs = run_notebook("06-pca", tmp_path, seeds=",".join(map(str, SEEDS)), embedTexts=80,
                                separationTexts=60, daptSteps=2, headWarmupSteps=1, circlePoints=120,
                                outlierRows=300, countDocuments=120, countTerms=80, timingRepeats=1)

    # one record per method and seed, each carrying its study, and nothing else
    experiment = records(runs, "experiment")
    assert len(experiment) == len(SEEDS) * sum(len(methods) for methods, _ in STUDIES.values()), len(experiment)
    for study, (methods, metrics) in STUDIES.items():
        check_seeds(runs, methods, SEEDS)
        for r in (r for r in experiment if r["config"]["method"] in methods):
            assert r["config"]["experiment"] == study, r["config"]
            assert set(metrics) <= set(r["metrics"]), (r["config"], sorted(r["metrics"]))

    # each study's table (the last one with its caption; for "counts" the one read back from disk):
    # its methods in order, every "mean ± sd" cell recomputed from the records
    for study, (methods, metrics) in STUDIES.items():
        table = captioned_table(output, f"{study}: ")
        assert [row["method"] for row in table] == methods, (study, table)
        for row in table:
            assert int(row["runs"]) == len(SEEDS), row
            assert set(metrics) <= set(row), (study, sorted(row))
            own = [r["metrics"] for r in experiment if r["config"]["method"] == row["method"]]
            for column, cell in row.items():
                if column in ("method", "runs"):
                    continue
                if cell == "n/a":   # a metric another method of the study records (k, iterations)
                    assert not any(column in m for m in own), (row["method"], column)
                else:
                    assert_printed(cell, stats(runs, row["method"], column), f"{row['method']} / {column}")

    # every difference sentence: numbers from the records, verdict by the rule
    check_difference_sentences(output, runs, DIFFERENCES)

    # the summary restates those verdicts
    for pattern, a, b, metric in SUMMARY:
        m = re.search(pattern, output.stdout, re.M)
        assert m, pattern
        assert m.group(1) == rule(stats(runs, a, metric), stats(runs, b, metric)), (pattern, m.group(1))

    # the incremental fit is the exact one (merged block statistics), the randomized one with power
    # iterations is closer to it than without
    assert max(per_seed(runs, "incremental (blocks of 100)", "max_angle_deg")) < 1e-3
    assert max(per_seed(runs, "incremental (blocks of 100)", "max_variance_error")) < 1e-9
    assert "the same result up to rounding" in output.stdout
    assert stats(runs, "randomized, 4 power iterations", "max_angle_deg")[0] < \
        stats(runs, "randomized, 0 power iterations", "max_angle_deg")[0]

    # Gavish-Donoho finds the known rank 5 in every seed, and its denoising error is the oracle's
    assert per_seed(runs, "Gavish-Donoho", "rank") == [5.0] * len(SEEDS)
    assert f"The rule picked the true rank 5 in {len(SEEDS)} of {len(SEEDS)} seeds" in output.stdout
    assert rule(stats(runs, "Gavish-Donoho", "relative_error"), stats(runs, "90 % of variance", "relative_error")) \
        == "lower"
    assert per_seed(runs, "Gavish-Donoho", "relative_error") == per_seed(runs, "oracle rank", "relative_error")

    # kernel PCA separates the circles on its first component; linear PCA does not
    assert min(per_seed(runs, "kernel PCA (RBF)", "threshold_accuracy")) > 0.95
    assert max(per_seed(runs, "linear PCA", "threshold_accuracy")) < 0.85

    # Gini PCA is closer to the true axis than PCA under 5 % gross outliers, seed by seed
    gini, pca = per_seed(runs, "Gini PCA, 5 % outliers", "angle_deg"), per_seed(runs, "PCA, 5 % outliers", "angle_deg")
    assert all(g < p for g, p in zip(gini, pca)), (gini, pca)

    # MiniLM's own spectrum does not depend on the seed; each DAPT run changes the embeddings
    assert len(set(per_seed(runs, "MiniLM", "mean_cosine"))) == 1
    assert set(per_seed(runs, "MiniLM + DAPT", "mean_cosine")).isdisjoint(per_seed(runs, "MiniLM", "mean_cosine"))
