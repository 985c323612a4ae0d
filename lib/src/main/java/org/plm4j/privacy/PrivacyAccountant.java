package org.plm4j.privacy;

/**
 * R&eacute;nyi-DP accountant of DP-SGD: the Poisson-subsampled Gaussian mechanism (sampling rate
 * {@code q}, noise multiplier {@code sigma} = noise standard deviation over the clipping norm)
 * composed over {@code steps}, converted to (&epsilon;, &delta;).
 *
 * <p><b>RDP of one step</b> at order &alpha; (Mironov 2017; Mironov, Talwar &amp; Zhang 2019,
 * "R&eacute;nyi Differential Privacy of the Sampled Gaussian Mechanism"): {@code log(A_alpha) /
 * (alpha - 1)}, where for integer &alpha; {@code A_alpha} is the exact binomial expansion
 * {@code sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2))} and for fractional
 * &alpha; the two-sided series with complementary error functions of TF-Privacy's and Opacus'
 * {@code _compute_log_a_frac}, summed until both terms fall below e<sup>-30</sup>. All sums run in
 * log space. RDP composes additively over steps.
 *
 * <p><b>Conversion</b>: the classic one, {@code epsilon = min over alpha of steps * rdp(alpha) -
 * log(delta) / (alpha - 1)} (Mironov 2017, Proposition 3), as TF-Privacy's
 * {@code compute_dp_sgd_privacy} used when its tutorial published its figures. It is an upper bound
 * on &epsilon;; the tighter conversion of Balle et al. 2020, which Opacus uses now, gives
 * somewhat smaller values for the same run.
 *
 * <p><b>Orders</b>: {@link #defaultOrders()}, TF-Privacy's {@code DEFAULT_RDP_ORDERS} (1.25 to 4.5,
 * every integer 5 to 63, then 128, 256, 512); the overloads taking {@code orders} accept any grid
 * of orders &gt; 1.
 *
 * <p><b>Failures</b>: {@link IllegalArgumentException} naming the argument and its range for
 * {@code q} outside (0, 1], {@code sigma} &le; 0 or not finite, {@code steps} &lt; 1,
 * {@code delta} outside (0, 1), a target &epsilon; &le; 0, or an order &le; 1.
 */
public final class PrivacyAccountant {

    /** TF-Privacy's default RDP orders (see the class documentation). */
    private static final double[] DEFAULT_ORDERS = defaultGrid();

    /** Series terms below exp(LOG_TAIL) end the fractional-order sum (TF-Privacy's cut-off). */
    private static final double LOG_TAIL = -30;

    /** Relative precision of {@link #sigma}: the returned sigma is within this of the exact root. */
    static final double SIGMA_TOLERANCE = 1e-10;

    private PrivacyAccountant() {
    }

    /** The RDP orders {@link #epsilon(double, double, long, double)} minimises over (a copy). */
    public static double[] defaultOrders() {
        return DEFAULT_ORDERS.clone();
    }

    /**
     * The &epsilon; of {@code steps} Poisson-subsampled Gaussian steps at rate {@code q} and noise
     * multiplier {@code sigma}, for the given {@code delta}, over {@link #defaultOrders()}.
     *
     * @throws IllegalArgumentException if an argument is out of range (see the class documentation)
     */
    public static double epsilon(double q, double sigma, long steps, double delta) {
        return epsilon(q, sigma, steps, delta, DEFAULT_ORDERS);
    }

    /** {@link #epsilon(double, double, long, double)} minimised over the given RDP orders (each &gt; 1). */
    public static double epsilon(double q, double sigma, long steps, double delta, double[] orders) {
        checkRun(q, sigma, steps, delta);
        checkOrders(orders);
        double best = Double.POSITIVE_INFINITY;
        for (double alpha : orders) {
            double eps = steps * rdp(q, sigma, alpha) - Math.log(delta) / (alpha - 1);
            best = Math.min(best, eps);
        }
        return Math.max(0, best);
    }

    /**
     * The smallest noise multiplier whose {@link #epsilon(double, double, long, double)} does not
     * exceed {@code targetEpsilon} (to a relative {@value #SIGMA_TOLERANCE}), found by bracketing
     * and bisection; &epsilon; decreases as sigma grows.
     *
     * @throws IllegalArgumentException if an argument is out of range, including a target
     *     &epsilon; &le; 0 (no finite noise reaches it)
     */
    public static double sigma(double q, double targetEpsilon, long steps, double delta) {
        return sigma(q, targetEpsilon, steps, delta, DEFAULT_ORDERS);
    }

