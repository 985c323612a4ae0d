"""Behaviour of the real plm4j kernel over ZeroMQ: interrupts, errors, streaming, magics."""
import os
import queue
import signal
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
    """Runs a cell and returns (reply content, [(msg_type, content, arrival time)])."""
    msgs = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda m: msgs.append((m["msg_type"], m["content"], time.monotonic())))
    return reply["content"], msgs


def stdout_of(msgs):
    return "".join(c["text"] for t, c, _ in msgs if t == "stream" and c["name"] == "stdout")


def assert_alive(kc):
    reply, msgs = execute(kc, "1 + 1")
    assert reply["status"] == "ok", reply
    results = [c for t, c, _ in msgs if t == "execute_result"]
    assert results and results[0]["data"]["text/plain"] == "2"


def interrupt_during(km, kc, code, started_marker, startup_timeout=120, interrupt=None):
    """Starts a cell, waits for `started_marker` on stdout, interrupts, returns (seconds to reply, reply)."""
    msg_id = kc.execute(code)
    deadline = time.monotonic() + startup_timeout
    seen = ""
    while started_marker not in seen:
        assert time.monotonic() < deadline, f"cell did not print {started_marker!r}; got {seen!r}"
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
            seen += m["content"]["text"]
    time.sleep(0.5)
    start = time.monotonic()
    (interrupt or km.interrupt_kernel)()
    while True:
        reply = kc.get_shell_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == msg_id:
            return time.monotonic() - start, reply["content"]


def test_interrupt_stops_a_busy_loop(kernel):
    km, kc = kernel
    elapsed, reply = interrupt_during(km, kc, 'System.out.println("started"); while (true) { }', "started")
    assert elapsed < 5, f"interrupt took {elapsed:.1f} s"
    assert reply["status"] == "error"
    assert reply["ename"] == "Interrupted"
    assert_alive(kc)


def test_interrupt_request_on_the_shell_channel_is_served_while_a_cell_runs(kernel):
    km, kc = kernel
    request = kc.session.msg("interrupt_request", {})
    elapsed, reply = interrupt_during(km, kc, 'System.out.println("started"); while (true) { }', "started",
                                      interrupt=lambda: kc.shell_channel.send(request))
    assert elapsed < 5
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
    assert_alive(kc)


def test_requests_sent_while_a_cell_runs_are_answered_after_it_in_order(kernel):
    _, kc = kernel
    first = kc.execute('Thread.sleep(1500); "first"')
    completion = kc.complete('"abc".toUpperC', 14)
    second = kc.execute('"second"')
    order = []
    deadline = time.monotonic() + 30
    while len(order) < 3 and time.monotonic() < deadline:
        m = kc.get_shell_msg(timeout=30)
        order.append((m["parent_header"]["msg_id"], m["msg_type"], m["content"]["status"]))
    assert [o[0] for o in order] == [first, completion, second], order
    assert all(o[2] == "ok" for o in order), order


def test_sigint_interrupts_the_cell_instead_of_killing_the_kernel(kernel):
    km, kc = kernel
    elapsed, reply = interrupt_during(km, kc, 'System.out.println("started"); while (true) { }', "started",
                                      interrupt=lambda: km.signal_kernel(signal.SIGINT))
    assert elapsed < 5
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
    assert_alive(kc)


