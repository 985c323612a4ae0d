"""Notebook 10 (pretraining / DAPT for fine-tuning on foldoc-topics) at a small scale through the
headless runner: it runs top to bottom, compares six methods over two seeds with mean ± sd from one
run record per method and seed, and every verdict it prints follows the one verdict rule from the
numbers it prints (checked against the records)."""
from notebook_runs import (check_baseline_sentence, check_comparison_table, check_difference_sentences, records,
                           run_notebook)

METHODS = ["majority", "TF-IDF + LR", "linear probe (general)", "fine-tuned from scratch",
           "fine-tuned from general", "fine-tuned from DAPT"]
MACRO_F1 = "test_macro_f1"


def test_finetuning_notebook_states_verdicts_that_follow_from_its_numbers(tmp_path):
    output, runs = run_notebook("10-finetuning-foldoc-topics", tmp_path, seeds="1,2", generalSteps=40, daptSteps=20,
                                epochs=1, vocabSize=2000)
    for m in METHODS:
        seeds = sorted(r["seed"] for r in records(runs, "experiment") if r["config"]["method"] == m)
        assert seeds == [1, 2], (m, seeds)
    table = check_comparison_table(output, runs, baseline="TF-IDF + LR")
    assert [row["method"] for row in table] == METHODS
    check_difference_sentences(output, runs, [
        ("fine-tuned from general", "fine-tuned from scratch", MACRO_F1),
        ("fine-tuned from DAPT", "fine-tuned from general", MACRO_F1),
        ("fine-tuned from DAPT", "TF-IDF + LR", MACRO_F1)])
    losers = check_baseline_sentence(output, runs, "TF-IDF + LR")
    assert "majority" in losers, "the majority class cannot clearly beat TF-IDF + LR on foldoc-topics"
    assert "masked-LM perplexity on the task's test definitions" in output.stdout