    /** {@link #sigma(double, double, long, double)} over the given RDP orders (each &gt; 1). */
    public static double sigma(double q, double targetEpsilon, long steps, double delta, double[] orders) {
        checkRun(q, 1, steps, delta);
        checkOrders(orders);
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("targetEpsilon must be a finite number > 0, got " + targetEpsilon
                    + "; epsilon = 0 needs infinite noise");
        }
        double lo = 1.0;
        double hi = 1.0;
        while (epsilon(q, hi, steps, delta, orders) > targetEpsilon) {
            lo = hi;
            hi *= 2;
            if (hi > 1e12) {
                throw new IllegalArgumentException("no noise multiplier up to 1e12 reaches epsilon = " + targetEpsilon
                        + " with q = " + q + ", " + steps + " steps, delta = " + delta
                        + "; allow a larger epsilon or delta, or fewer steps");
            }
        }
        if (hi == 1.0) {
            while (epsilon(q, lo, steps, delta, orders) <= targetEpsilon && lo > 1e-6) {
                hi = lo;
                lo /= 2;
            }
        }
        while (hi - lo > SIGMA_TOLERANCE * hi) {
            double mid = 0.5 * (lo + hi);
            if (epsilon(q, mid, steps, delta, orders) > targetEpsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** RDP of one subsampled Gaussian step at order {@code alpha > 1}. */
    static double rdp(double q, double sigma, double alpha) {
        if (q == 1.0) {
            return alpha / (2 * sigma * sigma);
        }
        double logA = alpha == Math.rint(alpha) ? logAInt(q, sigma, (int) alpha) : logAFrac(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    /** log A_alpha for integer alpha: the exact binomial expansion. */
    static double logAInt(double q, double sigma, int alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double logBinom = 0; // log C(alpha, i), updated term by term
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinom += Math.log(alpha - i + 1) - Math.log(i);
            }
            double s = logBinom + i * logQ + (alpha - i) * log1mQ + (i * (double) i - i) / (2 * sigma * sigma);
            logA = logAdd(logA, s);
        }
        return logA;
    }

    /** log A_alpha for fractional alpha: the two-sided erfc series. */
    static double logAFrac(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double logAbsBinom = 0; // log |C(alpha, i)|
        boolean positive = true; // sign of C(alpha, i)
        for (int i = 0; i < 1_000_000; i++) {
            if (i > 0) {
                double f = (alpha - i + 1) / i;
                logAbsBinom += Math.log(Math.abs(f));
                positive ^= f < 0;
            }
            double j = alpha - i;
            double logT0 = logAbsBinom + i * logQ + j * log1mQ;
            double logT1 = logAbsBinom + j * logQ + i * log1mQ;
            double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (positive) {
                logA0 = logAdd(logA0, logS0);
                logA1 = logAdd(logA1, logS1);
            } else {
                logA0 = logSub(logA0, logS0);
                logA1 = logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < LOG_TAIL) {
                return logAdd(logA0, logA1);
            }
        }
        throw new IllegalStateException("the RDP series at order " + alpha + " (q = " + q + ", sigma = " + sigma
                + ") did not converge; use integer orders");
    }

    static double logAdd(double logX, double logY) {
        double a = Math.min(logX, logY);
        double b = Math.max(logX, logY);
        return a == Double.NEGATIVE_INFINITY ? b : Math.log1p(Math.exp(a - b)) + b;
    }

    /** log(exp(logX) - exp(logY)) for logX &ge; logY. */
    static double logSub(double logX, double logY) {
        if (logY == Double.NEGATIVE_INFINITY) {
            return logX;
        }
        if (logX <= logY) {
            return Double.NEGATIVE_INFINITY; // rounding: the difference is not representable
        }
        return Math.log(-Math.expm1(logY - logX)) + logX;
    }

    /**
     * log(erfc(x)) accurate in the far tail: the Taylor series of erf for small |x|, Lentz's
     * continued fraction of erfc for x &ge; 1.5 (evaluated in log space, so it never
     * underflows), and erfc(x) = 2 - erfc(-x) for negative x.
     */
    static double logErfc(double x) {
        if (x < -1.5) {
            return Math.log(2 - Math.exp(logErfc(-x)));
        }
        if (x < 1.5) {
            return Math.log1p(-erfSeries(x));
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 10_000; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return -x * x - 0.5 * Math.log(Math.PI) - Math.log(f);
    }

    /** erf(x) by its Taylor series, for |x| &lt; 1.5. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x; // (-1)^n x^(2n+1) / n!
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static void checkRun(double q, double sigma, long steps, double delta) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in (0, 1] (batch size / dataset size), got " + q);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise multiplier sigma must be a finite number > 0, got " + sigma
                    + "; without noise there is no privacy guarantee");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta
                    + "; a common choice is below 1 / (dataset size), e.g. 1e-5");
        }
    }

    private static void checkOrders(double[] orders) {
        if (orders == null || orders.length == 0) {
            throw new IllegalArgumentException("orders must hold at least one RDP order > 1");
        }
        for (double a : orders) {
            if (!(a > 1) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("RDP orders must be finite and > 1, got " + a);
            }
        }
    }

    private static double[] defaultGrid() {
        double[] head = {1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5};
        double[] out = new double[head.length + 59 + 3];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int a = 5; a < 64; a++) {
            out[head.length + a - 5] = a;
        }
        out[out.length - 3] = 128;
        out[out.length - 2] = 256;
        out[out.length - 1] = 512;
        return out;
    }
}
