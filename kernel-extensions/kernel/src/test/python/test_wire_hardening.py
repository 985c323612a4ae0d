"""No message stops a channel: forged, malformed, oversized and replayed messages sent with a raw ZeroMQ socket
are refused (logged once with the reason, never executed, never answered) and the next request is served."""
import os
import tempfile
import time
import uuid

import pytest
import zmq
import jupyter_client
from jupyter_client.session import Session

import plm4j_kernelspec


@pytest.fixture(scope="module")
def kernel():
    log = tempfile.NamedTemporaryFile(prefix="plm4j-kernel-stderr-", suffix=".log", delete=False)
    km = jupyter_client.KernelManager(kernel_name=plm4j_kernelspec.KERNEL_NAME)
    km.start_kernel(stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=90)
    yield km, kc, log.name
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    log.close()
    os.unlink(log.name)


@pytest.fixture
def raw(kernel):
    """A DEALER socket of its own on the shell and one on the control port."""
    km, _, _ = kernel
    ctx = zmq.Context.instance()
    socks = {}
    for name, port in (("shell", km.shell_port), ("control", km.control_port)):
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(f"tcp://{km.ip}:{port}")
        socks[name] = s
    yield socks
    for s in socks.values():
        s.close()


def signed(km, msg_type, content, session=None, header_extra=None):
    """The wire frames of a message signed with the kernel's key (what a real client sends)."""
    session = session or Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
    msg = session.msg(msg_type, content)
    if header_extra:
        msg["header"].update(header_extra)
    return session.serialize(msg)


def sign(session, parts):
    sig = session.sign(parts)
    return sig if isinstance(sig, bytes) else sig.encode()


def execute_frames(km, code, key=None):
    session = Session(key=km.session.key if key is None else key, signature_scheme=km.session.signature_scheme)
    return session.serialize(session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                           "user_expressions": {}, "allow_stdin": False,
                                                           "stop_on_error": True}))


def no_reply(sock, seconds=1.0):
    return sock.poll(int(seconds * 1000)) == 0


def reply_of(sock, seconds=30):
    assert sock.poll(int(seconds * 1000)) != 0, "no reply"
    return sock.recv_multipart()


def assert_serves_a_normal_request(kc, marker="after"):
    reply = kc.execute_interactive(f'"{marker}" + (40 + 2)', timeout=60, output_hook=lambda m: None)
    assert reply["content"]["status"] == "ok", reply["content"]


