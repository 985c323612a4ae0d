"""Notebook 05 (evaluation in depth on foldoc-topics: Tribuo's report, per-class and head/tail tables,
the confusion heat map, the most confused pairs, baselines, and the spread over seeds) at a small scale
through the headless runner. It checks that the comparison table, every verdict sentence and the
baseline sentence follow the one verdict rule from the run records; that the spread table (min, max,
range, mean ± sd, best and worst seed) and the "one run each" table (run pairs in which A or B is
higher, how many contradict the verdict over seeds) are what the records give; that the
"first k seeds" table applies the rule to the first k records; and that the error counts of the
confused-pairs statement agree with the recorded test accuracy."""
import re

from notebook_runs import (HIGHER, LOWER, NO_CLEAR, PRINTED, assert_printed, check_baseline_sentence, html_tables,
                           check_comparison_table, check_difference_sentences, check_seeds, mean_sd, per_seed, rule,
                           run_notebook)

SEEDS = [1, 2, 3]
METHODS = ["majority", "TF-IDF + LR", "MiniLM linear probe", "MiniLM fine-tuned"]
F1, TAIL, HEAD = "test_macro_f1", "test_tail_macro_f1", "test_head_macro_f1"
EVAL_SIZE = 40


def tables_with(html, first_header):
    """The HTML tables whose first header cell is `first_header`, as lists of {column: cell} rows."""
    return [rows for rows in html_tables(html) if rows and next(iter(rows[0])) == first_header]


def scores(runs, method, metric=F1):
    """The method's metric per seed, in seed order."""
    return per_seed(runs, method, metric)


