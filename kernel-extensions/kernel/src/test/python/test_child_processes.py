"""Processes started by cells end with the kernel: on shutdown, on restart and when the kernel JVM is SIGKILLed."""
import os
import signal
import time

import jupyter_client

import plm4j_kernelspec


def start():
    return jupyter_client.manager.start_new_kernel(kernel_name=plm4j_kernelspec.KERNEL_NAME, startup_timeout=90)


def value(kc, code):
    results = []
    reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: results.append(m["content"])
                                   if m["msg_type"] == "execute_result" else None)
    assert reply["content"]["status"] == "ok", reply["content"]
    return results[0]["data"]["text/plain"]


def running(pid):
    """True while the process exists and is not a zombie (an unreaped corpse in a container without init)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def start_sleep(kc):
    """Starts `sleep 1000` and a grandchild `sleep 1001` (through sh) from a cell; returns their pids."""
    child = int(value(kc, 'new ProcessBuilder("sleep", "1000").start().pid()'))
    shell = int(value(kc, 'new ProcessBuilder("sh", "-c", "sleep 1001; true").start().pid()'))
    deadline = time.monotonic() + 10
    grandchild = None
    while grandchild is None and time.monotonic() < deadline:
        kids = [p for p in os.listdir("/proc") if p.isdigit() and _ppid(p) == shell]
        grandchild = int(kids[0]) if kids else None
        time.sleep(0.05)
    assert grandchild, "sh did not start its sleep"
    pids = [child, shell, grandchild]
    assert all(running(p) for p in pids)
    return pids


def _ppid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(") ", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def assert_gone(pids, timeout=10):
    deadline = time.monotonic() + timeout
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in pids if running(p)]
    for p in alive:  # do not leave them behind when the test fails
        os.kill(p, signal.SIGKILL)
    assert not alive, f"still running after the kernel ended: {alive}"


def test_child_processes_end_when_the_kernel_shuts_down():
    km, kc = start()
    pids = start_sleep(kc)
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    assert_gone(pids)


def test_child_processes_end_when_the_kernel_restarts():
    km, kc = start()
    try:
        pids = start_sleep(kc)
        km.restart_kernel(now=False)
        assert_gone(pids)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_child_processes_end_when_the_kernel_jvm_is_killed():
    km, kc = start()
    try:
        jvm = int(value(kc, "ProcessHandle.current().pid()"))
        pids = start_sleep(kc)
        time.sleep(1)  # the kernel lists its descendants for the watchdog a few times a second
        os.kill(jvm, signal.SIGKILL)  # the JVM alone, not its process group
        assert_gone(pids)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
