"""Notebook 09 (embryology: probes at every checkpoint of tiny-BERT pretraining runs on WordNet glosses)
at a small scale through the headless runner. One pretraining run keeps a checkpoint every 10 steps from
step 0, and two probe series (probe seeds 1 and 2) are recorded. Checked against those records: the printed
mean ± sd of every probe at every step; the random initialisation (step 0) at chance on both word
probes; the masked-LM probes moving the way pretraining pushes them; and every verdict the notebook
prints (the table's marks, the first step past each probe's reference, the step-0 sentences and the
order sentence) following the one verdict rule from the records' numbers."""
import math
import re

from notebook_runs import HIGHER, LOWER, PRINTED, captioned_table, mean_sd, records, rule, run_notebook

PROBES = ["pos", "supersense", "mlm", "ppl"]
WORD_PROBES = ["pos", "supersense"]
STEPS, EVERY, SEEDS = 20, 10, [1, 2]


def test_embryology_notebook_probes_every_checkpoint_and_states_what_is_learnt_first(tmp_path):
    output, runs = run_notebook("09-embryology", tmp_path, seeds=",".join(map(str, SEEDS)), steps=STEPS,
                                checkpointEvery=EVERY, corpusSize=4000, vocabSize=3000, probeWords=300,
                                heldOutTexts=30)
    steps = list(range(0, STEPS + 1, EVERY))
    pretrain = records(runs, "pretrain")
    assert [r["seed"] for r in pretrain] == [1], pretrain
    series = sorted(records(runs, "probe"), key=lambda r: r["seed"])
    assert [r["seed"] for r in series] == SEEDS
    for r in series:
        assert sorted(int(k.rsplit("_", 1)[1]) for k in r["artifacts"]) == steps, r["artifacts"]
        assert [step["kind"] for step in r["lineage"]] == ["pretrain"], r["lineage"]

    def scores(probe, step):
        return mean_sd([r["metrics"][f"{probe}_step_{step}"] for r in series])

    # the references: a word probe's chance band per seed (expected agreement + 3 binomial SE of its test
    # words), the unigram guess and unigram perplexity the notebook printed for mlm and ppl
    unigram = re.search(r"masked-token accuracy ([0-9.]+); unigram perplexity ([0-9.]+)", output.stdout)
    assert unigram, output.stdout[:2000]

    def reference(probe, step):
        if probe in WORD_PROBES:
            bands = []
            for r in series:
                pe = r["metrics"][f"{probe}_by_chance_step_{step}"]
                n = next(d["texts"] for d in r["data"] if d["role"] == f"{probe}_test")
                bands.append(pe + 3 * math.sqrt(pe * (1 - pe) / n))
            return mean_sd(bands)
        return float(unigram.group(1 if probe == "mlm" else 2)), 0.0

    def clears(probe, step):
        return rule(scores(probe, step), reference(probe, step)) == (LOWER if probe == "ppl" else HIGHER)

    # the mean ± sd table holds the records' numbers, and its marks follow the rule
    by_step = captioned_table(output, "probe scores, mean ± sd over 2 series")
    assert [int(row["step"]) for row in by_step] == steps
    for row in by_step:
        step = int(row["step"])
        for probe in PROBES:
            cell = row[probe]
            mean, sd = (float(v) for v in cell.rstrip(" *").split(" ± "))
            exact = scores(probe, step)
            assert abs(mean - exact[0]) <= PRINTED and abs(sd - exact[1]) <= PRINTED, (probe, step, cell, exact)
            assert cell.endswith(" *") == clears(probe, step), (probe, step, cell, reference(probe, step))

    # the random initialisation knows nothing: both word probes at chance, and the notebook says so
    for probe in WORD_PROBES:
        assert rule(scores(probe, 0), reference(probe, 0)) != HIGHER, (probe, scores(probe, 0), reference(probe, 0))
        sentence = re.search(rf"At step 0 the {probe} probe scores .*?: (at chance|ABOVE chance)", output.stdout)
        assert sentence and sentence.group(1) == "at chance", output.stdout[-3000:]

    # pretraining moves the masked-LM probes: accuracy up, perplexity down
    assert scores("mlm", STEPS)[0] > scores("mlm", 0)[0]
    assert scores("ppl", STEPS)[0] < scores("ppl", 0)[0] / 2

    # the first step past each reference, as the summary table and the order sentence state it
    def first_clear(probe):
        return next((s for s in steps if clears(probe, s)), None)

    summary = {row["probe"]: row for row in captioned_table(output, "when each probe is learnt")}
    assert sorted(summary) == sorted(PROBES)
    for probe in PROBES:
        expected = first_clear(probe)
        got = summary[probe]["first step past reference"]
        assert got == (f"not within {STEPS}" if expected is None else str(expected)), (probe, got, expected)
    order = re.search(r"Order in which the probes clear their references: (.+)$", output.stdout, re.M)
    assert order, output.stdout[-3000:]
    cleared = sorted(((first_clear(p), p) for p in PROBES if first_clear(p) is not None))
    named = re.findall(r"(\w+) \(step (\d+)\)", order.group(1))
    assert sorted((int(s), p) for p, s in named) == cleared, (order.group(1), cleared)
    assert [int(s) for _, s in named] == sorted(int(s) for _, s in named), order.group(1)
    never = re.search(rf"; not within {STEPS} steps: (.+)\.$", order.group(1))
    assert sorted(never.group(1).split(", ") if never else []) == sorted(p for p in PROBES if first_clear(p) is None), \
        order.group(1)
