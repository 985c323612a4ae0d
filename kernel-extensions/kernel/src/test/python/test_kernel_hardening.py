"""Hardening of the real plm4j kernel over ZeroMQ: a cell cannot end the kernel, output floods are coalesced
and bounded, the history/pager/clear_output parts of the protocol, and child processes end with the kernel."""
import os
import time

import pytest
import jupyter_client

import plm4j_kernelspec


@pytest.fixture(scope="module")
def kernel():
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=plm4j_kernelspec.KERNEL_NAME, startup_timeout=90)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def execute(kc, code, timeout=60):
    """Runs a cell and returns (reply content, [(msg_type, content, arrival wall-clock time)])."""
    msgs = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda m: msgs.append((m["msg_type"], m["content"], time.time())))
    return reply["content"], msgs


def text_of(msgs, name=None):
    return "".join(c["text"] for t, c, _ in msgs if t == "stream" and (name is None or c["name"] == name))


# ---------------------------------------------------------------- exit calls

def test_system_exit_in_a_cell_is_an_error_and_the_session_survives(kernel):
    km, kc = kernel
    reply, _ = execute(kc, 'String before = "kept";')
    assert reply["status"] == "ok"
    reply, msgs = execute(kc, "System.out.println(\"about to exit\");\nSystem.exit(3);")
    assert reply["status"] == "error" and reply["ename"] == "CellExitError", reply
    assert "System.exit(3)" in reply["evalue"] and "Kernel > Restart" in reply["evalue"]
    errors = [c for t, c, _ in msgs if t == "error"]
    assert errors and "System.exit(3)" in errors[0]["evalue"]
    assert km.is_alive()
    reply, msgs = execute(kc, "before")
    assert reply["status"] == "ok"
    assert [c for t, c, _ in msgs if t == "execute_result"][0]["data"]["text/plain"] == "kept"


def test_exit_from_a_method_and_from_a_thread_the_cell_starts_leaves_the_kernel_alive(kernel):
    km, kc = kernel
    reply, _ = execute(kc, "void stop() { Runtime.getRuntime().halt(2); }\nstop();")
    assert reply["status"] == "error" and reply["evalue"].startswith("Runtime.halt(2)"), reply
    reply, msgs = execute(kc, "Thread t = new Thread(() -> System.exit(4));\nt.start();\nt.join();\n\"joined\"")
    assert reply["status"] == "ok", reply
    assert "System.exit(4) was called from cell code and blocked" in text_of(msgs, "stderr")
    assert km.is_alive()
    reply, _ = execute(kc, "1 + 1")
    assert reply["status"] == "ok"


# ---------------------------------------------------------------- output

def test_a_200000_line_loop_sends_few_messages_and_the_kernel_answers_at_once(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'for (int i = 0; i < 200000; i++) System.out.println("line " + i);', timeout=120)
    assert reply["status"] == "ok", reply
    streams = [c for t, c, _ in msgs if t == "stream"]
    assert len(streams) <= 500, f"{len(streams)} stream messages"
    lines = text_of(msgs, "stdout").splitlines()
    assert len(lines) == 200000 and lines[0] == "line 0" and lines[-1] == "line 199999"
    start = time.monotonic()
    reply, _ = execute(kc, "1 + 1")
    assert reply["status"] == "ok"
    assert time.monotonic() - start < 2


def test_the_first_line_of_a_running_cell_arrives_within_100_ms(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, "System.out.println(System.currentTimeMillis());\nThread.sleep(1000);")
    assert reply["status"] == "ok"
    first = next((c, at) for t, c, at in msgs if t == "stream")
    printed_at = int(first[0]["text"].split()[0]) / 1000
    assert first[1] - printed_at < 0.1, f"first line after {(first[1] - printed_at) * 1000:.0f} ms"


def test_streams_and_displays_keep_their_order(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'System.out.println("a");\nSystem.err.println("b");\ndisplay("c");\nSystem.out.println("d");\n"e"')
    assert reply["status"] == "ok"
    order = []
    for t, c, _ in msgs:
        if t == "stream":
            order.append(c["text"].strip())
        elif t in ("display_data", "execute_result"):
            order.append(c["data"]["text/plain"])
    assert order == ["a", "b", "c", "d", "e"], order


def test_output_beyond_the_per_cell_limit_is_dropped_with_a_note(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'String row = "x".repeat(1023);\nfor (int i = 0; i < 8 * 1024; i++) System.out.println(row);', timeout=120)
    assert reply["status"] == "ok"
    out = text_of(msgs, "stdout")
    assert len(out) == 5 * 1024 * 1024, len(out)
    assert "output truncated after 5 MB" in text_of(msgs, "stderr")
    # the next cell has the full limit again
    reply, msgs = execute(kc, 'System.out.println("fresh");')
    assert text_of(msgs, "stdout") == "fresh\n"


# ---------------------------------------------------------------- protocol

def history(kc, **kw):
    msg_id = kc.history(raw=True, **kw)
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["content"]["status"] == "ok", reply["content"]
            return reply["content"]["history"]


def test_history_answers_tail_range_and_search_over_the_session(kernel):
    _, kc = kernel
    marker = f"hist{int(time.time() * 1000)}"
    counts = []
    for code in (f'"{marker}-a"', f'"{marker}-b"', f'"{marker}-a"'):
        reply, _ = execute(kc, code)
        counts.append(reply["execution_count"])
    tail = history(kc, hist_access_type="tail", n=3, output=True)
    assert [h[1] for h in tail] == counts
    assert [h[2] for h in tail] == [[f'"{marker}-a"', f"{marker}-a"], [f'"{marker}-b"', f"{marker}-b"], [f'"{marker}-a"', f"{marker}-a"]]
    session = tail[0][0]
    rng = history(kc, hist_access_type="range", session=session, start=counts[1], stop=counts[2] + 1)
    assert [(h[1], h[2]) for h in rng] == [(counts[1], f'"{marker}-b"'), (counts[2], f'"{marker}-a"')]
    assert [h[2] for h in history(kc, hist_access_type="search", pattern=f'"{marker}-?"')] == [f'"{marker}-a"', f'"{marker}-b"', f'"{marker}-a"']
    assert [h[1] for h in history(kc, hist_access_type="search", pattern=f'"{marker}-[a]"', n=1)] == [counts[2]]
    assert [h[2] for h in history(kc, hist_access_type="search", pattern=f"*{marker}*", unique=True)] == [f'"{marker}-b"', f'"{marker}-a"']


def test_clear_output_from_a_cell_comes_after_the_text_printed_before_it(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'System.out.println("old");\nclearOutput(true);\nSystem.out.println("new");')
    assert reply["status"] == "ok", reply
    kinds = [(t, c.get("text", c.get("wait"))) for t, c, _ in msgs if t in ("stream", "clear_output")]
    assert kinds == [("stream", "old\n"), ("clear_output", True), ("stream", "new\n")], kinds


def test_a_trailing_question_mark_pages_the_documentation(kernel):
    _, kc = kernel
    msg_id = kc.execute("String.valueOf?")
    reply = kc.get_shell_msg(timeout=60)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
    [page] = reply["content"]["payload"]
    assert page["source"] == "page" and "valueOf(" in page["data"]["text/plain"]
    msg_id = kc.execute("noSuchThing?")
    reply = kc.get_shell_msg(timeout=60)
    assert "No documentation found for noSuchThing" in reply["content"]["payload"][0]["data"]["text/plain"]
