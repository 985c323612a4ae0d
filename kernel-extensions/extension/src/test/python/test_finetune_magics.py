"""%finetune and %evaluate through the real kernel over ZeroMQ: fine-tuning shows a live progress
display and its evaluations and binds the result, with the very numbers the Java API gives for the
same options and seed, above the majority class; %evaluate shows Tribuo's metrics, the head/tail
breakdown and the confusion heat map for a fine-tuned classifier and for baselines, and a masked
LM's perplexity (the API's number, below the uniform guess after a little pretraining); bad lines
give readable errors and the kernel stays alive."""
import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME
from test_extension_magics import assert_readable_error, of_type, run, stdout, value

SETUP = """
import org.plm4j.datasets.*;
import org.plm4j.tokenizer.*;
import org.plm4j.model.*;
import org.plm4j.pretrain.*;
import org.plm4j.finetune.*;
import org.plm4j.baseline.*;
import org.plm4j.evaluate.*;
var small = Datasets.task("foldoc-topics").subsample(300, 80, 1);
var tok = WordPieceTrainer.train(small.train().corpus(), WordPieceConfig.builder().optVocabSize(1200).build());
var m = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 1);
Pretrainer.builder().setModel(m).setTokenizer(tok).setData(small.train().corpus())
        .optConfig(PretrainConfig.builder().optSteps(60).optSeed(1).build()).run();
"""


@pytest.fixture(scope="module")
def kernel(jupyter_path):
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=120)
    reply, msgs = run(kc, SETUP)
    assert reply["status"] == "ok", (reply, msgs)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_finetune_magic_trains_with_live_progress_shows_evaluations_and_binds(kernel):
    reply, msgs = run(kernel, "%finetune --model m --tokenizer tok --dataset small --epochs 2 --max-length 32 "
                              "--lr 1e-3 --seed 3 --as ft")
    assert reply["status"] == "ok", (reply, msgs)
    updates = of_type(msgs, "update_display_data")
    assert updates, "the progress display is updated in place"
    assert "done: kept epoch" in updates[-1]["data"]["text/plain"]
    html = "".join(d["data"].get("text/html", "") for d in of_type(msgs, "display_data"))
    assert "Fine-tuned" in html and "macro" in html.lower()
    assert any("image/png" in d["data"] for d in of_type(msgs, "display_data")), "history chart"
    assert value(kernel, "ft.classifier().labels().size()") == "10"
    # the magic is the API call: same options and seed, the same numbers
    reply, msgs = run(kernel, "var api = FineTuner.builder().setModel(m).setTokenizer(tok).setData(small)"
                              ".optConfig(FineTuneConfig.builder().optEpochs(2).optMaxLength(32).optLearningRate(1e-3)"
                              ".optSeed(3).build()).run();")
    assert reply["status"] == "ok", (reply, msgs)
    for metric in ("accuracy()", "macroF1()"):
        assert value(kernel, f"ft.test().{metric}") == value(kernel, f"api.test().{metric}"), metric
    assert value(kernel, "ft.history().stream().map(r -> r.trainLoss()).toList()"
                         ".equals(api.history().stream().map(r -> r.trainLoss()).toList())") == "true"
    # it trained: the loss fell from the first epoch to the last, and the kept classifier is no worse
    # than always answering the most frequent topic (this tiny, barely pretrained model on 300
    # examples does not get clearly above it; FineTunerTest checks that on a real checkpoint)
    losses = [float(x) for x in value(kernel, "ft.history().stream().map(r -> r.trainLoss()).toList()")
              .strip("[]").split(", ")]
    assert len(losses) == 2 and losses[-1] < losses[0], losses
    majority = float(value(kernel, "ClassificationEvaluation.of(MajorityClassifier.fit(small.train()), small.test())"
                                   ".accuracy()"))
    assert float(value(kernel, "ft.test().accuracy()")) >= majority


def test_evaluate_magic_shows_metrics_head_tail_and_confusion_heat_map(kernel):
    reply, msgs = run(kernel, "%evaluate --classifier ft --dataset small --as ev")
    assert reply["status"] == "ok", (reply, msgs)
    displays = of_type(msgs, "display_data")
    html = "".join(d["data"].get("text/html", "") for d in displays)
    assert "macro" in html.lower() and "<table" in html
    assert "head" in html.lower() and "tail" in html.lower()
    assert any("image/png" in d["data"] for d in displays), "confusion heat map"
    assert value(kernel, "ev.size()") == value(kernel, "small.test().size()")
    # the classifier's test evaluation, recomputed: the same numbers fine-tuning reported
    assert value(kernel, "ev.accuracy()") == value(kernel, "ft.test().accuracy()")
    assert value(kernel, "ev.macroF1()") == value(kernel, "ft.test().macroF1()")


