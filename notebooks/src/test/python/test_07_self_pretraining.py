"""Notebook 07 (self-pretraining: a tiny BERT pretrained from scratch on the task's own training text vs on
WordNet glosses of equal token count, then fine-tuned, next to no pretraining, TF-IDF + LR and majority)
at a small scale through the headless runner. Checked against the run records: every method ran once
per seed; the comparison table and each printed verdict follow the one verdict rule from the records'
numbers; the two pretraining runs read equally many tokens, the self-pretraining one only the task's
training text, recorded as self-pretraining in the lineage the fine-tuning records carry; and the
plain conclusion sentence says what the rule says."""
import re

from notebook_runs import (HIGHER, LOWER, check_baseline_sentence, check_comparison_table, check_seeds,
                           check_difference_sentences, records, rule, run_notebook, stats)

METHODS = ["majority", "TF-IDF + LR", "no pretraining", "general pretraining", "self-pretraining"]
MACRO_F1, ACCURACY = "test_macro_f1", "test_accuracy"


def test_self_pretraining_notebook_states_verdicts_that_follow_from_its_numbers(tmp_path):
    output, runs = run_notebook("07-self-pretraining", tmp_path, seeds="1,2", trainSize=200, validationSize=20,
                                evalSize=60, pretrainSteps=10, epochs=1)
    check_seeds(runs, METHODS, [1, 2])
    table = check_comparison_table(output, runs, baseline="TF-IDF + LR")
    assert [row["method"] for row in table] == METHODS
    check_difference_sentences(output, runs, [
        ("self-pretraining", "general pretraining", MACRO_F1),
        ("self-pretraining", "general pretraining", ACCURACY),
        ("self-pretraining", "no pretraining", MACRO_F1),
        ("general pretraining", "no pretraining", MACRO_F1),
        ("self-pretraining", "TF-IDF + LR", MACRO_F1)])
    check_baseline_sentence(output, runs, "TF-IDF + LR")

    # the two pretraining runs: self on the task's training text (kind self-pretraining), general on
    # WordNet glosses holding as many tokens, both for the same steps
    by_kind = {r["kind"]: r for r in records(runs, "self-pretraining") + records(runs, "pretrain")}
    assert set(by_kind) == {"self-pretraining", "pretrain"}, by_kind.keys()
    self_run, general_run = by_kind["self-pretraining"], by_kind["pretrain"]
    assert self_run["config"]["pretrain"]["steps"] == general_run["config"]["pretrain"]["steps"] == 10
    train_tokens = [next(d["tokens"] for d in r["data"] if d["role"] == "train") for r in (self_run, general_run)]
    # both hold out 5 % of their texts at random, so their training tokens agree only roughly
    assert 0.8 < train_tokens[1] / train_tokens[0] < 1.25, train_tokens
    assert self_run["lineage"][-1]["source"].startswith("foldoc-topics"), self_run["lineage"]
    assert general_run["lineage"][-1]["source"].startswith("wordnet-glosses"), general_run["lineage"]
    sizes = re.search(r"task training text: (\d+) definitions, (\d+) tokens; general text: (\d+) glosses, (\d+) tokens",
                      output.stdout)
    assert sizes, output.stdout[:3000]
    definitions, task_tokens, _, general_tokens = map(int, sizes.groups())
    assert definitions == 200
    # whole glosses are drawn until the count is reached: at most one gloss (< 200 tokens) more
    assert task_tokens <= general_tokens < task_tokens + 200, sizes.group(0)

    # the fine-tuned models carry their pretraining in their lineage
    chains = {tuple(step["kind"] for step in r["lineage"]) for r in records(runs, "finetune")}
    assert ("self-pretraining",) in {c[:1] for c in chains}, chains
    assert ("pretrain",) in {c[:1] for c in chains}, chains

    # the plain conclusion follows the rule on macro-F1
    verdict = rule(stats(runs, "self-pretraining", MACRO_F1), stats(runs, "general pretraining", MACRO_F1))
    expected = {HIGHER: "beats", LOWER: "falls short of"}.get(verdict, "matches (no clear difference from)")
    conclusion = re.search(r"self-pretraining (beats|falls short of|matches \(no clear difference from\)) general "
                           r"pretraining on equal tokens", output.stdout)
    assert conclusion and conclusion.group(1) == expected, (conclusion and conclusion.group(0), verdict)