def test_evaluation_notebook_reports_spread_and_single_seed_reversals_from_its_records(tmp_path):
    output, runs = run_notebook("05-evaluation", tmp_path, seeds=",".join(map(str, SEEDS)), trainSize=60, validationSize=20,
                                evalSize=EVAL_SIZE, epochs=1, maxLength=32, topPairs=3, examplesPerPair=1)
    check_seeds(runs, METHODS, SEEDS)
    table = check_comparison_table(output, runs, baseline="TF-IDF + LR")
    assert [row["method"] for row in table] == METHODS
    check_difference_sentences(output, runs, [
        ("MiniLM fine-tuned", "majority", F1), ("MiniLM fine-tuned", "TF-IDF + LR", F1),
        ("MiniLM fine-tuned", "MiniLM linear probe", F1), ("MiniLM linear probe", "TF-IDF + LR", F1),
        ("MiniLM fine-tuned", "TF-IDF + LR", TAIL), ("MiniLM fine-tuned", "TF-IDF + LR", HEAD)])
    check_baseline_sentence(output, runs, "TF-IDF + LR")
    # the predictions kept for the analyses give the recorded metrics of every run
    assert f"the kept predictions reproduce the recorded test macro-F1 of all {len(METHODS) * len(SEEDS)} runs" in output.stdout
    # Tribuo's own report and the heat maps
    assert re.search(r"^Class\s+n\s+tp\s+fn\s+fp\s+recall\s+prec\s+f1$", output.stdout, re.M), "no Tribuo report"
    assert 'HeatMapChart "confusion of' in output.plain and output.html.count("<img") >= 2, "a confusion heat map is missing"

    # head and tail macro-F1 over seeds: the records' numbers
    (head_tail,) = [t for t in tables_with(output.html, "method") if t and "tail macro-F1" in t[0] and "runs" not in t[0]]
    for row in head_tail:
        assert_printed(row["head macro-F1"], mean_sd(scores(runs, row["method"], HEAD)), row["method"])
        assert_printed(row["tail macro-F1"], mean_sd(scores(runs, row["method"], TAIL)), row["method"])

    # the spread table: min, max, range, mean ± sd, best and worst seed per method
    (spread,) = [t for t in tables_with(output.html, "method") if t and "range" in t[0]]
    assert [row["method"] for row in spread] == METHODS
    for row in spread:
        v = scores(runs, row["method"])
        assert abs(float(row["min"]) - min(v)) <= PRINTED and abs(float(row["max"]) - max(v)) <= PRINTED, (row, v)
        assert abs(float(row["range"]) - (max(v) - min(v))) <= PRINTED, (row, v)
        assert_printed(row["mean ± sd"], mean_sd(v), row["method"])
        assert v[SEEDS.index(int(row["best seed"]))] == max(v) and v[SEEDS.index(int(row["worst seed"]))] == min(v), (row, v)

    # one run of each vs the verdict over seeds: every count recomputed from the records
    (single,) = tables_with(output.html, "A")
    assert [(r["A"], r["B"]) for r in single] == [("MiniLM fine-tuned", "TF-IDF + LR"), ("MiniLM fine-tuned", "MiniLM linear probe"),
                                                  ("MiniLM linear probe", "TF-IDF + LR")]
    for row in single:
        a, b = scores(runs, row["A"]), scores(runs, row["B"])
        verdict = rule(mean_sd(a), mean_sd(b))
        assert row["verdict over seeds"] == verdict, (row, verdict)
        a_wins = sum(x > y for x in a for y in b)
        b_wins = sum(y > x for x in a for y in b)
        n = len(a) * len(b)
        misleads = n - a_wins if verdict == HIGHER else n - b_wins if verdict == LOWER else a_wins + b_wins
        assert (int(row["run pairs"]), int(row["A higher in one run"]), int(row["B higher in one run"]),
                int(row["single run misleads"])) == (n, a_wins, b_wins, misleads), row
        assert row["same seed: A higher"] == f"{sum(x > y for x, y in zip(a, b))} of {len(SEEDS)}", row
        if verdict == NO_CLEAR:
            assert (f"{row['A']} vs {row['B']} shows no clear difference over {len(SEEDS)} seeds, yet one run of each would have "
                    f"named a winner in {misleads} of {n} run pairs") in output.stdout
        else:
            assert (f"{row['A']} is {verdict} than {row['B']} over {len(SEEDS)} seeds; one run of each would have said the "
                    f"opposite (or a tie) in {misleads} of {n} run pairs.") in output.stdout

    # the verdict from the first k seeds
    (first_k,) = tables_with(output.html, "A vs B")
    assert len(first_k) == 2 * (len(SEEDS) - 1)
    for row in first_k:
        a_name, b_name = row["A vs B"].split(" vs ")
        k = int(row["first k seeds"])
        a, b = mean_sd(scores(runs, a_name)[:k]), mean_sd(scores(runs, b_name)[:k])
        assert_printed(row["A macro-F1"], a, row["A vs B"])
        assert_printed(row["B macro-F1"], b, row["A vs B"])
        assert row["verdict"] == rule(a, b), (row, a, b)

    # the confused pairs: the error count is what the recorded accuracies give, the top pairs hold a part of it
    m = re.search(r"MiniLM fine-tuned made (\d+) test errors over (\d+) seeds; the (\d+) most confused pairs \(of (\d+)\) "
                  r"hold (\d+) of them", output.stdout)
    assert m, "no confused-pairs statement"
    errors, n_seeds, top, pairs, in_top = map(int, m.groups())
    acc = scores(runs, "MiniLM fine-tuned", "test_accuracy")
    assert n_seeds == len(SEEDS) and errors == round(sum((1 - x) * EVAL_SIZE for x in acc)), (errors, acc)
    assert top == min(3, pairs) and 0 < in_top <= errors or errors == 0
    (confused,) = tables_with(output.html, "gold")
    assert len(confused) == top and sum(int(r["MiniLM fine-tuned"]) for r in confused) == in_top
    counts = [int(r["MiniLM fine-tuned"]) for r in confused]
    assert counts == sorted(counts, reverse=True), counts
