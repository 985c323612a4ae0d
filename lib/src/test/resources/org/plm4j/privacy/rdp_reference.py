"""Independent reference for PrivacyAccountant: RDP of the Poisson-subsampled Gaussian
mechanism (Mironov, Talwar & Zhang 2019) with the classic RDP -> (eps, delta) conversion,
written from the formulas with numpy/scipy (scipy.special.binom, log_ndtr).

Usage: python3 rdp_reference.py            prints the fixture JSON (rdp_fixture.json)
       python3 rdp_reference.py q s T d ... prints one epsilon per (q, sigma, steps, delta)
"""
import json
import math
import sys

import numpy as np
from scipy import special

ORDERS = [1.25, 1.5, 1.75, 2., 2.25, 2.5, 3., 3.5, 4., 4.5] + list(range(5, 64)) + [128, 256, 512]


def log_add(a, b):
    return np.logaddexp(a, b)


def log_sub(a, b):
    if b == -np.inf:
        return a
    if a <= b:
        return -np.inf
    return a + np.log(-np.expm1(b - a))


def log_erfc(x):
    # erfc(x) = 2 * Phi(-x * sqrt(2))
    return math.log(2) + special.log_ndtr(-x * math.sqrt(2))


def log_a_int(q, sigma, alpha):
    i = np.arange(alpha + 1, dtype=float)
    terms = (np.log(special.binom(alpha, i)) + i * np.log(q) + (alpha - i) * np.log1p(-q)
             + (i * i - i) / (2 * sigma ** 2))
    return special.logsumexp(terms)


def log_a_frac(q, sigma, alpha):
    a0, a1 = -np.inf, -np.inf
    z0 = sigma ** 2 * math.log(1 / q - 1) + 0.5
    i = 0
    while True:
        coef = special.binom(alpha, i)
        lc = math.log(abs(coef))
        j = alpha - i
        s0 = lc + i * math.log(q) + j * math.log1p(-q) + (i * i - i) / (2 * sigma ** 2) \
            + math.log(0.5) + log_erfc((i - z0) / (math.sqrt(2) * sigma))
        s1 = lc + j * math.log(q) + i * math.log1p(-q) + (j * j - j) / (2 * sigma ** 2) \
            + math.log(0.5) + log_erfc((z0 - j) / (math.sqrt(2) * sigma))
        if coef > 0:
            a0, a1 = log_add(a0, s0), log_add(a1, s1)
        else:
            a0, a1 = log_sub(a0, s0), log_sub(a1, s1)
        i += 1
        if max(s0, s1) < -30:
            return log_add(a0, a1)


def rdp(q, sigma, alpha):
    if q == 1:
        return alpha / (2 * sigma ** 2)
    la = log_a_int(q, sigma, int(alpha)) if float(alpha).is_integer() else log_a_frac(q, sigma, alpha)
    return la / (alpha - 1)


def epsilon(q, sigma, steps, delta, orders=ORDERS):
    return max(0.0, min(steps * rdp(q, sigma, a) - math.log(delta) / (a - 1) for a in orders))


GRID = [(q, s, t, d) for q in (0.001, 256 / 60000, 0.01, 0.1, 1.0)
        for s in (0.5, 0.8, 1.1, 2.0, 5.0)
        for t in (1, 100, 10000)
        for d in (1e-5, 1e-3)]

if __name__ == '__main__':
    if len(sys.argv) > 1:
        a = sys.argv[1:]
        for k in range(0, len(a), 4):
            print(repr(float(epsilon(float(a[k]), float(a[k + 1]), int(a[k + 2]), float(a[k + 3])))))
    else:
        rows = [{'q': q, 'sigma': s, 'steps': t, 'delta': d, 'epsilon': float(epsilon(q, s, t, d))}
                for q, s, t, d in GRID]
        json.dump({'generator': 'rdp_reference.py (numpy ' + np.__version__ + ', scipy '
                   + __import__('scipy').__version__ + ')', 'rows': rows}, sys.stdout, indent=1)
        print()
