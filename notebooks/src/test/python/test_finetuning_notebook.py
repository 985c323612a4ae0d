"""The fine-tuning notebooks (10 pretraining/DAPT, 11 two-stage, 12 BT-TAPT) at a small scale
through the headless runner (the kernel's own evaluation path): each runs top to bottom, compares
its methods over two seeds with mean ± sd, writes one run record per method and seed, and says
plainly which methods do not beat the baseline or show no clear difference."""
import json

import nbformat

from conftest import NOTEBOOKS, java_cli



def run_notebook(name, tmp_path, **params):
    """Runs a notebook headless with parameters; returns (all output text incl. HTML, runs directory)."""
    out = tmp_path / (name + ".out.ipynb")
    runs = tmp_path / "runs"
    args = ["run", str(NOTEBOOKS / (name + ".ipynb"))]
    for k, v in {**params, "outputDir": runs}.items():
        args += ["-p", f"{k}={v}"]
    done = java_cli(*args, "-o", str(out), capture_output=True, text=True, cwd=str(NOTEBOOKS), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = ""
    for cell in nbformat.read(out, as_version=4).cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", o
            data = o.get("data", {})
            text += o.get("text", "") + data.get("text/plain", "") + data.get("text/html", "")
    return text, runs


def records(runs, kind):
    return [json.loads(p.read_text()) for p in runs.rglob("run.json") if json.loads(p.read_text())["kind"] == kind]


METHODS = ["majority", "TF-IDF + LR", "linear probe (general)", "fine-tuned from scratch",
           "fine-tuned from general", "fine-tuned from DAPT"]


def test_finetuning_notebook_compares_six_methods_over_seeds_from_records(tmp_path):
    text, runs = run_notebook("10-finetuning-foldoc-topics", tmp_path, seeds="1,2", generalSteps=40, daptSteps=20,
                              epochs=1, vocabSize=2000)
    for m in METHODS:
        assert m in text, m
        seeds = sorted(r["seed"] for r in records(runs, "experiment") if r["config"]["method"] == m)
        assert seeds == [1, 2], (m, seeds)
    assert "±" in text
    assert "beats TF-IDF + LR?" in text
    assert "masked-LM perplexity on the task's test definitions" in text


def test_two_stage_notebook_compares_standard_weighted_and_two_stage_with_tail_f1(tmp_path):
    text, runs = run_notebook("11-two-stage-fine-tuning", tmp_path, seeds="1,2", trainSize=400, evalSize=150,
                              vocabSize=1500, generalSteps=20, epochs=1, stage1Epochs=1)
    assert "tail macro-F1" in text
    assert "two-stage (LDAM + CB, then CE) vs standard, test.tailMacroF1" in text
    assert len(records(runs, "experiment")) == 8 and len(records(runs, "finetune")) == 6


def test_bt_tapt_notebook_compares_general_tapt_and_bt_tapt_on_clean_and_paraphrased_test(tmp_path):
    text, runs = run_notebook("12-bt-tapt", tmp_path, seeds="1,2", generalSteps=40, vocabSize=2000, taptSteps=10,
                              epochs=1, trainLimit=200)
    assert "AugmentationResult[" in text and "kept]" in text
    assert "paraphrased accuracy" in text and "paraphrased drop" in text
    assert "BT-TAPT vs TAPT, paraphrased.drop" in text
    methods = {r["config"]["method"] for r in records(runs, "experiment")}
    assert methods == {"TF-IDF + LR", "general", "TAPT", "BT-TAPT"}, methods
