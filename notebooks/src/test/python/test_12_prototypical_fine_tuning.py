"""Notebook 12 (linear, prototypical and mixed heads on all-MiniLM-L6-v2 over training-set sizes of
foldoc-topics, TF-IDF + LR as the reference) at a small scale through the headless runner: at every size
each method has one run record per seed, trained on that size's training set with the head it names; the
printed weight of the mixed head is the lib's rule for that size and label count; the comparison table's
numbers are the records'; every "A vs B" verdict follows the one verdict rule; the learning-curve chart is
drawn; and the closing sentences about the paper's claim say what the rule finds at the smallest and the
largest size."""
import re

import nbformat

from notebook_runs import HIGHER, LOWER, check_comparison_table, check_difference_sentences, records, rule, stats, run_notebook

SIZES = [30, 60]
HEADS = {"linear": "LINEAR", "prototypical": "PROTOTYPICAL", "mixed": "MIXED"}


def name(method, n):
    return f"{method} (n={n})"


def test_prototypical_notebook_compares_three_heads_at_each_size_by_the_one_rule(tmp_path):
    output, runs = run_notebook("12-prototypical-fine-tuning", tmp_path, seeds="1,2", sizes=",".join(map(str, SIZES)),
                                validationSize=20, evalSize=40, minSteps=2, trainableLayers=1)
    experiment = records(runs, "experiment")
    methods = [name(m, n) for n in SIZES for m in ["TF-IDF + LR", *HEADS]]
    for m in methods:
        mine = [r for r in experiment if r["config"]["method"] == m]
        assert sorted(r["seed"] for r in mine) == [1, 2], m
        n = int(re.search(r"n=(\d+)", m)[1])
        assert all(r["data"][0]["role"] == "train" and r["data"][0]["texts"] == n for r in mine), m
        head = HEADS.get(m.split(" (")[0])
        if head is not None:
            assert all(r["config"]["finetune"]["finetune"]["head"] == head for r in mine), m
    table = check_comparison_table(output, runs)
    assert [row["method"] for row in table] == methods

    # the mixed head's weight on the prototypes: 100 / (100 + n / labels), as printed per size
    for n in SIZES:
        labels = {len(r["config"]["finetune"]["labels"]) for r in experiment if r["config"]["method"] == name("mixed", n)}
        assert len(labels) == 1, labels
        c = labels.pop()
        line = re.search(rf"^n = +{n}: +(\d+) labels, .* MIXED weighs the prototypes ([0-9.]+)$", output.stdout, re.M)
        assert line and int(line[1]) == c, (n, c, output.stdout)
        assert abs(float(line[2]) - 100 / (100 + n / c)) <= 0.005, (n, c, line[2])

    check_difference_sentences(output, runs, [(name(h, n), name("linear", n), metric) for n in SIZES
                                              for h in ("prototypical", "mixed")
                                              for metric in ("test_macro_f1", "test_accuracy")])

    # the learning-curve chart is an image
    nb = nbformat.read(tmp_path / "12-prototypical-fine-tuning.out.ipynb", as_version=4)
    chart = [c for c in nb.cells if c.cell_type == "code" and "XYChartBuilder" in c.source]
    assert chart and any("image/png" in o.get("data", {}) for o in chart[0].outputs), chart

    # the closing sentences follow the rule at the smallest and the largest size
    small, large = SIZES[0], SIZES[-1]
    for head in ("prototypical", "mixed"):
        at = {n: rule(stats(runs, name(head, n), "test_macro_f1"), stats(runs, name("linear", n), "test_macro_f1"))
              for n in (small, large)}
        better, no_worse = at[small] == "higher", at[large] != "lower"
        claim = ("holds" if better and no_worse else "holds at the small size only" if better
                 else "does not hold (no gain at the small size)" if no_worse else "does not hold")
        sentence = (f"{head} head, test macro-F1 vs the linear head: {at[small]} at n = {small}, {at[large]} at n = "
                    f"{large} -> the claim {claim} here.")
        assert sentence in output.stdout, (sentence, output.stdout)
        # and the by-size line lists every size where the rule finds the head higher or lower
        by_size = {n: rule(stats(runs, name(head, n), "test_macro_f1"), stats(runs, name("linear", n), "test_macro_f1"))
                   for n in SIZES}
        listed = {v: ", ".join(f"n = {n}" for n in SIZES if by_size[n] == v) or "no size" for v in (HIGHER, LOWER)}
        line = (f"{head} head vs the linear head, test macro-F1 by size: clearly higher at {listed[HIGHER]}; "
                f"clearly lower at {listed[LOWER]}.")
        assert line in output.stdout, (line, output.stdout[-2000:])
