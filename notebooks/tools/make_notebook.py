"""Writes a plm4j notebook (nbformat 4, no outputs) from a list of ("md"|"code"|"params", text) cells.

The curated notebooks are kept as Python sources next to this helper (tools/nb_*.py) so their text
reviews well in diffs; `python3 tools/nb_10_finetuning.py` regenerates 10-finetuning-foldoc-topics.ipynb.
"""
import json


# The general checkpoint of notebooks 10 and 12: tiny BERT pretrained on WordNet glosses, cached on
# disk by its settings (same seed and data give the same weights), so notebooks and reruns share it.
# Needs the parameters vocabSize and generalSteps and the imports of those notebooks.
GENERAL_CHECKPOINT_CELL = """
Path generalDir = Path.of(System.getProperty("java.io.tmpdir"), "plm4j-checkpoints",
        "wordnet-glosses-tiny-v" + vocabSize + "-s" + generalSteps + "-seed42");
WordPieceTokenizer tokenizer;
MaskedLanguageModel general;
if (Files.exists(generalDir.resolve("tokenizer/tokenizer.json"))) {   // written last: the cache is complete
    tokenizer = WordPieceTokenizer.load(generalDir.resolve("tokenizer"));
    general = MaskedLanguageModel.load(generalDir.resolve("checkpoint"));
    System.out.println("loaded the general checkpoint from " + generalDir + ": " + RunRecord.load(generalDir).metrics());
} else {
    var glosses = Datasets.corpus("wordnet-glosses").corpus();
    tokenizer = WordPieceTrainer.train(glosses, WordPieceConfig.builder().optVocabSize(vocabSize).build());
    general = MaskedLanguageModel.create(EncoderConfig.tiny(tokenizer.vocabSize()), 42);
    var generalRun = Pretrainer.builder().setModel(general).setTokenizer(tokenizer).setData(glosses)
            .optConfig(PretrainConfig.builder().optSteps(generalSteps).optSequenceLength(128).optSeed(42).optOutputDir(generalDir).build())
            .optListener(Live.progress("general pretraining on WordNet glosses")).run();
    tokenizer.save(generalDir.resolve("tokenizer"));
    System.out.println(generalRun);
}
"""


def write(path, cells):
    nb_cells = []
    for kind, text in cells:
        text = text.strip("\n")
        lines = [l + "\n" for l in text.split("\n")]
        lines[-1] = lines[-1].rstrip("\n")
        if kind == "md":
            nb_cells.append({"cell_type": "markdown", "metadata": {}, "source": lines})
        else:
            meta = {"tags": ["parameters"]} if kind == "params" else {}
            nb_cells.append({"cell_type": "code", "execution_count": None, "metadata": meta,
                             "outputs": [], "source": lines})
    nb = {"cells": nb_cells,
          "metadata": {"kernelspec": {"display_name": "Java (plm4j)", "language": "java", "name": "plm4j"},
                       "language_info": {"file_extension": ".jshell", "mimetype": "text/x-java-source",
                                         "name": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(nb_cells):
        c["id"] = "cell-%02d" % i
    with open(path, "w") as f:
        json.dump(nb, f, indent=1)
        f.write("\n")
