"""Produces sklearn_fixture_x.txt and sklearn_fixture_ratio.txt (run once, from this directory):

    /usr/bin/python3 make_sklearn_fixture.py

Debian's python3-sklearn (1.2.1 when produced). X: 240 x 16, rank-5 signal (standard deviations
8, 5, 3, 2, 1) plus noise 0.3, one constant column (index 9), numpy default_rng(7); ratios from
PCA(n_components=16, svd_solver='full').
"""
import numpy as np
import sklearn
from sklearn.decomposition import PCA

rng = np.random.default_rng(7)
n, d = 240, 16
axes = np.linalg.qr(rng.standard_normal((d, 5)))[0].T
x = rng.standard_normal((n, 5)) * np.array([8, 5, 3, 2, 1]) @ axes + 0.3 * rng.standard_normal((n, d))
x[:, 9] = 4.25
np.savetxt("sklearn_fixture_x.txt", x, fmt="%.17g")
ratio = PCA(n_components=d, svd_solver="full").fit(x).explained_variance_ratio_
with open("sklearn_fixture_ratio.txt", "w") as f:
    f.write("# sklearn %s, PCA(n_components=16, svd_solver='full').explained_variance_ratio_\n" % sklearn.__version__)
    f.write("\n".join(repr(float(v)) for v in ratio) + "\n")
