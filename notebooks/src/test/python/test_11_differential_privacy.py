"""Notebook 11 (differentially private fine-tuning of all-MiniLM-L6-v2 on foldoc-topics: accuracy vs
epsilon, the RDP accountant, the cost in time) at a small scale through the headless runner: every
private run's record carries the budget it was given (epsilon spent equal to the target over the planned
steps, delta, C, q = batch / n, the steps) and the sigma the accountant table prints, which an independent
numpy/scipy implementation of the accountant confirms when scipy is installed; the accountant table shows
epsilon growing with the steps and shrinking with sigma; the printed time ratio is the records'; every
verdict follows the one verdict rule from the records, and the sentence naming the epsilon levels that
lose accuracy names exactly those the rule finds lower than the non-private run."""
import importlib.util
import math
import re

from conftest import ROOT
from notebook_runs import (LOWER, check_baseline_sentence, check_comparison_table, check_difference_sentences,
                           html_tables, records, rule, stats, run_notebook)

NON_PRIVATE, TFIDF = "non-private (ε = ∞)", "TF-IDF + LR"
EPSILONS = [1, 8]
TRAIN, BATCH, EPOCHS, DELTA, CLIP = 60, 30, 1, 1e-5, 1.0


def dp(eps):
    return f"DP ε = {eps}"


def reference_epsilon():
    """The independent accountant of the lib's tests (numpy/scipy), or None when scipy is missing."""
    if importlib.util.find_spec("scipy") is None:
        return None
    path = ROOT / "lib/src/test/resources/org/plm4j/privacy/rdp_reference.py"
    spec = importlib.util.spec_from_file_location("rdp_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.epsilon


def test_private_fine_tuning_notebook_reports_the_budgets_it_ran_with_and_verdicts_that_follow_from_them(tmp_path):
    output, runs = run_notebook("11-differential-privacy", tmp_path, seeds="1,2", epsilons=",".join(map(str, EPSILONS)),
                                trainSize=TRAIN, validationSize=20, evalSize=40, epochs=EPOCHS, batchSize=BATCH,
                                timingLayers=1, timingSize=TRAIN)
    methods = [TFIDF, NON_PRIVATE] + [dp(e) for e in EPSILONS]
    experiment = records(runs, "experiment")
    for m in methods:
        assert sorted(r["seed"] for r in experiment if r["config"]["method"] == m) == [1, 2], m
    table = check_comparison_table(output, runs, baseline=TFIDF)
    assert [row["method"] for row in table] == methods

    # each private run's record: the budget it was given, over the planned steps
    q, steps = BATCH / TRAIN, EPOCHS * math.ceil(TRAIN / BATCH)
    sigma = {}
    for r in experiment:
        m, metrics = r["config"]["method"], r["metrics"]
        if m in (TFIDF, NON_PRIVATE):
            assert "finetune_dp_epsilon" not in metrics, (m, metrics)
            continue
        eps = EPSILONS[[dp(e) for e in EPSILONS].index(m)]
        assert abs(metrics["finetune_dp_epsilon"] - eps) <= 1e-6 * eps, (m, metrics["finetune_dp_epsilon"])
        assert metrics["finetune_dp_delta"] == DELTA and metrics["finetune_dp_clip"] == CLIP, metrics
        assert abs(metrics["finetune_dp_sampling_rate"] - q) < 1e-12 and metrics["finetune_dp_steps"] == steps, metrics
        assert r["config"]["finetune"]["finetune"]["privacy"] == {"epsilon": float(eps), "delta": DELTA, "clip": CLIP}
        sigma.setdefault(eps, set()).add(metrics["finetune_dp_sigma"])
    assert all(len(s) == 1 for s in sigma.values()), sigma  # sigma follows from the budget, not from the seed
    sigma = {e: s.pop() for e, s in sigma.items()}
    assert sigma[1] > sigma[8] > 0, sigma
    reference = reference_epsilon()
    if reference is not None:
        for eps, s in sigma.items():
            assert abs(reference(q, s, steps, DELTA) - eps) <= 1e-6 * eps, (eps, s, reference(q, s, steps, DELTA))

    # the accountant table: sigma as in the records, epsilon up with the steps and down with sigma
    tables = html_tables(output.html)
    accountant = next(t for t in tables if t and "σ needed" in t[0])
    assert [float(row["target ε"]) for row in accountant] == [float(e) for e in EPSILONS], accountant
    for row in accountant:
        eps = float(row["target ε"])
        assert abs(float(row["σ needed"]) - sigma[int(eps)]) <= 5e-5, (row, sigma)
        assert abs(float(row["ε(q, σ, steps, δ)"]) - eps) <= 5e-5, row
        assert float(row["ε at 2 × steps"]) > eps > float(row["ε at 2 × σ"]), row
    privacy = next(t for t in tables if t and "dp_sigma" in t[0])
    assert sorted((row["method"], int(row["seed"])) for row in privacy) == sorted(
        (dp(e), s) for e in EPSILONS for s in (1, 2)), privacy
    for row in privacy:
        assert abs(float(row["dp_sigma"]) - sigma[int(row["method"].split("= ")[1])]) <= 5e-5, row

    # the time ratio of the head-only runs is the records' tokens per second
    rates = {m: stats(runs, m, "finetune_tokens_per_second")[0] for m in methods[1:]}
    head = re.search(r"^classifier layer on frozen features: non-private (\d+) training tokens/s, DP-SGD (\d+): "
                     r"DP takes ([0-9.]+)× the time per token$", output.stdout, re.M)
    assert head, output.stdout
    private = sum(rates[dp(e)] for e in EPSILONS) / len(EPSILONS)
    assert abs(int(head[1]) - rates[NON_PRIVATE]) <= 0.5 and abs(int(head[2]) - private) <= 0.5, (head.groups(), rates)
    assert abs(float(head[3]) - rates[NON_PRIVATE] / private) <= 0.005, (head.groups(), rates)
    assert re.search(r"^top 1 layers \+ classifier layer: non-private \d+ training tokens/s, DP-SGD \d+: "
                     r"DP takes [0-9.]+× the time per token$", output.stdout, re.M), output.stdout

    check_difference_sentences(output, runs, [(dp(e), NON_PRIVATE, metric) for e in EPSILONS
                                              for metric in ("test_accuracy", "test_macro_f1")]
                               + [(NON_PRIVATE, TFIDF, "test_accuracy")])
    check_baseline_sentence(output, runs, TFIDF)
    losing = [dp(e) for e in EPSILONS
              if rule(stats(runs, dp(e), "test_accuracy"), stats(runs, NON_PRIVATE, "test_accuracy")) == LOWER]
    keeping = [dp(e) for e in EPSILONS if dp(e) not in losing]
    assert f"Lose test accuracy against the non-private run: {', '.join(losing) or 'none'}." in output.stdout
    assert f"No clear loss of test accuracy against the non-private run: {', '.join(keeping) or 'none'}." in output.stdout
