"""scikit-learn reference for `./plm4j bench pca` (run by Debian's /usr/bin/python3).

usage: pca_reference.py OUT_DIR REPEATS CASE...   with CASE = NAME:FILE:ROWS:COLS:DTYPE:SOLVER:K
Reads each raw little-endian row-major matrix written by PcaBenchmark, fits
sklearn.decomposition.PCA(n_components=K, svd_solver=SOLVER, random_state=0) REPEATS times after
one warm-up fit, and prints `time NAME MEDIAN_SECONDS`; writes the explained-variance ratios and
components of the last fit to OUT_DIR/NAME.ratio and OUT_DIR/NAME.components (raw float64).
"""
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA


def main():
    out_dir, repeats = sys.argv[1], int(sys.argv[2])
    print("sklearn", sklearn.__version__, "numpy", np.__version__, flush=True)
    for case in sys.argv[3:]:
        name, path, rows, cols, dtype, solver, k = case.split(":")
        x = np.fromfile(path, dtype="<f8" if dtype == "float64" else "<f4").reshape(int(rows), int(cols))
        pca = None
        times = []
        for i in range(repeats + 1):
            t0 = time.perf_counter()
            pca = PCA(n_components=int(k), svd_solver=solver, random_state=0).fit(x)
            t = time.perf_counter() - t0
            if i > 0:
                times.append(t)
        print("time", name, repr(float(np.median(times))), flush=True)
        pca.explained_variance_ratio_.astype("<f8").tofile(f"{out_dir}/{name}.ratio")
        pca.components_.astype("<f8").tofile(f"{out_dir}/{name}.components")


if __name__ == "__main__":
    main()