def refusals(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return [line for line in f if "refused a message" in line]


def wait_for_refusals(log_path, n, before, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = refusals(log_path)
        if len(lines) >= before + n:
            return lines[before:]
        time.sleep(0.05)
    return refusals(log_path)[before:]


def marker_cell(path):
    return f'java.nio.file.Files.writeString(java.nio.file.Path.of("{path}"), "ran\\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);'


def test_a_request_signed_with_a_wrong_key_is_refused_and_the_shell_keeps_serving(kernel, raw):
    km, kc, log = kernel
    marker = os.path.join(tempfile.gettempdir(), f"plm4j-forged-{uuid.uuid4().hex}")
    before = len(refusals(log))
    raw["shell"].send_multipart(execute_frames(km, marker_cell(marker), key=b"not-the-key"))
    assert no_reply(raw["shell"])
    lines = wait_for_refusals(log, 1, before)
    assert len(lines) == 1 and "shell channel" in lines[0] and "invalid HMAC signature" in lines[0], lines
    assert not os.path.exists(marker), "the forged cell ran"
    assert_serves_a_normal_request(kc)


def test_an_unsigned_request_is_refused(kernel, raw):
    km, kc, log = kernel
    marker = os.path.join(tempfile.gettempdir(), f"plm4j-unsigned-{uuid.uuid4().hex}")
    frames = execute_frames(km, marker_cell(marker))
    frames[1] = b""  # the signature frame
    before = len(refusals(log))
    raw["shell"].send_multipart(frames)
    assert no_reply(raw["shell"])
    lines = wait_for_refusals(log, 1, before)
    assert len(lines) == 1 and "unsigned" in lines[0], lines
    assert not os.path.exists(marker)
    assert_serves_a_normal_request(kc)


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_garbage_frames_are_refused_with_their_reason(kernel, raw, channel):
    km, kc, log = kernel
    before = len(refusals(log))
    cases = [
        ([os.urandom(64)], "no <IDS|MSG> delimiter"),
        ([b"<IDS|MSG>", b"abc"], "frame(s) after <IDS|MSG>"),
        (signed(km, "execute_request", {"code": "1"})[:1] + [b"x"] + [b"{not json"] * 4, "invalid HMAC signature"),
    ]
    # correctly signed but broken inside: only a client holding the key can send these
    session = Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
    bad_json = [b"{not json " + uuid.uuid4().hex.encode(), b"{}", b"{}", b"{}"]
    cases.append(([b"<IDS|MSG>", sign(session, bad_json)] + bad_json, "not valid JSON"))
    header = {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "session": "s", "version": "5.3"}  # no username
    parts = [jupyter_client.session.json_packer(header), b"{}", b"{}", b'{"code": "1"}']
    cases.append(([b"<IDS|MSG>", sign(session, parts)] + parts, "header field 'username' is missing"))
    cases.append((signed(km, "no_such_request", {}), "unknown msg_type 'no_such_request'"))
    for frames, _ in cases:
        raw[channel].send_multipart(frames)
    assert no_reply(raw[channel])
    lines = wait_for_refusals(log, len(cases), before)
    assert len(lines) == len(cases), lines
    for line, (_, reason) in zip(lines, cases):
        assert f"{channel} channel" in line and reason in line, (reason, line)
    # the channel still answers a valid request
    raw[channel].send_multipart(signed(km, "kernel_info_request", {}))
    assert raw[channel].poll(30000), f"the {channel} channel stopped serving"
    reply = raw[channel].recv_multipart()
    assert b"kernel_info_reply" in reply[2]
    assert_serves_a_normal_request(kc)


def test_a_10_mb_frame_is_refused(kernel, raw):
    km, kc, log = kernel
    before = len(refusals(log))
    # a 10 MB content frame with a made-up signature
    raw["shell"].send_multipart([b"<IDS|MSG>", b"0" * 64, b"{}", b"{}", b"{}", os.urandom(10 * 1024 * 1024)])
    # signed with the right key, with a 10 MB header: too large to be a header
    session = Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
    raw["shell"].send_multipart(signed(km, "execute_request", {"code": "1"}, session, {"padding": "x" * (10 * 1024 * 1024)}))
    assert no_reply(raw["shell"], 2)
    lines = wait_for_refusals(log, 2, before)
    assert len(lines) == 2, lines
    assert "invalid HMAC signature" in lines[0]
    assert "header frame has" in lines[1] and "at most 1048576" in lines[1], lines[1]
    assert_serves_a_normal_request(kc)


def test_a_replayed_request_is_refused_and_runs_only_once(kernel, raw):
    km, kc, log = kernel
    marker = os.path.join(tempfile.gettempdir(), f"plm4j-replay-{uuid.uuid4().hex}")
    frames = execute_frames(km, marker_cell(marker))
    raw["shell"].send_multipart(frames)
    first = reply_of(raw["shell"])
    assert b"execute_reply" in first[2] and b'"ok"' in first[5], first
    before = len(refusals(log))
    raw["shell"].send_multipart(frames)
    assert no_reply(raw["shell"])
    lines = wait_for_refusals(log, 1, before)
    assert len(lines) == 1 and "replayed signature" in lines[0], lines
    with open(marker) as f:
        assert f.read() == "ran\n", "the replayed cell ran again"
    os.unlink(marker)
    assert_serves_a_normal_request(kc)


def test_the_stdin_channel_skips_bad_input_replies_and_takes_the_valid_one(kernel):
    km, kc, log = kernel
    ctx = zmq.Context.instance()
    identity = uuid.uuid4().hex.encode()
    shell, stdin = ctx.socket(zmq.DEALER), ctx.socket(zmq.DEALER)
    for sock, port in ((shell, km.shell_port), (stdin, km.stdin_port)):
        sock.setsockopt(zmq.IDENTITY, identity)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(f"tcp://{km.ip}:{port}")
    try:
        session = Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
        code = 'String answer = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();\n"got " + answer'
        shell.send_multipart(session.serialize(session.msg("execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": True, "stop_on_error": True})))
        assert stdin.poll(60000), "no input_request"
        request = session.deserialize(session.feed_identities(stdin.recv_multipart())[1])
        assert request["msg_type"] == "input_request"
        before = len(refusals(log))
        stdin.send_multipart([os.urandom(32)])
        stdin.send_multipart(execute_frames(km, "1", key=b"wrong")[:1] + [b"bad-signature"] + execute_frames(km, "1")[2:])
        reply = session.msg("input_reply", {"value": "forty-two"}, parent=request)
        frames = session.serialize(reply)
        stdin.send_multipart(frames)
        assert shell.poll(60000), "no execute_reply"
        execute_reply = session.deserialize(session.feed_identities(shell.recv_multipart())[1])
        assert execute_reply["content"]["status"] == "ok", execute_reply["content"]
        lines = wait_for_refusals(log, 2, before)
        assert len(lines) == 2 and all("stdin channel" in line for line in lines), lines
        assert "no <IDS|MSG> delimiter" in lines[0] and "invalid HMAC signature" in lines[1]
    finally:
        shell.close()
        stdin.close()
    reply = kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
    assert reply["content"]["status"] == "ok"
