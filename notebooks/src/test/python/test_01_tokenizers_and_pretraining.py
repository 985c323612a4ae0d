"""Notebook 01 (tokenizers and pretraining from scratch) at a small scale through the headless runner:
WordPiece and BPE trained on the same WordNet glosses with their pieces per word and [UNK] rates, two
tiny models per masking scheme (token-level, whole-word) pretrained over two seeds, the comparison table
and every verdict it prints recomputed from the run records by the one verdict rule, fill-mask before
and after training, and a Hugging Face export whose re-import gives identical outputs."""
import re

from notebook_runs import captioned_table, check_difference_sentences, check_metric_table, check_seeds, run_notebook

METHODS = ["token-level masking", "whole-word masking"]
METRICS = ["perplexity_token_masks", "perplexity_per_word", "heldout_masked_accuracy"]
PHRASE = {"lower": "clearly lower than", "higher": "clearly higher than",
          "no clear difference at this scale": "not clearly different from"}


def test_tokenizers_and_pretraining_notebook_states_what_its_runs_measured(tmp_path):
    output, runs = run_notebook("01-tokenizers-and-pretraining", tmp_path, seeds="1,2", corpusSize=1000,
                                heldOutSize=100, vocabSize=800, steps=8, evalEvery=4, batchSize=16)
    # tokenizers: the sentences quote the table, and say which splits words less from those numbers
    seg = {row["tokenizer"]: row for row in captioned_table(output, "pieces per word and words with [UNK], held-out text")}
    assert set(seg) == {"WordPiece", "BPE"} and all(int(r["vocabulary"]) <= 800 for r in seg.values()), seg
    for domain in ("WordNet", "FOLDOC"):
        m = re.search(rf"On held-out {domain} text BPE uses ([0-9.]+) pieces per word and WordPiece ([0-9.]+): (.+?); "
                      r"([0-9.]+) % of words hold an \[UNK\] with BPE, ([0-9.]+) % with WordPiece\.", output.stdout)
        assert m, output.stdout[:3000]
        bpe, wp = float(m.group(1)), float(m.group(2))
        assert abs(bpe - float(seg["BPE"][f"{domain} pieces/word"])) < 6e-4
        assert abs(wp - float(seg["WordPiece"][f"{domain} pieces/word"])) < 6e-4
        assert 1.0 <= min(bpe, wp)
        expected = ("the same to two decimals" if abs(bpe - wp) < 0.005
                    else ("BPE" if bpe < wp else "WordPiece") + " splits words less")
        assert m.group(3) == expected, (m.group(3), bpe, wp)
        assert abs(float(m.group(5)) - float(seg["WordPiece"][f"{domain} [UNK] words %"])) < 6e-4
    # pretraining: two methods over both seeds, the table's numbers are the records'
    check_seeds(runs, METHODS, [1, 2])
    check_metric_table(output, runs, METHODS, METRICS)
    # every run lowered its held-out perplexity
    done = re.findall(r"(token-level|whole-word) masking, seed (\d).*?done: held-out perplexity ([0-9.]+) → ([0-9.]+)", output.html)
    assert len(done) == 4 and all(float(after) < float(before) for *_, before, after in done), done
    found = check_difference_sentences(output, runs, [("whole-word masking", "token-level masking", m) for m in METRICS])
    verdicts = {metric: verdict for _, _, metric, _, _, verdict in found}
    assert (f"whole-word masking's held-out perplexity is {PHRASE[verdicts['perplexity_per_word']]} token-level masking's "
            f"on whole-word masks (per word), and {PHRASE[verdicts['perplexity_token_masks']]} it on token-level masks."
            in output.stdout), output.stdout[-2000:]
    # the curves chart and the fill-mask table: one row per probe, three candidates in every cell
    assert 'XYChart "Held-out perplexity during pretraining (mean over seeds)"' in output.plain
    fill = captioned_table(output, "fill-mask: top 3 candidates")
    assert len(fill) == 4 and all(len(re.findall(r"\([0-9.]+\)", cell)) == 3 for row in fill for k, cell in row.items()
                                  if k != "text"), fill
    # export and re-import: the files are there and the outputs are identical
    m = re.search(r"Re-imported: same vocabulary (\w+); largest difference of the top-20 fill-mask probabilities "
                  r"(\S+); held-out perplexity ([0-9.]+) vs ([0-9.]+): (.+)\.", output.stdout)
    assert m, output.stdout[-3000:]
    assert m.group(1) == "true" and float(m.group(2)) == 0.0 and m.group(3) == m.group(4), m.groups()
    assert m.group(5) == "identical outputs"
    exported = {p.name for p in (runs / "hf-export").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= exported, exported