def test_evaluate_magic_fits_and_evaluates_baselines(kernel):
    reply, msgs = run(kernel, "%evaluate --baseline tfidf --dataset small --as tfidf")
    assert reply["status"] == "ok", (reply, msgs)
    reply, msgs = run(kernel, "%evaluate --baseline majority --dataset small --as maj")
    assert reply["status"] == "ok", (reply, msgs)
    assert float(value(kernel, "tfidf.accuracy()")) > float(value(kernel, "maj.accuracy()"))


def test_evaluate_magic_reports_robustness_to_back_translated_paraphrases(kernel):
    reply, msgs = run(kernel, "%evaluate --baseline tfidf --dataset small --paraphrased spa --as rob")
    assert reply["status"] == "ok", (reply, msgs)
    html = "".join(d["data"].get("text/html", "") for d in of_type(msgs, "display_data"))
    assert "paraphrased" in html and "drop" in html and "unchanged under paraphrase" in html
    clean = float(value(kernel, "rob.cleanEvaluation().accuracy()"))
    para = float(value(kernel, "rob.paraphrasedEvaluation().accuracy()"))
    assert abs(float(value(kernel, "rob.accuracyDrop()")) - (clean - para)) < 1e-9


def test_evaluate_magic_reports_masked_lm_perplexity(kernel):
    reply, msgs = run(kernel, "%evaluate --model m --tokenizer tok --corpus foldoc-topics --seed 5 --as ppl")
    assert reply["status"] == "ok", (reply, msgs)
    assert "masked-LM perplexity on foldoc-topics" in stdout(msgs)
    ppl = float(value(kernel, "ppl.perplexity()"))
    # the API's number for the same texts and seed
    api = float(value(kernel, "Perplexity.evaluate(m, tok, Datasets.task(\"foldoc-topics\").test().texts(), "
                              "PretrainConfig.builder().optSeed(5).build()).perplexity()"))
    assert ppl == api, (ppl, api)
    # 60 pretraining steps already beat guessing uniformly over the vocabulary
    vocab = int(value(kernel, "tok.vocabSize()"))
    assert ppl < 0.5 * vocab, (ppl, vocab)


@pytest.mark.parametrize("line, expected", [
    ("%finetune --model m --dataset small", "--tokenizer VAR is required"),
    ("%finetune --model nothing_here --tokenizer tok --dataset small", "no such variable"),
    ("%finetune --model m --tokenizer tok --dataset small --freeze top:x", "--freeze must be none, head or top:K"),
    ("%finetune --model m --tokenizer tok --dataset small --epochs 0", "epochs must be >= 1, got 0"),
    ("%finetune --model m --tokenizer tok --dataset no-such-task", "neither a LabeledDataset variable nor a task"),
    ("%evaluate --classifier ft --baseline tfidf --dataset small", "give exactly one of --classifier"),
    ("%evaluate --baseline probe --dataset small", "--model VAR is required"),
    ("%evaluate --baseline majority --dataset small --paraphrased klingon", "klingon"),
])
def test_bad_lines_give_readable_errors_and_the_kernel_stays_alive(kernel, line, expected):
    assert_readable_error(kernel, line, expected)


def test_a_checkpoint_with_another_vocabulary_is_refused_clearly(kernel):
    reply, msgs = run(kernel, "var other = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize() + 3), 1);")
    assert reply["status"] == "ok", reply
    reply, msgs = run(kernel, "%finetune --model other --tokenizer tok --dataset small --epochs 1")
    assert reply["status"] == "error"
    text = of_type(msgs, "error")[0]["evalue"]
    assert "do not belong together" in text, text


def test_help_shows_the_equivalent_java_calls(kernel):
    for magic, call in [("finetune", "FineTuner.builder()"), ("evaluate", "ClassificationEvaluation.of(")]:
        reply, msgs = run(kernel, f"%{magic} --help")
        assert reply["status"] == "ok", reply
        text = "".join(d["data"]["text/plain"] for d in of_type(msgs, "display_data"))
        assert call in text, text


def test_finetune_magic_starts_from_a_pretrained_model_by_name_with_its_own_tokenizer(kernel):
    reply, msgs = run(kernel, "%finetune --model all-MiniLM-L6-v2 --dataset small --epochs 1 --max-length 32 "
                              "--batch 16 --lr 1e-4 --seed 3 --as ftm")
    assert reply["status"] == "ok", (reply, msgs)
    assert value(kernel, "ftm.classifier().labels().size()") == "10"
    # the classifier keeps working after the magic: it holds the pretrained tokenizer
    assert value(kernel, 'ftm.classifier().predict("a protocol for sending electronic mail").label() != null') == "true"
