"""Latency of the plm4j kernel next to ipykernel (not a test): kernel start to first kernel_info reply, the
round trip of a trivial cell (median of N), and a print flood: a cell printing 200,000 lines followed at once by
`1 + 1` -- how many stream messages the flood sends and the wall time until the `1 + 1` reply arrives.
Run: /usr/bin/python3 bench_latency.py [N]   (or ./plm4j bench kernel [N])"""
import statistics
import sys
import time

import jupyter_client

import plm4j_kernelspec

CELL = {"plm4j": "1 + 1", "python3": "1 + 1"}
FLOOD_LINES = 200_000
FLOOD = {"plm4j": f'for (int i = 0; i < {FLOOD_LINES}; i++) System.out.println("line " + i);',
         "python3": f'for i in range({FLOOD_LINES}): print("line", i)'}


def flood(kc, kernel_name):
    """Sends the print loop and `1 + 1` right after it; returns (stream messages of the loop, seconds until
    the `1 + 1` reply, lines received)."""
    t = time.perf_counter()
    loop_id = kc.execute(FLOOD[kernel_name])
    next_id = kc.execute(CELL[kernel_name])
    while kc.get_shell_msg(timeout=600)["parent_header"].get("msg_id") != next_id:
        pass
    wall = time.perf_counter() - t
    messages = lines = 0
    while True:
        m = kc.get_iopub_msg(timeout=120)
        parent = m["parent_header"].get("msg_id")
        if parent == loop_id and m["msg_type"] == "stream":
            messages += 1
            lines += m["content"]["text"].count("\n")
        if parent == next_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return messages, wall, lines


def measure(kernel_name, n):
    km = jupyter_client.KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)  # sends kernel_info_request until a reply arrives
    startup = time.perf_counter() - t0
    try:
        kc.execute_interactive(CELL[kernel_name], timeout=60, output_hook=lambda m: None)  # warm-up
        rtts = []
        for _ in range(n):
            t = time.perf_counter()
            reply = kc.execute_interactive(CELL[kernel_name], timeout=60, output_hook=lambda m: None)
            rtts.append(time.perf_counter() - t)
            assert reply["content"]["status"] == "ok"
        return startup, statistics.median(rtts), flood(kc, kernel_name)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    results = {name: measure(name, n) for name in ("plm4j", "python3")}
    for name, (startup, rtt, _) in results.items():
        print(f"{name:8s} start→kernel_info {startup * 1000:8.0f} ms   `1 + 1` round trip (median of {n}) {rtt * 1000:7.1f} ms")
    for name, (_, _, (messages, wall, lines)) in results.items():
        print(f"{name:8s} {FLOOD_LINES:,}-line print loop: {messages:6d} stream messages ({lines:,} lines received), "
              f"{wall:6.2f} s until the next request's reply")
    (ps, pr, _), (ys, yr, _) = results["plm4j"], results["python3"]
    print(f"ratio plm4j/ipykernel: startup {ps / ys:.1f}x, round trip {pr / yr:.1f}x")
    # the benchmarks' common last line: reference time / plm4j time (below 1: plm4j is slower)
    print(f"speedup kernel {yr / pr:.2f}")


if __name__ == "__main__":
    main()
