"""The fine-tuning notebook (10-finetuning-foldoc-topics) at a small scale through the headless
runner (the kernel's own evaluation path): it runs top to bottom, compares all six methods over
two seeds with mean ± sd, writes one run record per method and seed, says which methods do not beat
TF-IDF, and rebuilds the same comparison from the records alone."""
import json

import nbformat

from conftest import NOTEBOOKS, java_cli

NOTEBOOK = NOTEBOOKS / "10-finetuning-foldoc-topics.ipynb"
METHODS = ["majority", "TF-IDF + LR", "linear probe (general)", "fine-tuned from scratch",
           "fine-tuned from general", "fine-tuned from DAPT"]


def test_finetuning_notebook_compares_six_methods_over_seeds_from_records(tmp_path):
    out = tmp_path / "nb10.ipynb"
    runs = tmp_path / "runs"
    done = java_cli("run", str(NOTEBOOK), "-p", "seeds=1,2", "-p", "generalSteps=40", "-p", "daptSteps=20",
                    "-p", "epochs=1", "-p", "vocabSize=2000", "-p", f"outputDir={runs}", "-o", str(out),
                    capture_output=True, text=True, cwd=str(NOTEBOOKS), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    text = ""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", o
            text += o.get("text", "") + o.get("data", {}).get("text/plain", "") + o.get("data", {}).get("text/html", "")
    for m in METHODS:
        assert m in text, m
        for seed in (1, 2):
            records = [p for p in runs.rglob("run.json")
                       if json.loads(p.read_text())["kind"] == "experiment"
                       and json.loads(p.read_text())["config"]["method"] == m
                       and json.loads(p.read_text())["seed"] == seed]
            assert len(records) == 1, (m, seed, records)
    assert "±" in text
    assert "beats TF-IDF + LR?" in text
    assert "masked-LM perplexity on the task's test definitions" in text


def test_two_stage_notebook_compares_standard_weighted_and_two_stage_with_tail_f1(tmp_path):
    out = tmp_path / "nb11.ipynb"
    runs = tmp_path / "runs"
    done = java_cli("run", str(NOTEBOOKS / "11-two-stage-fine-tuning.ipynb"), "-p", "seeds=1,2",
                    "-p", "trainSize=400", "-p", "evalSize=150", "-p", "vocabSize=1500", "-p", "generalSteps=20",
                    "-p", "epochs=1", "-p", "stage1Epochs=1", "-p", f"outputDir={runs}", "-o", str(out),
                    capture_output=True, text=True, cwd=str(NOTEBOOKS), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    text = ""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", o
            text += o.get("text", "") + o.get("data", {}).get("text/plain", "") + o.get("data", {}).get("text/html", "")
    assert "tail macro-F1" in text
    assert "two-stage (LDAM + CB, then CE) vs standard, test.tailMacroF1" in text
    kinds = [json.loads(p.read_text())["kind"] for p in runs.rglob("run.json")]
    assert kinds.count("experiment") == 6 and kinds.count("finetune") == 6, kinds


def test_bt_tapt_notebook_compares_general_tapt_and_bt_tapt_on_clean_and_paraphrased_test(tmp_path):
    out = tmp_path / "nb12.ipynb"
    runs = tmp_path / "runs"
    done = java_cli("run", str(NOTEBOOKS / "12-bt-tapt.ipynb"), "-p", "seeds=1,2", "-p", "generalSteps=40",
                    "-p", "vocabSize=2000", "-p", "taptSteps=10", "-p", "epochs=1", "-p", "trainLimit=200",
                    "-p", f"outputDir={runs}", "-o", str(out),
                    capture_output=True, text=True, cwd=str(NOTEBOOKS), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    text = ""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error", o
            text += o.get("text", "") + o.get("data", {}).get("text/plain", "") + o.get("data", {}).get("text/html", "")
    assert "AugmentationResult[" in text and "kept]" in text
    assert "paraphrased accuracy" in text and "paraphrased drop" in text
    assert "BT-TAPT vs TAPT, paraphrased.drop" in text
    methods = {json.loads(p.read_text())["config"]["method"] for p in runs.rglob("run.json")
               if json.loads(p.read_text())["kind"] == "experiment"}
    assert methods == {"TF-IDF + LR", "general", "TAPT", "BT-TAPT"}, methods
