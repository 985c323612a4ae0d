"""Runs a notebook headless and checks what it states against its own run records.

The one verdict rule (DESIGN.md): a method is higher or lower than another only when the means over
seeds differ by more than the larger standard deviation; otherwise there is no clear difference.
The checks here recompute every mean ± sd from the run.json files the notebook wrote, compare them
with the numbers the comparison table prints, and check that every printed verdict (the table's
"beats X?" column, each "A vs B, metric: ... -> verdict" sentence, and the baseline sentence)
follows that rule from those numbers."""
import html.parser
import json
import math
import re

import nbformat

from conftest import NOTEBOOKS, java_cli

HIGHER, LOWER, NO_CLEAR = "higher", "lower", "no clear difference at this scale"
# printed numbers have 3 decimals
PRINTED = 0.0005 + 1e-9
# column of the comparison table -> metric key of the run records
COLUMNS = {"accuracy": "test_accuracy", "macro-F1": "test_macro_f1", "micro-F1": "test_micro_f1",
           "tail macro-F1": "test_tail_macro_f1"}
MEAN_SD = r"(n/a|-?[0-9]+\.[0-9]+ ± [0-9]+\.[0-9]+)"
DIFFERENCE = re.compile(r"^(.+?) vs (.+?), (\S+): " + MEAN_SD + " vs " + MEAN_SD
                        + r" -> (higher|lower|no clear difference at this scale)$", re.M)
EVERY = re.compile(r"Every method beats (.+?) \(mean test macro-F1 ([0-9.]+)\)\.")
NOT_BETTER = re.compile(r"Not (?:clearly )?better than (.+?) \(mean test macro-F1 ([0-9.]+)\): (.+)\.$", re.M)


class Output:
    """The executed notebook's outputs: stdout text, HTML and plain text."""

    def __init__(self, nb):
        self.stdout, self.html, self.plain = "", "", ""
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                assert o["output_type"] != "error", o
                data = o.get("data", {})
                self.stdout += o.get("text", "")
                self.html += data.get("text/html", "")
                self.plain += data.get("text/plain", "")

    @property
    def text(self):
        return self.stdout + self.plain + self.html


def run_notebook(name, tmp_path, **params):
    """Runs notebook `name` headless with parameters; returns (Output, runs directory)."""
    out = tmp_path / (name + ".out.ipynb")
    runs = tmp_path / "runs"
    args = ["run", str(NOTEBOOKS / (name + ".ipynb"))]
    for k, v in {**params, "outputDir": runs}.items():
        args += ["-p", f"{k}={v}"]
    done = java_cli(*args, "-o", str(out), capture_output=True, text=True, cwd=str(NOTEBOOKS), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Output(nbformat.read(out, as_version=4)), runs


def records(runs, kind):
    found = [json.loads(p.read_text()) for p in runs.rglob("run.json")]
    return [r for r in found if r["kind"] == kind]


def mean_sd(values):
    """Mean and sample standard deviation (n - 1), as the comparison computes them; sd 0 for one value."""
    n = len(values)
    assert n > 0
    mean = sum(values) / n
    if n == 1:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))


def per_seed(runs, method, metric):
    """The method's metric in each of its experiment records, in seed order."""
    found = sorted((r["seed"], r["metrics"][metric]) for r in records(runs, "experiment")
                   if r["config"]["method"] == method)
    assert found, f"no experiment record of method {method!r}"
    return [v for _, v in found]


def stats(runs, method, metric):
    values = [r["metrics"][metric] for r in records(runs, "experiment") if r["config"]["method"] == method]
    assert values, f"no experiment record of method {method!r} with metric {metric!r}"
    return mean_sd(values)


def rule(a, b):
    """The one verdict rule on (mean, sd) pairs."""
    diff = a[0] - b[0]
    if not abs(diff) > max(a[1], b[1]):
        return NO_CLEAR
    return HIGHER if diff > 0 else LOWER


def parse_mean_sd(s):
    if s == "n/a":
        return None
    m, sd = s.split(" ± ")
    return float(m), float(sd)


def assert_printed(printed, exact, what):
    """A printed "mean ± sd" equals the one recomputed from the records, to the printed decimals."""
    got = parse_mean_sd(printed)
    if math.isnan(exact[0]):
        assert got is None, f"{what}: printed {printed}, records give no value"
        return
    assert got is not None, f"{what}: printed n/a, records give {exact}"
    assert abs(got[0] - exact[0]) <= PRINTED and abs(got[1] - exact[1]) <= PRINTED, (what, printed, exact)


class _Tables(html.parser.HTMLParser):
    """Every HTML table as [caption, rows], each row a list of cell texts (tags inside cells dropped)."""

    def __init__(self):
        super().__init__()
        self.tables, self._row, self._cell, self._caption = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(["", []])
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1][0] = self._caption.strip()
            self._caption = None
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._caption is not None:
            self._caption += data


