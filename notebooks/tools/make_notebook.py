"""Writes a plm4j notebook (nbformat 4, no outputs) from a list of ("md"|"code"|"params", text) cells.

The curated notebooks are kept as Python sources next to this helper (tools/nb_*.py) so their text
reviews well in diffs; `python3 tools/nb_10_finetuning.py` regenerates 10-finetuning-foldoc-topics.ipynb.
"""
import json


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
