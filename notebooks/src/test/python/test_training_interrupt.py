"""An interrupt sent through jupyter_client while a real pretraining loop runs stops the cell
within 5 s, and the kernel runs the next cell."""
import time

from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME

TRAINING_CELL = """
import org.plm4j.corpus.*;
import org.plm4j.tokenizer.*;
import org.plm4j.model.*;
import org.plm4j.pretrain.*;
var texts = new java.util.ArrayList<String>();
for (int i = 0; i < 400; i++) texts.add("the cat number " + (i % 17) + " sat on the mat near the door " + (i % 5));
var corpus = Corpus.of("interrupt-test", texts);
var tok = WordPieceTrainer.train(corpus, WordPieceConfig.builder().optVocabSize(200).build());
var model = MaskedLanguageModel.create(EncoderConfig.tiny(tok.vocabSize()), 7);
System.out.println("training starts");
Pretrainer.builder().setModel(model).setTokenizer(tok).setData(corpus)
        .optConfig(PretrainConfig.builder().optSteps(1_000_000).optSequenceLength(32).optBatchSize(8).build())
        .run();
"""


def test_interrupt_stops_training_cell_and_kernel_stays_usable(jupyter_path):
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=120)
    try:
        msg_id = kc.execute(TRAINING_CELL)
        # wait until the loop is really training
        deadline = time.monotonic() + 120
        started = False
        while time.monotonic() < deadline and not started:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and "training starts" in msg["content"]["text"]:
                started = True
            assert msg["msg_type"] != "error", msg["content"]
        assert started, "training never started"
        time.sleep(3)
        sent = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=30)
        stopped_after = time.monotonic() - sent
        assert reply["content"]["status"] == "error", reply["content"]
        assert reply["content"]["ename"] == "Interrupted", reply["content"]
        assert stopped_after < 5, f"cell stopped {stopped_after:.1f} s after the interrupt"
        results = []
        nxt = kc.execute_interactive("1 + 1", timeout=30, output_hook=lambda m: results.append(m))
        assert nxt["content"]["status"] == "ok", nxt["content"]
        values = [m["content"]["data"]["text/plain"] for m in results if m["msg_type"] == "execute_result"]
        assert values == ["2"], values
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
