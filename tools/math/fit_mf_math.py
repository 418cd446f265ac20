"""Fits the polynomial coefficients used by src/nn/ops/ref/mf_math.c.

Least squares on Chebyshev nodes in double (mpmath for the reference
values), printed as float literals. Run: python3 tools/math/fit_mf_math.py
The C side evaluates them with Horner in float in a fixed order, so the
results do not depend on the platform's libm.
"""
import math

import mpmath
import numpy as np

mpmath.mp.dps = 40


def fit(f, lo, hi, degree, n=2000):
    k = np.arange(n)
    x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / n)
    y = np.array([float(f(mpmath.mpf(float(v)))) for v in x])
    c = np.polynomial.polynomial.polyfit(x, y, degree)
    err = np.max(np.abs(np.polynomial.polynomial.polyval(x, c) - y) / np.abs(y))
    return c, err


def show(name, c, err):
    print(f"/* {name}: max relative fit error {err:.2e} */")
    print(", ".join(f"{float(np.float32(v)):.9e}f" for v in c))


if __name__ == "__main__":
    # erfc(x) * exp(x^2) on [1, 2] and [2, 4], polynomial in s = x - midpoint
    # (centred so that Horner in float does not cancel)
    for lo, hi, d in ((1.0, 2.0, 10), (2.0, 4.0, 10)):
        mid = (lo + hi) / 2
        c, e = fit(lambda s: mpmath.erfc(s + mid) * mpmath.exp((s + mid) ** 2), lo - mid, hi - mid, d)
        show(f"erfc(x) exp(x^2), s = x - {mid} for x in [{lo}, {hi}]", c, e)
    # erf(x) / x on [0, 1] in t = x^2
    c, e = fit(lambda t: mpmath.erf(mpmath.sqrt(t)) / mpmath.sqrt(t) if t > 0 else 2 / mpmath.sqrt(mpmath.pi),
               0.0, 1.0, 9)
    show("erf(x)/x - 1 is this minus 1 in the constant term (src keeps 2/sqrt(pi) - 1 = 0.12837916709551257), t = x^2 in [0, 1]", c, e)
    # (tanh(x) - x) / x^3 on [0, 0.625] in t = x^2
    c, e = fit(lambda t: (mpmath.tanh(mpmath.sqrt(t)) - mpmath.sqrt(t)) / t ** 1.5 if t > 0 else mpmath.mpf(-1) / 3,
               0.0, 0.625 ** 2, 8)
    show("(tanh(x)-x)/x^3, t = x^2 in [0, 0.390625]", c, e)