def test_sigint_interrupts_a_kernel_started_with_sigint_ignored():
    # a kernel launched from a background job of a non-interactive shell inherits SIGINT ignored
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        km, kc = jupyter_client.manager.start_new_kernel(kernel_name=plm4j_kernelspec.KERNEL_NAME,
                                                         startup_timeout=90)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        elapsed, reply = interrupt_during(km, kc, 'System.out.println("started"); while (true) { }', "started",
                                          interrupt=lambda: km.signal_kernel(signal.SIGINT))
        assert elapsed < 5
        assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
        assert_alive(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_interrupt_stops_a_loop_of_ndarray_operations(kernel):
    km, kc = kernel
    code = """
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
    NDArray a = manager.randomUniform(0f, 1f, new Shape(128, 128));
    System.out.println("ndarray loop started");
    long n = 0;
    while (true) {
        try (NDManager step = manager.newSubManager()) {
            NDArray b = a.matMul(a).tanh();
            b.attach(step);
            n += b.getShape().size();
        }
    }
}
"""
    elapsed, reply = interrupt_during(km, kc, code, "ndarray loop started")
    assert elapsed < 5, f"interrupt took {elapsed:.1f} s"
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
    assert_alive(kc)


def test_compile_error_points_at_the_cell_line(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, "int ok = 1;\nString s = undefinedThing;")
    assert reply["status"] == "error"
    assert reply["ename"] == "CompilationError"
    text = "\n".join(reply["traceback"])
    assert "Line 2" in text and "cannot find symbol" in text and "undefinedThing" in text and "^" in text
    assert_alive(kc)


def test_thrown_exception_shows_user_frames_only(kernel):
    _, kc = kernel
    reply, _ = execute(kc, 'void explode() {\n    throw new IllegalArgumentException("bad value 7");\n}\nexplode();')
    assert reply["status"] == "error"
    assert reply["ename"] == "IllegalArgumentException"
    assert reply["evalue"] == "bad value 7"
    text = "\n".join(reply["traceback"])
    assert "explode" in text and "line 2" in text
    assert "jdk.jshell" not in text and "org.plm4j.kernel" not in text and "reflect" not in text
    assert_alive(kc)


def test_malformed_magic_gives_a_readable_error(kernel):
    _, kc = kernel
    for line in ["%nosuchmagic 1 2", '%maven "unclosed', "%maven not-a-coordinate", "%jars /no/such/dir/*.jar"]:
        reply, _ = execute(kc, line)
        assert reply["status"] == "error", line
        assert reply["ename"] == "MagicError", (line, reply)
        assert len(reply["traceback"]) <= 3 and "at org." not in "\n".join(reply["traceback"]), reply
    assert_alive(kc)


def test_output_of_threads_started_by_the_cell_arrives(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'Thread t = new Thread(() -> System.out.println("from a worker thread"));\nt.start();\nt.join();')
    assert reply["status"] == "ok"
    assert "from a worker thread" in stdout_of(msgs)


def test_output_streams_while_the_cell_runs(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'System.out.println("before sleep");\nThread.sleep(2000);\nSystem.out.println("after sleep");')
    end = time.monotonic()
    assert reply["status"] == "ok"
    streams = [(c["text"], at) for t, c, at in msgs if t == "stream"]
    first = next(at for text, at in streams if "before sleep" in text)
    assert end - first > 1.5, "the first line arrived only when the cell ended"
    assert "after sleep" in stdout_of(msgs)


def test_display_can_be_updated_in_place_during_a_cell(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, 'String id = display("step 0");\nfor (int i = 1; i <= 3; i++) updateDisplay(id, "step " + i);')
    assert reply["status"] == "ok"
    displays = [c for t, c, _ in msgs if t == "display_data"]
    updates = [c for t, c, _ in msgs if t == "update_display_data"]
    assert len(displays) == 1 and len(updates) == 3
    assert updates[-1]["data"]["text/plain"] == "step 3"
    assert updates[-1]["transient"]["display_id"] == displays[0]["transient"]["display_id"]


def test_maven_magic_resolves_a_cached_artifact_with_its_dependencies(kernel):
    _, kc = kernel
    reply, msgs = execute(kc, "%maven org.apache.commons:commons-text:1.12.0", timeout=120)
    assert reply["status"] == "ok", reply
    assert "commons-text:1.12.0" in stdout_of(msgs)
    reply, msgs = execute(kc, 'org.apache.commons.text.WordUtils.capitalize("hello world") + "/" + org.apache.commons.lang3.StringUtils.reverse("abc")')
    assert reply["status"] == "ok", reply
    result = [c for t, c, _ in msgs if t == "execute_result"][0]
    assert result["data"]["text/plain"] == "Hello World/cba"


def test_variables_keep_their_values_when_a_cell_adds_several_imports(kernel):
    _, kc = kernel
    # JShell recompiles declarations an on-demand import might affect; in-process it loads a renamed
    # class, and without care every String/object variable of the session silently became null
    reply, _ = execute(kc, 'String seeds = "1,2,3";\nint n = 3;\njava.util.List<String> xs = java.util.List.of("a");')
    assert reply["status"] == "ok", reply
    reply, _ = execute(kc, "import java.time.*;\nimport java.text.*;\nimport java.nio.file.*;")
    assert reply["status"] == "ok", reply
    reply, msgs = execute(kc, 'System.out.println(seeds + "|" + n + "|" + xs);')
    assert reply["status"] == "ok", reply
    assert stdout_of(msgs).strip() == "1,2,3|3|[a]"
    # a real redeclaration still takes the new value
    execute(kc, 'String seeds = "new";')
    execute(kc, "import java.util.concurrent.*;\nimport java.util.function.*;")
    reply, msgs = execute(kc, "System.out.println(seeds);")
    assert stdout_of(msgs).strip() == "new"
