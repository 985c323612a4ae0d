"""Python references for `./plm4j bench pca` (run by Debian's /usr/bin/python3).

usage: pca_reference.py OUT_DIR, then one command per line on stdin (answers on stdout, each
ending with a line `ok`), so the Java side can interleave its fits with these in one process:

  info                                  engine: numpy/scikit-learn versions and loaded BLAS
  load NAME FILE ROWS COLS DTYPE        read the raw little-endian row-major matrix PcaBenchmark wrote
  fit NAME METHOD K                     one timed fit; prints `time NAME METHOD SECONDS` and writes the
                                        explained-variance ratios and components (raw float64) to
                                        OUT_DIR/NAME.METHOD.ratio and OUT_DIR/NAME.METHOD.components

METHOD: `cov-eigh` is numpy's covariance route (what scikit-learn >= 1.5 calls covariance_eigh,
here with a float64 Gram matrix): centre in float64, XcᵀXc, numpy.linalg.eigh, top K, signs as
plm4j's (largest |entry| positive). `sklearn-auto`, `sklearn-full`, `sklearn-randomized` are
sklearn.decomposition.PCA(n_components=K, svd_solver=..., random_state=0).
"""
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA


def cov_eigh(x, k):
    xc = np.subtract(x, x.mean(axis=0, dtype=np.float64))  # float64 result for float32 input too
    gram = xc.T @ xc  # numpy runs XᵀX as a symmetric rank-k update
    w, v = np.linalg.eigh(gram)
    w, v = w[::-1], v[:, ::-1]
    comps = v[:, :k].T.copy()
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    comps *= signs[:, None]
    ratio = w[:k] / np.trace(gram)
    return ratio, comps


def fit(x, method, k):
    if method == "cov-eigh":
        return cov_eigh(x, k)
    solver = method.split("-", 1)[1]
    pca = PCA(n_components=k, svd_solver=solver, random_state=0).fit(x)
    return pca.explained_variance_ratio_, pca.components_


def info():
    print("python: numpy", np.__version__, "scikit-learn", sklearn.__version__)
    try:
        from threadpoolctl import threadpool_info
        for p in threadpool_info():
            print("python BLAS:", p.get("internal_api"), p.get("version"), p.get("architecture"),
                  p.get("num_threads"), "threads,", p.get("filepath"))
    except ImportError:
        np.ones((64, 64)) @ np.ones((64, 64))
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line or "lapack" in line})
        print("python BLAS (threadpoolctl not installed; loaded libraries):", ", ".join(libs))
    print("python env: OPENBLAS_CORETYPE", os.environ.get("OPENBLAS_CORETYPE", "unset"),
          "OPENBLAS_L2_SIZE", os.environ.get("OPENBLAS_L2_SIZE", "unset"))


def main():
    out_dir = sys.argv[1]
    data = {}
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "info":
            info()
        elif cmd[0] == "load":
            name, path, rows, cols, dtype = cmd[1:]
            data[name] = np.fromfile(path, dtype="<f8" if dtype == "float64" else "<f4").reshape(int(rows), int(cols))
        elif cmd[0] == "fit":
            name, method, k = cmd[1], cmd[2], int(cmd[3])
            t0 = time.perf_counter()
            ratio, comps = fit(data[name], method, k)
            t = time.perf_counter() - t0
            print("time", name, method, repr(t))
            np.asarray(ratio, dtype="<f8").tofile(f"{out_dir}/{name}.{method}.ratio")
            np.asarray(comps, dtype="<f8").tofile(f"{out_dir}/{name}.{method}.components")
        elif cmd[0] == "quit":
            break
        else:
            print("unknown command", cmd[0])
        print("ok", flush=True)


if __name__ == "__main__":
    main()
