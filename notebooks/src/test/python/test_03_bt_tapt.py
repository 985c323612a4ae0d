"""Notebook 03 (BT-TAPT from the real pretrained encoder all-MiniLM-L6-v2: back-translated task text
for TAPT, robustness to paraphrases) at a small scale through the headless runner: it augments the
task text through Spanish, compares MiniLM fine-tuned directly, after TAPT
and after BT-TAPT with TF-IDF on clean test text and on its two back-translated copies (Spanish, Catalan) over two
seeds, and every verdict it prints follows the one verdict rule from the numbers it prints."""
from notebook_runs import (check_baseline_sentence, check_comparison_table, check_difference_sentences, records,
                           run_notebook)

METRICS = ["test_accuracy", "test_macro_f1", "paraphrased_accuracy", "paraphrased_drop", "paraphrased_cat_accuracy",
           "paraphrased_cat_drop"]


def test_bt_tapt_notebook_states_verdicts_that_follow_from_its_numbers(tmp_path):
    output, runs = run_notebook("03-bt-tapt", tmp_path, seeds="1,2", trainSize=60, validationSize=20, evalSize=40, taptSteps=4,
                                headWarmupSteps=2, epochs=1, maxLength=32)
    # one paraphrase requested per training text (through Spanish)
    assert "AugmentationResult[" in output.text and "60 originals, 60 requested" in output.text, output.text[:3000]
    methods = {r["config"]["method"] for r in records(runs, "experiment")}
    assert methods == {"TF-IDF + LR", "MiniLM fine-tuned", "MiniLM + TAPT", "MiniLM + BT-TAPT"}, methods
    table = check_comparison_table(output, runs, baseline="TF-IDF + LR")
    assert {"paraphrased accuracy", "paraphrased drop"} <= set(table[0]), table[0]
    check_difference_sentences(output, runs, [(a, b, m) for m in METRICS for a, b in (
        ("MiniLM + BT-TAPT", "MiniLM + TAPT"), ("MiniLM + TAPT", "MiniLM fine-tuned"))]
        + [("MiniLM fine-tuned", "TF-IDF + LR", "test_accuracy")])
    check_baseline_sentence(output, runs, "TF-IDF + LR")
    # BT-TAPT's lineage: MiniLM's jar, the fresh MLM head, then TAPT on the back-translated corpus (NAME-bt)
    tuned = records(runs, "finetune")
    chains = [[(step["kind"], step.get("source", "")) for step in r["lineage"]] for r in tuned]
    assert any([k for k, _ in c] == ["pretrained", "mlm-head-initialised", "tapt"] and c[2][1].find("-bt") >= 0
               for c in chains), chains
