"""Notebook 06 (PCA of language-model embeddings) at a small scale through the headless runner: it runs
top to bottom; every comparison table and every "A vs B, metric: ... -> verdict" sentence it prints
carries the mean ± sd of its own run records (kind "pca", one per method and seed) and follows the one
verdict rule; and the key figures hold: the incremental fit equals the exact one, Gavish-Donoho picks
the known rank of the generated matrix and denoises better than keeping 90 % of the variance, kernel
PCA separates the circles where linear PCA cannot, and Gini PCA stays closer to the true axis than
PCA under gross outliers."""
import json
import re

from notebook_runs import DIFFERENCE, assert_printed, comparison_tables, mean_sd, parse_mean_sd, rule, run_notebook

SEEDS = [1, 2]
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


def pca_records(runs):
    found = [json.loads(p.read_text()) for p in runs.rglob("run.json")]
    return [r for r in found if r["kind"] == "pca"]


def values(records, method, metric):
    """The metric of each run of the method, in seed order."""
    runs = sorted((r for r in records if r["config"]["method"] == method and metric in r["metrics"]),
                  key=lambda r: r["seed"])
    found = [r["metrics"][metric] for r in runs]
    assert found, f"no record of method {method!r} with metric {metric!r}"
    return found


def test_pca_notebook_prints_figures_and_verdicts_that_follow_from_its_records(tmp_path):
    output, runs = run_notebook("06-pca", tmp_path, seeds=",".join(map(str, SEEDS)), embedTexts=80,
                                separationTexts=60, daptSteps=2, headWarmupSteps=1, circlePoints=120,
                                outlierRows=300, countDocuments=120, countTerms=80, timingRepeats=1)
    records = pca_records(runs)
    methods = sorted({r["config"]["method"] for r in records})
    for m in methods:
        assert sorted(r["seed"] for r in records if r["config"]["method"] == m) == SEEDS, m

    def stats(method, metric):
        return mean_sd(values(records, method, metric))

    # every comparison table: one row per method, each "mean ± sd" cell recomputed from the records
    tables = comparison_tables(output.html)
    assert len(tables) >= 7, len(tables)
    for table in tables:
        for row in table:
            assert int(row["runs"]) == len(SEEDS), row
            for column, cell in row.items():
                if column in ("method", "runs") or cell == "n/a":
                    continue
                assert_printed(cell, stats(row["method"], column), f"{row['method']} / {column}")

    # every difference sentence: numbers from the records, verdict by the rule
    found = DIFFERENCE.findall(output.stdout)
    assert sorted((a, b, m) for a, b, m, *_ in found) == sorted(DIFFERENCES), found
    for a, b, metric, printed_a, printed_b, verdict in found:
        assert_printed(printed_a, stats(a, metric), f"{a} / {metric}")
        assert_printed(printed_b, stats(b, metric), f"{b} / {metric}")
        assert verdict == rule(stats(a, metric), stats(b, metric)), (a, b, metric, verdict)
        pa, pb = parse_mean_sd(printed_a), parse_mean_sd(printed_b)
        assert pa is not None and pb is not None

    # the summary restates those verdicts
    for pattern, a, b, metric in SUMMARY:
        m = re.search(pattern, output.stdout, re.M)
        assert m, pattern
        assert m.group(1) == rule(stats(a, metric), stats(b, metric)), (pattern, m.group(1))

    # the incremental fit is the exact one (merged block statistics), the randomized one with power
    # iterations is closer to it than without
    assert max(values(records, "incremental (blocks of 100)", "max_angle_deg")) < 1e-3
    assert max(values(records, "incremental (blocks of 100)", "max_variance_error")) < 1e-9
    assert "the same result up to rounding" in output.stdout
    assert stats("randomized, 4 power iterations", "max_angle_deg")[0] < stats("randomized, 0 power iterations",
                                                                                "max_angle_deg")[0]

    # Gavish-Donoho finds the known rank 5 in every seed, and its denoising error is the oracle's
    assert values(records, "Gavish-Donoho", "rank") == [5.0] * len(SEEDS)
    assert f"The rule picked the true rank 5 in {len(SEEDS)} of {len(SEEDS)} seeds" in output.stdout
    assert rule(stats("Gavish-Donoho", "relative_error"), stats("90 % of variance", "relative_error")) == "lower"
    assert values(records, "Gavish-Donoho", "relative_error") == values(records, "oracle rank", "relative_error")

    # kernel PCA separates the circles on its first component; linear PCA does not
    assert min(values(records, "kernel PCA (RBF)", "threshold_accuracy")) > 0.95
    assert max(values(records, "linear PCA", "threshold_accuracy")) < 0.85

    # Gini PCA is closer to the true axis than PCA under 5 % gross outliers, seed by seed
    gini, pca = values(records, "Gini PCA, 5 % outliers", "angle_deg"), values(records, "PCA, 5 % outliers", "angle_deg")
    assert all(g < p for g, p in zip(gini, pca)), (gini, pca)

    # MiniLM's own spectrum does not depend on the seed; each DAPT run changes the embeddings
    assert len(set(values(records, "MiniLM", "mean_cosine"))) == 1
    assert set(values(records, "MiniLM + DAPT", "mean_cosine")).isdisjoint(values(records, "MiniLM", "mean_cosine"))
