"""Notebook 04 (standard vs class-weighted vs two-stage fine-tuning on the imbalanced
wordnet-supersenses) at a small scale through the headless runner: it writes one experiment record
per method and seed and one fine-tuning record per fine-tuned run, shows tail macro-F1, and every
"A vs B" verdict it prints follows the one verdict rule from the numbers it prints."""
from notebook_runs import check_comparison_table, check_difference_sentences, records, run_notebook

TWO_STAGE, WEIGHTED, STANDARD = "two-stage (LDAM + CB, then CE)", "class-weighted (CB)", "standard"


def test_two_stage_notebook_states_verdicts_that_follow_from_its_numbers(tmp_path):
    output, runs = run_notebook("04-two-stage-fine-tuning", tmp_path, seeds="1,2", trainSize=400, evalSize=150,
                                vocabSize=1500, generalSteps=20, epochs=1, stage1Epochs=1)
    assert len(records(runs, "experiment")) == 8 and len(records(runs, "finetune")) == 6
    table = check_comparison_table(output, runs)
    assert "tail macro-F1" in table[0]
    check_difference_sentences(output, runs, [
        (a, STANDARD, metric) for metric in ("test_tail_macro_f1", "test_macro_f1", "test_accuracy")
        for a in (TWO_STAGE, WEIGHTED)])