def _parsed(html_text):
    parser = _Tables()
    parser.feed(html_text)
    return [(caption, [dict(zip(rows[0], r)) for r in rows[1:]]) for caption, rows in parser.tables if rows]


def html_tables(html_text):
    """Every HTML table as a list of {column: cell} rows, in output order."""
    return [rows for _, rows in _parsed(html_text)]


def comparison_tables(html_text):
    """Each comparison table (columns method, runs, ...) as a list of {column: cell} rows."""
    return [rows for rows in html_tables(html_text) if rows and list(rows[0])[:2] == ["method", "runs"]]


def captioned_table(output, caption_start):
    """The last table whose caption starts with `caption_start`, as {column: cell} rows."""
    found = [rows for caption, rows in _parsed(output.html) if caption.startswith(caption_start)]
    assert found, f"no table captioned {caption_start!r} in the notebook's HTML output"
    return found[-1]


def check_seeds(runs, methods, seeds):
    """Every method wrote one experiment record per seed."""
    for m in methods:
        got = sorted(r["seed"] for r in records(runs, "experiment") if r["config"]["method"] == m)
        assert got == sorted(seeds), (m, got)


def last_comparison_table(output):
    tables = comparison_tables(output.html)
    assert tables, "no comparison table in the notebook's HTML output"
    return tables[-1]


def check_metric_table(output, runs, methods, metrics):
    """The last comparison table lists `methods` in order, each metric's cell the records' mean ± sd."""
    table = last_comparison_table(output)
    assert [row["method"] for row in table] == methods, table
    for row in table:
        for metric in metrics:
            assert_printed(row[metric], stats(runs, row["method"], metric), f"{row['method']} / {metric}")
    return table


def check_comparison_table(output, runs, baseline=None):
    """The last comparison table: its numbers are the records', its "beats X?" column follows the rule.
    Returns the table rows."""
    table = last_comparison_table(output)
    methods = sorted({r["config"]["method"] for r in records(runs, "experiment")})
    assert sorted(row["method"] for row in table) == methods, (table, methods)
    for row in table:
        method = row["method"]
        for column, cell in row.items():
            metric = COLUMNS.get(column)
            if metric is None and column.endswith((" accuracy", " drop")):
                # "<set> accuracy" / "<set> drop" -> the snake_case record metric, e.g. paraphrased_accuracy
                metric = re.sub(r"[^a-z0-9]+", "_", column.lower())
            if metric is not None:
                assert_printed(cell, stats(runs, method, metric), f"{method} / {column}")
        if baseline is not None:
            beats = row[f"beats {baseline}?"]
            if method == baseline:
                assert beats == "(baseline)", row
            else:
                verdict = rule(stats(runs, method, "test_macro_f1"), stats(runs, baseline, "test_macro_f1"))
                assert beats == ("yes" if verdict == HIGHER else "no"), (row, verdict)
    return table


def check_difference_sentences(output, runs, expected):
    """Each printed "A vs B, metric: a vs b -> verdict": numbers from the records, verdict by the rule.
    `expected` lists the (A, B, metric) sentences the notebook must print."""
    found = DIFFERENCE.findall(output.stdout)
    assert sorted((a, b, m) for a, b, m, *_ in found) == sorted(expected), found
    for a, b, metric, printed_a, printed_b, verdict in found:
        exact_a, exact_b = stats(runs, a, metric), stats(runs, b, metric)
        assert_printed(printed_a, exact_a, f"{a} / {metric}")
        assert_printed(printed_b, exact_b, f"{b} / {metric}")
        assert verdict == rule(exact_a, exact_b), (a, b, metric, exact_a, exact_b, verdict)
        # and from the printed numbers alone, unless they sit within rounding of the threshold
        pa, pb = parse_mean_sd(printed_a), parse_mean_sd(printed_b)
        if pa and pb and abs(abs(pa[0] - pb[0]) - max(pa[1], pb[1])) > 2 * PRINTED:
            assert verdict == rule(pa, pb), (a, b, metric, printed_a, printed_b, verdict)
    return found


def check_baseline_sentence(output, runs, baseline):
    """The printed baseline sentence names exactly the methods that do not beat it by the rule."""
    base = stats(runs, baseline, "test_macro_f1")
    losers = [m for m in sorted({r["config"]["method"] for r in records(runs, "experiment")})
              if m != baseline and rule(stats(runs, m, "test_macro_f1"), base) != HIGHER]
    every = EVERY.findall(output.stdout)
    not_better = NOT_BETTER.findall(output.stdout)
    assert len(every) + len(not_better) == 1, (every, not_better)
    if every:
        assert every[0][0] == baseline and not losers, (every, losers)
        assert abs(float(every[0][1]) - base[0]) <= PRINTED
    else:
        name, mean, listed = not_better[0]
        assert name == baseline and abs(float(mean) - base[0]) <= PRINTED, not_better
        named = sorted(re.findall(r"(.+?) \([0-9]+\.[0-9]+\)(?:, |$)", listed))
        assert named == losers, (named, losers)
    return losers
