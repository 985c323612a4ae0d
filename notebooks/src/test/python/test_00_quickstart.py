"""The quickstart notebook, executed top to bottom by a real Jupyter client (nbclient) on the
installed plm4j kernel, then by the headless runner: both must succeed, show a chart, a table
and the live progress display, lower the perplexity, and agree on the numbers for one seed."""
import pathlib
import re
import tempfile
import time

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import KERNEL_NAME, NOTEBOOKS, java_cli

QUICKSTART = NOTEBOOKS / "00-quickstart.ipynb"
PERPLEXITY = re.compile(r"[Hh]eld-out perplexity (before|after) training: ([0-9]+(?:\.[0-9]+)?)")
TIME_LIMIT_SECONDS = 300


def texts(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                yield out["text"]
            elif "data" in out:
                yield out["data"].get("text/plain", "")


def perplexities(nb):
    found = {}
    for text in texts(nb):
        for m in PERPLEXITY.finditer(text):
            found[m.group(1)] = m.group(2)
    return found


def errors(nb):
    return [(i, out) for i, cell in enumerate(nb.cells) for out in cell.get("outputs", [])
            if out["output_type"] == "error"]


@pytest.fixture(scope="module")
def executed(jupyter_path):
    nb = nbformat.read(QUICKSTART, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.monotonic()
    client.execute()
    elapsed = time.monotonic() - start
    print(f"quickstart under nbclient: {elapsed:.1f} s")
    return nb, elapsed


def test_quickstart_runs_without_error_within_five_minutes(executed):
    nb, elapsed = executed
    assert errors(nb) == []
    assert elapsed < TIME_LIMIT_SECONDS, f"quickstart took {elapsed:.0f} s, the limit is {TIME_LIMIT_SECONDS} s"


def test_quickstart_shows_png_chart_html_table_and_live_progress(executed):
    nb, _ = executed
    outs = [o for c in nb.cells for o in c.get("outputs", []) if "data" in o]
    assert any("image/png" in o["data"] for o in outs), "no image/png output (loss curve / PCA scatter)"
    assert any("<table" in o["data"].get("text/html", "") for o in outs), "no HTML table output"
    progress = [o for o in outs if "plm4j-progress" in o["data"].get("text/html", "")]
    assert progress, "no live progress display"
    final = progress[-1]["data"]["text/plain"]
    assert re.search(r"(\d+)/\1\b", final), f"progress display did not reach its total: {final!r}"


def test_quickstart_training_lowers_heldout_perplexity(executed):
    nb, _ = executed
    ppl = perplexities(nb)
    assert set(ppl) == {"before", "after"}, f"perplexity lines not found, got {ppl}"
    assert float(ppl["after"]) < float(ppl["before"]) / 2, ppl


def test_headless_runner_gives_the_same_numbers_as_jupyter(executed, tmp_path):
    nb, _ = executed
    out = tmp_path / "quickstart-headless.ipynb"
    done = java_cli("run", str(QUICKSTART), "-o", str(out), capture_output=True, text=True,
                    cwd=str(NOTEBOOKS), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    headless = nbformat.read(out, as_version=4)
    assert errors(headless) == []
    assert perplexities(headless) == perplexities(nb)


SEPARATION = re.compile(r"The lexicographer file explains ([0-9.]+) % of the PC1-PC2 scatter \(eta squared\): (.+)\.")
DROP = re.compile(r"Held-out perplexity fell from ([0-9.]+) to ([0-9.]+) \(([0-9.]+)x lower\)")


def test_quickstart_states_conclusions_computed_from_its_own_numbers(executed):
    nb, _ = executed
    out = "".join(texts(nb))
    drop = DROP.search(out)
    assert drop, "no computed perplexity sentence"
    before, after, factor = (float(g) for g in drop.groups())
    found = perplexities(nb)
    assert abs(before - float(found["before"])) < 0.06 and abs(after - float(found["after"])) < 0.06
    assert abs(factor - before / after) <= 0.05 + 0.01 * factor   # printed values are rounded
    sep = SEPARATION.search(out)
    assert sep, "no computed separation sentence"
    eta2 = float(sep.group(1)) / 100
    expected = "a weak separation of the files" if eta2 < 0.10 else "a moderate separation" if eta2 < 0.30 \
        else "a clear separation"
    assert sep.group(2) == expected, (eta2, sep.group(2))
    assert "Correlation with gloss length in tokens: PC1 r = " in out
