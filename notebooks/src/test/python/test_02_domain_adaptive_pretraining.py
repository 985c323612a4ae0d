"""Notebook 02 (DAPT, TAPT, DAPT+TAPT and a wrong-domain DAPT control from the real pretrained encoder
all-MiniLM-L6-v2, each fine-tuned on foldoc-topics) at a small scale through the headless runner. It
checks that the comparison table, every verdict sentence and the baseline sentence follow the one
verdict rule from the run records; that the table of task-text perplexity next to downstream scores
holds the records' numbers and the printed perplexities; that the plain conclusions (effect or no
effect, the domain sentence, the two orderings) are what those numbers give; that the wrong-domain
corpus holds at least as many tokens as the FOLDOC one; and that the fine-tuning records carry each
model's lineage (MiniLM's jar, the fresh head, DAPT on FOLDOC, then TAPT; DAPT on WordNet glosses)."""
import re

from notebook_runs import (HIGHER, LOWER, PRINTED, assert_printed, check_baseline_sentence, html_tables,
                           check_comparison_table, check_difference_sentences, records, rule, run_notebook, stats)

GENERAL, DAPT, TAPT, BOTH, WRONG = ("MiniLM fine-tuned", "MiniLM + DAPT", "MiniLM + TAPT", "MiniLM + DAPT + TAPT",
                                    "MiniLM + wrong-domain DAPT (WordNet)")
ADAPTED = [DAPT, TAPT, BOTH, WRONG]
QUESTIONS = [(DAPT, GENERAL), (TAPT, GENERAL), (BOTH, GENERAL), (BOTH, DAPT), (BOTH, TAPT), (DAPT, WRONG), (WRONG, GENERAL)]
F1, ACC = "test_macro_f1", "test_accuracy"


def test_dapt_notebook_puts_perplexity_next_to_scores_and_states_what_its_numbers_give(tmp_path):
    output, runs = run_notebook("02-domain-adaptive-pretraining", tmp_path, seeds="1,2", trainSize=40, validationSize=20,
                                evalSize=30, epochs=1, adaptSteps=3, headWarmupSteps=1, maxLength=32)
    methods = ["TF-IDF + LR", GENERAL] + ADAPTED
    for m in methods:
        assert sorted(r["seed"] for r in records(runs, "experiment") if r["config"]["method"] == m) == [1, 2], m
    table = check_comparison_table(output, runs, baseline=GENERAL)
    assert [row["method"] for row in table] == methods
    check_difference_sentences(output, runs, [(a, b, m) for m in (F1, ACC) for a, b in QUESTIONS] + [(GENERAL, "TF-IDF + LR", F1)])
    check_baseline_sentence(output, runs, GENERAL)

    # the printed perplexities, one per adapted model
    ppl = {name: float(v) for name, v in
           re.findall(r"^(.+?)\s+masked-LM perplexity on the test definitions: ([0-9.]+)$", output.stdout, re.M)}
    assert sorted(ppl) == sorted(ADAPTED), ppl
    assert all(v > 1 for v in ppl.values()), ppl

    # one table: perplexity next to accuracy and macro-F1 (records), verdict against general MiniLM by the rule
    (rows,) = [t for t in html_tables(output.html) if t and "task-text perplexity" in t[0]]
    assert [r["method"] for r in rows] == [GENERAL] + ADAPTED
    for r in rows:
        name = r["method"]
        assert_printed(r["accuracy"], stats(runs, name, ACC), name)
        assert_printed(r["macro-F1"], stats(runs, name, F1), name)
        if name == GENERAL:
            assert r["task-text perplexity"].startswith("—") and r["macro-F1 vs general MiniLM"] == "(reference)", r
            assert r["MLM steps"] == "0"
        else:
            assert abs(float(r["task-text perplexity"]) - ppl[name]) <= 0.05 + 1e-9, r
            assert r["macro-F1 vs general MiniLM"] == rule(stats(runs, name, F1), stats(runs, GENERAL, F1)), r
            assert r["MLM steps"] == ("6" if name == BOTH else "3"), r

    # the plain conclusions
    helped = [m for m in ADAPTED if rule(stats(runs, m, F1), stats(runs, GENERAL, F1)) == HIGHER]
    hurt = [m for m in ADAPTED if rule(stats(runs, m, F1), stats(runs, GENERAL, F1)) == LOWER]
    if helped:
        assert f"Clearly higher test macro-F1 than general MiniLM: {', '.join(helped)}." in output.stdout
        assert "No effect seen" not in output.stdout
    else:
        assert "No effect seen: after 3 masked-LM steps, no adapted model's test macro-F1 is clearly higher" in output.stdout
    assert (f"Clearly lower test macro-F1 than general MiniLM: {', '.join(hurt)}." in output.stdout) == bool(hurt)
    domain = rule(stats(runs, DAPT, F1), stats(runs, WRONG, F1))
    words = {HIGHER: "clearly higher", LOWER: "clearly lower"}.get(domain, "not clearly different")
    m = re.search(r"FOLDOC gives a task-text perplexity of ([0-9.]+) against ([0-9.]+) for WordNet glosses \((lower|not lower)"
                  r".*?\), and its downstream macro-F1 is (.+)\.$", output.stdout, re.M)
    assert m, "no domain sentence"
    assert abs(float(m.group(1)) - ppl[DAPT]) <= 0.05 + 1e-9 and abs(float(m.group(2)) - ppl[WRONG]) <= 0.05 + 1e-9
    assert m.group(3) == ("lower" if ppl[DAPT] < ppl[WRONG] else "not lower") and m.group(4) == words, m.groups()
    assert ("Adapted models by task-text perplexity, lowest first: " + " < ".join(sorted(ADAPTED, key=ppl.get))) in output.stdout
    by_f1 = sorted(ADAPTED, key=lambda n: -stats(runs, n, F1)[0])
    assert ("Adapted models by mean test macro-F1, highest first: " + " > ".join(by_f1)) in output.stdout

    # the wrong-domain corpus holds at least as many MiniLM tokens as the FOLDOC corpus
    tokens = dict(re.findall(r"^(\S+)\s+\d+ texts\s+(\d+) MiniLM tokens$", output.stdout, re.M))
    foldoc = next(v for k, v in tokens.items() if k.startswith("foldoc"))
    wordnet = next(v for k, v in tokens.items() if k.startswith("wordnet"))
    assert int(wordnet) >= int(foldoc) > 0, tokens

    # lineage in the fine-tuning records: DAPT then TAPT for DAPT+TAPT, WordNet glosses for the control
    chains = [[(s["kind"], s.get("source", "")) for s in r["lineage"]] for r in records(runs, "finetune")]
    kinds = {tuple(k for k, _ in c) for c in chains}
    assert ("pretrained", "mlm-head-initialised", "dapt", "tapt") in kinds, kinds
    assert any([k for k, _ in c] == ["pretrained", "mlm-head-initialised", "dapt"] and "wordnet" in c[2][1] for c in chains), chains
    assert any([k for k, _ in c] == ["pretrained", "mlm-head-initialised", "dapt"] and "foldoc" in c[2][1] for c in chains), chains
