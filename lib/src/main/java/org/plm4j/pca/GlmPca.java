package org.plm4j.pca;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * GLM-PCA (Townes, Hicks, Aryee &amp; Irizarry 2019, "Feature selection and dimension reduction
 * for single-cell RNA-Seq based on a multinomial model", arXiv 1907.02647): PCA for counts. Each
 * count {@code y[i][j]} (row i = document, column j = term) is Poisson or negative binomial with
 * log mean
 * {@code eta[i][j] = offset[i] + intercept[j] + sum_c x[i][c] b[j][c] + sum_l u[i][l] v[j][l]},
 * and the low-rank part {@code U V'} is fitted by minimising the deviance, not by a Gaussian
 * approximation such as PCA of log counts.
 *
 * <p><b>Fit</b>: glmpca's Fisher scoring (gradient {@code (y - mu) / (1 + mu / theta)}, Fisher
 * weight {@code mu / (1 + mu / theta)}, theta = &infin; for Poisson; an L2 penalty on factors and
 * loadings, none on intercepts and covariate coefficients), alternating between the term side and
 * the document side. Where the R package steps one latent column at a time, this one takes a
 * Newton step per term (its intercept, covariate coefficients and loadings together) and then
 * per document (its factors together): given the other side the objective separates over terms,
 * respectively documents, so each is an exact block step, and far fewer passes over the counts
 * are needed. Offsets are log size factors; covariates are optional. Unlike glmpca, each step is
 * halved until neither the deviance nor the penalised objective increases, so the recorded
 * deviance trace never goes up; and the start is not random but the PCA of
 * {@code log1p(y / size factor)} (randomized solver, seeded), which puts the fit near the right
 * subspace from the first iteration. At the end the factors are made orthogonal to the covariates
 * (with the intercept) and rotated so that the loadings are orthonormal and the factors' columns
 * orthogonal with decreasing norms, as glmpca does; the fitted eta does not change.
 *
 * <p>Size factors are an approximation: when the counts come from a model with other row
 * effects, the factors absorb part of them. Fit with {@code optSizeFactors(false)} when rows have
 * comparable totals or the row effects are in the covariates.
 *
 * <p>Written by hand (dense double arrays, parallel over row blocks; EJML for the small final
 * decompositions): no Java library offers GLM-PCA, and the fit is elementwise work on n &times; p
 * arrays that needs no BLAS.
 *
 * <p><b>Failures.</b> {@link IllegalArgumentException} naming the row, the column and the value
 * for a negative, NaN or infinite count, for ragged rows, for a column without any count (its
 * intercept would be -&infin;), for a row without any count when size factors are on, for
 * covariates of the wrong shape or with non-finite values, and for more components than
 * min(rows, columns).
 */
public final class GlmPca {

    /** Halvings of a step before it is given up (the coefficients then stay as they were). */
    static final int MAX_HALVINGS = 30;
    /** Iterations before the tolerance may stop the fit (glmpca has such a minimum too). */
    static final int MIN_ITERATIONS = 5;
    private static final int BLOCK = 64;

    private GlmPca() {
    }

    /** GLM-PCA of a document-term count matrix (its terms name the loadings). */
    public static GlmPcaResult fit(CountMatrix counts, GlmPcaConfig config) {
        return fit(counts.counts(), null, config, counts.terms());
    }

    /** GLM-PCA of a count matrix (rows = observations, columns = features) without covariates. */
    public static GlmPcaResult fit(double[][] counts, GlmPcaConfig config) {
        return fit(counts, null, config, null);
    }

    /**
     * GLM-PCA with covariates: {@code covariates} is n &times; c (one row per count row, no
     * intercept column: every term has its own intercept anyway), or null.
     */
    public static GlmPcaResult fit(double[][] counts, double[][] covariates, GlmPcaConfig config) {
        return fit(counts, covariates, config, null);
    }

    static GlmPcaResult fit(double[][] counts, double[][] covariates, GlmPcaConfig config, List<String> terms) {
        Model m = new Model(counts, covariates, config);
        List<Double> trace = new ArrayList<>();
        trace.add(m.dev);
        boolean converged = false;
        int it = 0;
        while (it < config.maxIterations() && !converged) {
            double before = m.dev;
            m.termStep();
            m.docStep();
            it++;
            trace.add(m.dev);
            converged = it >= MIN_ITERATIONS && Math.abs(before - m.dev) / (0.1 + Math.abs(before)) < config.tolerance();
        }
        return m.result(config, trace, it, converged, terms);
    }

    /** The model state: eta and mu as row-major n x p arrays, coefficients as columns. */
    private static final class Model {
        final int n;
        final int p;
        final int nc;
        final int rank;
        final double theta; // +inf for Poisson
        final double penalty;
        final double[] y;
        final double[] offset;
        final double[] ones;
        final double[] intercept;
        final double[][] xCols;
        final double[][] bCols;
        final double[][] uCols;
        final double[][] vCols;
        double[] eta;
        double[] mu;
        double[] eta2;
        double[] mu2;
        double[] delta;
        final double devConstant;
        double dev;

        Model(double[][] counts, double[][] covariates, GlmPcaConfig config) {
            n = counts == null ? 0 : counts.length;
            if (n < 2) {
                throw new IllegalArgumentException("GLM-PCA needs at least 2 rows of counts, got " + n);
            }
            p = counts[0] == null ? 0 : counts[0].length;
            if (p < 1) {
                throw new IllegalArgumentException("row 0 of the counts has no columns");
            }
            rank = config.components();
            if (rank > Math.min(n, p)) {
                throw new IllegalArgumentException("components = " + rank + " exceeds min(rows, columns) = "
                        + Math.min(n, p) + "; use at most " + Math.min(n, p));
            }
            theta = config.family() == GlmPcaConfig.Family.POISSON ? Double.POSITIVE_INFINITY : config.theta();
            penalty = config.penalty();
            y = new double[n * p];
            double[] rowSum = new double[n];
            double[] colSum = new double[p];
            for (int i = 0; i < n; i++) {
                double[] r = counts[i];
                if (r == null || r.length != p) {
                    throw new IllegalArgumentException("row " + i + " of the counts has " + (r == null ? "no" : r.length)
                            + " values, row 0 has " + p + "; every row needs one count per column");
                }
                for (int j = 0; j < p; j++) {
                    double v = r[j];
                    if (!(v >= 0) || Double.isInfinite(v)) {
                        throw new IllegalArgumentException("count at row " + i + ", column " + j + " is " + v
                                + "; GLM-PCA models raw counts, which are finite and >= 0: pass the untransformed counts"
                                + " (not centred, standardised or log values)"
                                + (Double.isNaN(v) ? " and replace missing values by 0 or drop the row" : ""));
                    }
                    y[i * p + j] = v;
                    rowSum[i] += v;
                    colSum[j] += v;
                }
            }
            for (int j = 0; j < p; j++) {
                if (colSum[j] == 0) {
                    throw new IllegalArgumentException("column " + j + " has no counts in any row, so its intercept would"
                            + " be -infinity; drop all-zero columns (CountMatrix.of drops terms below its minimum count)");
                }
            }
            offset = new double[n];
            if (config.sizeFactors()) {
                double meanLog = 0;
                for (int i = 0; i < n; i++) {
                    if (rowSum[i] == 0) {
                        throw new IllegalArgumentException("row " + i + " has no counts, so its size factor is 0; drop "
                                + "empty rows or fit with optSizeFactors(false)");
                    }
                    meanLog += Math.log(rowSum[i]) / n;
                }
                for (int i = 0; i < n; i++) {
                    offset[i] = Math.log(rowSum[i]) - meanLog;
                }
            }
            nc = covariates == null ? 0 : covariates.length == 0 ? 0 : covariates[0].length;
            if (covariates != null && covariates.length != n) {
                throw new IllegalArgumentException("covariates have " + covariates.length + " rows, the counts " + n
                        + "; give one covariate row per count row");
            }
            xCols = new double[nc][n];
            for (int i = 0; i < (nc == 0 ? 0 : n); i++) {
                if (covariates[i] == null || covariates[i].length != nc) {
                    throw new IllegalArgumentException("covariate row " + i + " has "
                            + (covariates[i] == null ? "no" : covariates[i].length) + " values, row 0 has " + nc);
                }
                for (int c = 0; c < nc; c++) {
                    if (!Double.isFinite(covariates[i][c])) {
                        throw new IllegalArgumentException("covariate at row " + i + ", column " + c + " is "
                                + covariates[i][c] + "; covariates must be finite");
                    }
                    xCols[c][i] = covariates[i][c];
                }
            }
            ones = new double[n];
            Arrays.fill(ones, 1.0);
            double sizeSum = 0;
            for (int i = 0; i < n; i++) {
                sizeSum += Math.exp(offset[i]);
            }
            intercept = new double[p];
            for (int j = 0; j < p; j++) {
                intercept[j] = Math.log(colSum[j] / sizeSum); // the Poisson MLE without factors
            }
            bCols = new double[nc][p];
            uCols = new double[rank][n];
            vCols = new double[rank][p];
            start(config.seed());
            double c0 = 0;
            for (double v : y) {
                if (v > 0) {
                    c0 += v * Math.log(v) - (Double.isInfinite(theta) ? v : (v + theta) * Math.log(v + theta));
                } else if (!Double.isInfinite(theta)) {
                    c0 -= theta * Math.log(theta);
                }
            }
            devConstant = c0;
            eta = new double[n * p];
            mu = new double[n * p];
            eta2 = new double[n * p];
            mu2 = new double[n * p];
            delta = new double[n * p];
            dev = full();
            swap();
        }

        /**
         * Factors and loadings from the PCA of log1p(y / size factor) (randomized solver, seeded),
         * split evenly: u = scores / sqrt(norm), v = axis * sqrt(norm).
         */
        private void start(long seed) {
            double[][] z = new double[n][p];
            for (int i = 0; i < n; i++) {
                double size = Math.exp(offset[i]);
                for (int j = 0; j < p; j++) {
                    z[i][j] = Math.log1p(y[i * p + j] / size);
                }
            }
            PcaConfig pc = new PcaConfig(rank, PcaConfig.Method.RANDOMIZED).toBuilder()
                    .optRandomized(PcaConfig.DEFAULT_OVERSAMPLING, PcaConfig.DEFAULT_POWER_ITERATIONS, seed).build();
            PcaResult pca = Pca.fit(z, pc);
            double[][] scores = pca.transform(z);
            double[][] axes = pca.componentMatrix();
            for (int l = 0; l < rank; l++) {
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += scores[i][l] * scores[i][l];
                }
                double root = Math.sqrt(Math.sqrt(norm));
                double scale = root > 0 ? root : 1;
                for (int i = 0; i < n; i++) {
                    uCols[l][i] = scores[i][l] / scale;
                }
                for (int j = 0; j < p; j++) {
                    vCols[l][j] = axes[l][j] * scale;
                }
            }
        }

        /** Eta from the coefficients into eta2/mu2; returns the deviance. */
        private double full() {
            return trial(true, 0);
        }

        /** {@code eta + s * delta} into eta2/mu2; returns the deviance. */
        private double trial(double s) {
            return trial(false, s);
        }

        private double trial(boolean full, double s) {
            return IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().mapToDouble(b -> {
                double sum = 0;
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    for (int j = 0; j < p; j++) {
                        int k = i * p + j;
                        double e;
                        if (full) {
                            e = offset[i] + intercept[j];
                            for (int c = 0; c < nc; c++) {
                                e += xCols[c][i] * bCols[c][j];
                            }
                            for (int l = 0; l < rank; l++) {
                                e += uCols[l][i] * vCols[l][j];
                            }
                        } else {
                            e = eta[k] + s * delta[k];
                        }
                        double m = Math.exp(e);
                        eta2[k] = e;
                        mu2[k] = m;
                        sum += deviancePart(y[k], e, m);
                    }
                }
                return sum;
            }).sum() * 2 + 2 * devConstant;
        }

        /** The cell's deviance without the terms that depend on y alone (those are in devConstant), halved. */
        private double deviancePart(double yk, double e, double m) {
            if (Double.isInfinite(theta)) {
                return m - yk * e;
            }
            return (yk + theta) * Math.log(m + theta) - yk * e;
        }

        private void swap() {
            double[] t = eta;
            eta = eta2;
            eta2 = t;
            t = mu;
            mu = mu2;
            mu2 = t;
        }

        /** The derivative of the log-likelihood by eta at cell c: {@code (y - mu) / (1 + mu / theta)}. */
        private double score(int c) {
            double m = mu[c];
            return Double.isInfinite(theta) ? y[c] - m : (y[c] - m) / (1 + m / theta);
        }

        /** The Fisher information for eta at cell c: {@code mu / (1 + mu / theta)}. */
        private double information(int c) {
            double m = mu[c];
            return Double.isInfinite(theta) ? m : m / (1 + m / theta);
        }

        /**
         * One Newton (Fisher scoring) step for every term at once: per term j, its intercept,
         * covariate coefficients and loadings, with design {@code [1, x_i, u_i]} per row.
         */
        void termStep() {
            double[][] design = concat(new double[][] {ones}, xCols, uCols);
            double[][] coef = concat(new double[][] {intercept}, bCols, vCols);
            int q = design.length;
            double[] pens = new double[q];
            Arrays.fill(pens, 1 + nc, q, penalty);
            int blocks = (n + BLOCK - 1) / BLOCK;
            int hq = q * q;
            // per row block: gradient (p x q) then information (p x q x q)
            double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> {
                double[] acc = new double[p * (q + hq)];
                double[] d = new double[q];
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    for (int k = 0; k < q; k++) {
                        d[k] = design[k][i];
                    }
                    for (int j = 0; j < p; j++) {
                        int c = i * p + j;
                        double g = score(c);
                        double w = information(c);
                        int base = j * q;
                        int hbase = p * q + j * hq;
                        for (int k = 0; k < q; k++) {
                            acc[base + k] += g * d[k];
                            double wd = w * d[k];
                            for (int l = 0; l <= k; l++) {
                                acc[hbase + k * q + l] += wd * d[l];
                            }
                        }
                    }
                }
                return acc;
            }).toArray(double[][]::new);
            double[] total = new double[p * (q + hq)];
            for (double[] part : parts) {
                for (int t = 0; t < total.length; t++) {
                    total[t] += part[t];
                }
            }
            double[][] step = new double[q][p];
            double[] h = new double[hq];
            double[] g = new double[q];
            for (int j = 0; j < p; j++) {
                for (int k = 0; k < q; k++) {
                    g[k] = total[j * q + k] - pens[k] * coef[k][j];
                    for (int l = 0; l <= k; l++) {
                        double v = total[p * q + j * hq + k * q + l] + (k == l ? pens[k] : 0);
                        h[k * q + l] = v;
                        h[l * q + k] = v;
                    }
                }
                solve(h, g, q);
                for (int k = 0; k < q; k++) {
                    step[k][j] = g[k];
                }
            }
            accept(design, step, true, coef, pens);
        }

        /** One Newton (Fisher scoring) step for every document's factors at once, given the loadings. */
        void docStep() {
            int q = rank;
            double[][] step = new double[q][n];
            IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
                double[] h = new double[q * q];
                double[] g = new double[q];
                double[] v = new double[q];
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    Arrays.fill(h, 0);
                    Arrays.fill(g, 0);
                    for (int j = 0; j < p; j++) {
                        int c = i * p + j;
                        double gr = score(c);
                        double w = information(c);
                        for (int k = 0; k < q; k++) {
                            v[k] = vCols[k][j];
                            g[k] += gr * v[k];
                            double wv = w * v[k];
                            for (int l = 0; l <= k; l++) {
                                h[k * q + l] += wv * v[l];
                            }
                        }
                    }
                    for (int k = 0; k < q; k++) {
                        g[k] -= penalty * uCols[k][i];
                        h[k * q + k] += penalty;
                        for (int l = 0; l < k; l++) {
                            h[l * q + k] = h[k * q + l];
                        }
                    }
                    solve(h, g, q);
                    for (int k = 0; k < q; k++) {
                        step[k][i] = g[k];
                    }
                }
            });
            double[] pens = new double[q];
            Arrays.fill(pens, penalty);
            accept(vCols, step, false, uCols, pens);
        }

        /**
         * Tries eta + s * delta for s = 1, 1/2, 1/4, ... (delta from the step and the fixed side):
         * keeps the first that increases neither the deviance nor the penalised objective and adds
         * {@code s * step} to {@code coef}; gives up after {@link #MAX_HALVINGS}.
         */
        private void accept(double[][] fixed, double[][] step, boolean termSide, double[][] coef, double[] pens) {
            int q = fixed.length;
            IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    for (int j = 0; j < p; j++) {
                        double d = 0;
                        for (int k = 0; k < q; k++) {
                            d += termSide ? fixed[k][i] * step[k][j] : step[k][i] * fixed[k][j];
                        }
                        delta[i * p + j] = d;
                    }
                }
            });
            double oldPen = 0;
            double dot = 0;
            double stepSq = 0;
            for (int k = 0; k < q; k++) {
                for (int t = 0; t < coef[k].length; t++) {
                    oldPen += pens[k] * coef[k][t] * coef[k][t];
                    dot += pens[k] * coef[k][t] * step[k][t];
                    stepSq += pens[k] * step[k][t] * step[k][t];
                }
            }
            double s = 1;
            for (int h = 0; h <= MAX_HALVINGS; h++, s /= 2) {
                double d2 = trial(s);
                double newPen = oldPen + 2 * s * dot + s * s * stepSq;
                if (d2 <= dev && d2 / 2 + newPen / 2 <= dev / 2 + oldPen / 2) {
                    swap();
                    dev = d2;
                    for (int k = 0; k < q; k++) {
                        for (int t = 0; t < coef[k].length; t++) {
                            coef[k][t] += s * step[k][t];
                        }
                    }
                    return;
                }
            }
        }

        private static double[][] concat(double[][]... parts) {
            return Arrays.stream(parts).flatMap(Arrays::stream).toArray(double[][]::new);
        }

        /**
         * Solves the small symmetric positive (semi-)definite system h x = g in place (x into g) by
         * Gaussian elimination with partial pivoting; a zero pivot leaves that coordinate's step 0.
         */
        static void solve(double[] h, double[] g, int q) {
            double[] a = h.clone();
            int[] perm = new int[q];
            for (int k = 0; k < q; k++) {
                perm[k] = k;
            }
            for (int k = 0; k < q; k++) {
                int piv = k;
                for (int r = k + 1; r < q; r++) {
                    if (Math.abs(a[r * q + k]) > Math.abs(a[piv * q + k])) {
                        piv = r;
                    }
                }
                if (piv != k) {
                    for (int c = 0; c < q; c++) {
                        double t = a[k * q + c];
                        a[k * q + c] = a[piv * q + c];
                        a[piv * q + c] = t;
                    }
                    double t = g[k];
                    g[k] = g[piv];
                    g[piv] = t;
                }
                double pivot = a[k * q + k];
                if (Math.abs(pivot) < 1e-300) {
                    continue;
                }
                for (int r = k + 1; r < q; r++) {
                    double f = a[r * q + k] / pivot;
                    if (f != 0) {
                        for (int c = k; c < q; c++) {
                            a[r * q + c] -= f * a[k * q + c];
                        }
                        g[r] -= f * g[k];
                    }
                }
            }
            for (int k = q - 1; k >= 0; k--) {
                double pivot = a[k * q + k];
                double v = g[k];
                for (int c = k + 1; c < q; c++) {
                    v -= a[k * q + c] * g[c];
                }
                g[k] = Math.abs(pivot) < 1e-300 ? 0 : v / pivot;
            }
        }

        /** Orthogonalises factors against [1, covariates] and rotates to orthonormal loadings (glmpca's ortho). */
        GlmPcaResult result(GlmPcaConfig config, List<Double> trace, int iterations, boolean converged,
                List<String> terms) {
            int q = 1 + nc;
            DMatrixRMaj x1 = new DMatrixRMaj(n, q);
            for (int i = 0; i < n; i++) {
                x1.set(i, 0, 1);
                for (int c = 0; c < nc; c++) {
                    x1.set(i, c + 1, xCols[c][i]);
                }
            }
            DMatrixRMaj u = new DMatrixRMaj(n, rank);
            DMatrixRMaj v = new DMatrixRMaj(p, rank);
            for (int l = 0; l < rank; l++) {
                for (int i = 0; i < n; i++) {
                    u.set(i, l, uCols[l][i]);
                }
                for (int j = 0; j < p; j++) {
                    v.set(j, l, vCols[l][j]);
                }
            }
            // U = X1 G + R (least squares); X1 G V' moves into the intercepts and coefficients
            DMatrixRMaj g = new DMatrixRMaj(q, rank);
            if (!CommonOps_DDRM.solve(x1, u, g)) {
                throw new IllegalStateException("the covariates are collinear with the intercept or each other; "
                        + "drop redundant covariate columns");
            }
            DMatrixRMaj fitted = new DMatrixRMaj(n, rank);
            CommonOps_DDRM.mult(x1, g, fitted);
            CommonOps_DDRM.subtractEquals(u, fitted);
            DMatrixRMaj gv = new DMatrixRMaj(p, q); // V G'
            CommonOps_DDRM.multTransB(v, g, gv);
            double[] a = intercept.clone();
            double[][] coef = new double[p][nc];
            for (int j = 0; j < p; j++) {
                a[j] += gv.get(j, 0);
                for (int c = 0; c < nc; c++) {
                    coef[j][c] = bCols[c][j] + gv.get(j, c + 1);
                }
            }
            // U V' = Qu (Ru Rv') Qv'; SVD of the small middle matrix
            DMatrixRMaj[] qrU = qr(u);
            DMatrixRMaj[] qrV = qr(v);
            DMatrixRMaj mid = new DMatrixRMaj(rank, rank);
            CommonOps_DDRM.multTransB(qrU[1], qrV[1], mid);
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rank, rank, true, true, false);
            if (!svd.decompose(mid.copy())) {
                throw new IllegalStateException("EJML's SVD did not converge on the " + rank + "x" + rank + " core");
            }
            DMatrixRMaj ua = svd.getU(null, false);
            DMatrixRMaj vb = svd.getV(null, false);
            double[] sv = svd.getSingularValues();
            Integer[] order = new Integer[rank];
            for (int l = 0; l < rank; l++) {
                order[l] = l;
            }
            Arrays.sort(order, (x, z) -> Double.compare(sv[z], sv[x]));
            DMatrixRMaj factorsM = new DMatrixRMaj(n, rank);
            DMatrixRMaj loadingsM = new DMatrixRMaj(p, rank);
            CommonOps_DDRM.mult(qrU[0], ua, factorsM);
            CommonOps_DDRM.mult(qrV[0], vb, loadingsM);
            double[][] factors = new double[n][rank];
            double[][] loadings = new double[p][rank];
            double[] singular = new double[rank];
            for (int l = 0; l < rank; l++) {
                int o = order[l];
                singular[l] = sv[o];
                int arg = 0;
                for (int j = 0; j < p; j++) {
                    if (Math.abs(loadingsM.get(j, o)) > Math.abs(loadingsM.get(arg, o))) {
                        arg = j;
                    }
                }
                double sign = loadingsM.get(arg, o) < 0 ? -1 : 1;
                for (int j = 0; j < p; j++) {
                    loadings[j][l] = sign * loadingsM.get(j, o);
                }
                for (int i = 0; i < n; i++) {
                    factors[i][l] = sign * sv[o] * factorsM.get(i, o);
                }
            }
            double[] tr = trace.stream().mapToDouble(Double::doubleValue).toArray();
            return new GlmPcaResult(config, factors, loadings, singular, a, coef, offset.clone(), tr, iterations,
                    converged, terms);
        }

        private static DMatrixRMaj[] qr(DMatrixRMaj m) {
            QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m.numRows, m.numCols);
            if (!qr.decompose(m.copy())) {
                throw new IllegalStateException("QR decomposition failed on a " + m.numRows + "x" + m.numCols + " matrix");
            }
            return new DMatrixRMaj[] {qr.getQ(null, true), qr.getR(null, true)};
        }
    }
}
