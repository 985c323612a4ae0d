"""Latency of the plm4j kernel next to ipykernel (not a test): kernel start to first kernel_info reply, and the
round trip of a trivial cell (median of N). Run: /usr/bin/python3 bench_latency.py [N]"""
import statistics
import sys
import time

import jupyter_client

import plm4j_kernelspec

CELL = {"plm4j": "1 + 1", "python3": "1 + 1"}


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
        return startup, statistics.median(rtts)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    results = {name: measure(name, n) for name in ("plm4j", "python3")}
    for name, (startup, rtt) in results.items():
        print(f"{name:8s} start→kernel_info {startup * 1000:8.0f} ms   `1 + 1` round trip (median of {n}) {rtt * 1000:7.1f} ms")
    (ps, pr), (ys, yr) = results["plm4j"], results["python3"]
    print(f"ratio plm4j/ipykernel: startup {ps / ys:.1f}x, round trip {pr / yr:.1f}x")
    # the benchmarks' common last line: reference time / plm4j time (below 1: plm4j is slower)
    print(f"speedup kernel {yr / pr:.2f}")


if __name__ == "__main__":
    main()
