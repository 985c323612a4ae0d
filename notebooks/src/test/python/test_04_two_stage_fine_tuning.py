"""Notebook 04 (standard vs class-weighted vs two-stage fine-tuning of all-MiniLM-L6-v2 on the
imbalanced wordnet-supersenses) at a small scale through the headless runner: it writes one experiment record
per method and seed and one fine-tuning record per fine-tuned run, stage 1 runs at the learning rate
it prints (10x stage 2's by default, as the paper), the table shows tail macro-F1, and every "A vs B"
verdict it prints follows the one verdict rule from the numbers it prints."""
import math

from notebook_runs import check_comparison_table, check_difference_sentences, records, run_notebook

TWO_STAGE, WEIGHTED, STANDARD = "two-stage (LDAM + CB, then CE)", "class-weighted (CB)", "standard"


def test_two_stage_notebook_states_verdicts_that_follow_from_its_numbers(tmp_path):
    output, runs = run_notebook("04-two-stage-fine-tuning", tmp_path, seeds="1,2", trainSize=200, evalSize=100,
                                maxLength=16, epochs=1, stage1Epochs=1)
    assert len(records(runs, "experiment")) == 8 and len(records(runs, "finetune")) == 6
    assert "stage 1: 1 epoch(s) at learning rate 3e-03" in output.stdout and "stage 2: 1 epoch(s) at 3e-04" in output.stdout
    two_stage = [r["config"]["finetune"] for r in records(runs, "finetune") if r["config"]["finetune"].get("twoStage")]
    assert len(two_stage) == 2 and all(math.isclose(c["twoStage"]["learningRate"], 10 * c["learningRate"])
                                       for c in two_stage), two_stage
    assert all(step["kind"] == "pretrained" for r in records(runs, "finetune") for step in r["lineage"][:1])
    table = check_comparison_table(output, runs, baseline="TF-IDF + LR (reference)")
    assert "tail macro-F1" in table[0]
    check_difference_sentences(output, runs, [
        (a, STANDARD, metric) for metric in ("test_tail_macro_f1", "test_macro_f1", "test_accuracy")
        for a in (TWO_STAGE, WEIGHTED)])
