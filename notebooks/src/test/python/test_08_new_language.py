"""Notebook 08 (a new language: MiniLM's vocabulary extended with Spanish subwords learnt from Apertium
translations of WordNet glosses) at a small scale through the headless runner: the glosses are translated,
the extension adds pieces and the pieces-per-word table shows it, both ways of adapting MiniLM to Spanish
run over two seeds, and the comparison table and every verdict it prints follow from the run records by
the one verdict rule."""
import re

from notebook_runs import (captioned_table, check_difference_sentences, check_metric_table, check_seeds, run_notebook,
                           stats)
from test_01_tokenizers_and_pretraining import PHRASE

METHODS = ["MiniLM vocabulary", "MiniLM + Spanish subwords"]
METRICS = ["spanish_perplexity_per_word", "english_perplexity_per_word", "spanish_perplexity_per_piece"]


def test_new_language_notebook_states_what_its_runs_measured(tmp_path):
    output, runs = run_notebook("08-new-language", tmp_path, seeds="1,2", glossCount=120, heldOutCount=40,
                                learnVocabSize=800, steps=3, headWarmupSteps=1, batchSize=8, sequenceLength=32)
    m = re.search(r"(\d+) glosses translated in [0-9.]+ s; CachedTranslator\[apertium, (\S+), hits=(\d+), misses=(\d+)\]",
                  output.stdout)
    assert m and int(m.group(1)) == 120 and int(m.group(3)) + int(m.group(4)) == 120, output.stdout[:2000]
    assert m.group(2).endswith("/translations"), m.group(2)
    # the extension: pieces added, the vocabulary grows by exactly that many, Spanish words split into fewer pieces
    added = int(re.search(r"VocabularyExtension\[\+(\d+) pieces -> (\d+)", output.text).group(1))
    seg = {row["tokenizer"]: row for row in captioned_table(output, "pieces per word on held-out text")}
    assert int(seg["MiniLM"]["vocabulary"]) == 30522
    assert int(seg["MiniLM + Spanish subwords"]["vocabulary"]) == 30522 + added and added > 0, (seg, added)
    s = re.search(r"The extension adds (\d+) pieces and cuts Spanish pieces per word from ([0-9.]+) to ([0-9.]+) "
                  r"\(([0-9]+) % fewer pieces\); English goes from ([0-9.]+) to ([0-9.]+)\.", output.stdout)
    assert s and int(s.group(1)) == added, output.stdout[-3000:]
    before, after = float(s.group(2)), float(s.group(3))
    assert abs(before - float(seg["MiniLM"]["Spanish pieces/word"])) < 6e-4
    assert abs(after - float(seg["MiniLM + Spanish subwords"]["Spanish pieces/word"])) < 6e-4
    assert after < before and int(s.group(4)) == round(100 * (1 - after / before))
    # both methods over both seeds; the table's numbers are the records'
    check_seeds(runs, METHODS, [1, 2])
    check_metric_table(output, runs, METHODS, METRICS)
    # per word, the Spanish text costs at least as much as per piece: every word has one piece or more
    for method in METHODS:
        assert stats(runs, method, "spanish_perplexity_per_word")[0] >= stats(runs, method, "spanish_perplexity_per_piece")[0]
    found = check_difference_sentences(output, runs, [("MiniLM + Spanish subwords", "MiniLM vocabulary", m) for m in METRICS])
    verdicts = {metric: verdict for _, _, metric, _, _, verdict in found}
    assert (f"the extended model's held-out Spanish perplexity per word is {PHRASE[verdicts['spanish_perplexity_per_word']]} "
            f"that of MiniLM's own vocabulary, and its English perplexity per word is "
            f"{PHRASE[verdicts['english_perplexity_per_word']]} it." in output.stdout), output.stdout[-2000:]
