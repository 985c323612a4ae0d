"""numpy reference for `./plm4j bench matmul` (Debian's /usr/bin/python3, OpenBLAS overrides unset).

Reads commands on stdin, one per line, and answers each with lines ending in `ok`:
  info              numpy version and loaded BLAS
  mm M K N          one timed float32 product (M x K)(K x N) on fixed random inputs; prints `time SECONDS`
"""
import sys
import time

import numpy as np

cache = {}
for line in sys.stdin:
    cmd = line.split()
    if cmd and cmd[0] == "info":
        np.ones((8, 8)) @ np.ones((8, 8))
        with open("/proc/self/maps") as f:
            libs = sorted({l.split()[-1] for l in f if "blas" in l})
        print("python: numpy", np.__version__, "BLAS", ", ".join(libs))
    elif cmd and cmd[0] == "mm":
        m, k, n = (int(v) for v in cmd[1:4])
        if (m, k, n) not in cache:
            rng = np.random.default_rng(0)
            cache[(m, k, n)] = (rng.standard_normal((m, k), dtype=np.float32),
                                rng.standard_normal((k, n), dtype=np.float32))
        a, b = cache[(m, k, n)]
        t0 = time.perf_counter()
        a @ b
        print("time", repr(time.perf_counter() - t0))
    print("ok", flush=True)
