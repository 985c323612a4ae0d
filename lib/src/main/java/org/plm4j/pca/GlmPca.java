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
 * <p><b>Fit</b>, as the glmpca R package's Fisher scoring: alternating diagonal Newton steps,
 * column by column, first the term side (intercepts, covariate coefficients, loadings) then the
 * document side (factors), with gradient {@code (y - mu) / (1 + mu / theta)} and Fisher weight
 * {@code mu / (1 + mu / theta)} (theta = &infin; for Poisson) and an L2 penalty on factors and
 * loadings. Offsets are log size factors; covariates are optional. Unlike glmpca, each step is
 * halved until neither the deviance nor the penalised objective increases, so the recorded
 * deviance trace never goes up; and the start is not random but the PCA of
 * {@code log1p(y / size factor)} (randomized solver, seeded), which puts the fit near the right
 * subspace from the first iteration. At the end the factors
 * are made orthogonal to the covariates (with the intercept) and rotated so that the loadings are
 * orthonormal and the factors' columns are orthogonal with decreasing norms, as glmpca does; the
 * fitted eta does not change.
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
    /** Iterations before the tolerance may stop the fit (glmpca's minIter). */
    static final int MIN_ITERATIONS = 30;
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
            m.termStep(m.ones, m.intercept, 0);
            for (int c = 0; c < m.nc; c++) {
                m.termStep(m.xCols[c], m.bCols[c], 0);
            }
            for (int l = 0; l < m.rank; l++) {
                m.termStep(m.uCols[l], m.vCols[l], config.penalty());
            }
            for (int l = 0; l < m.rank; l++) {
                m.docStep(m.vCols[l], m.uCols[l], config.penalty());
            }
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
            double[] zero = new double[p];
            dev = trial(ones, zero, true, 0);
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

        /** Eta from the coefficients, into eta2/mu2, plus {@code s * doc[i] * term[j]}; returns the deviance. */
        private double trial(double[] doc, double[] term, boolean full, double s) {
            return IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().mapToDouble(b -> {
                double sum = 0;
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    double di = s * doc[i];
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
                            e = eta[k] + di * term[j];
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

        /** Newton step of the term-side coefficient column {@code coef} (p) on doc column {@code doc} (n). */
        void termStep(double[] doc, double[] coef, double pen) {
            double[] grad = new double[p];
            double[] info = new double[p];
            int blocks = (n + BLOCK - 1) / BLOCK;
            double[][] parts = IntStream.range(0, blocks).parallel().mapToObj(b -> {
                double[] gi = new double[2 * p];
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    double d = doc[i];
                    for (int j = 0; j < p; j++) {
                        int k = i * p + j;
                        double m = mu[k];
                        double den = Double.isInfinite(theta) ? 1 : 1 + m / theta;
                        gi[j] += (y[k] - m) / den * d;
                        gi[p + j] += m / den * d * d;
                    }
                }
                return gi;
            }).toArray(double[][]::new);
            for (double[] gi : parts) {
                for (int j = 0; j < p; j++) {
                    grad[j] += gi[j];
                    info[j] += gi[p + j];
                }
            }
            double[] step = new double[p];
            for (int j = 0; j < p; j++) {
                step[j] = (grad[j] - pen * coef[j]) / (info[j] + pen);
            }
            accept(doc, step, coef, step, pen);
        }

        /** Newton step of the doc-side factor column {@code coef} (n) on term column {@code term} (p). */
        void docStep(double[] term, double[] coef, double pen) {
            double[] step = new double[n];
            IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    double g = 0;
                    double w = 0;
                    for (int j = 0; j < p; j++) {
                        int k = i * p + j;
                        double m = mu[k];
                        double den = Double.isInfinite(theta) ? 1 : 1 + m / theta;
                        g += (y[k] - m) / den * term[j];
                        w += m / den * term[j] * term[j];
                    }
                    step[i] = (g - pen * coef[i]) / (w + pen);
                }
            });
            accept(step, term, coef, step, pen);
        }

        /**
         * Tries eta + s * doc * term' for s = 1, 1/2, 1/4, ...: keeps the first that increases
         * neither the deviance nor the penalised objective and adds {@code s * step} to
         * {@code coef}; gives up after {@link #MAX_HALVINGS}.
         */
        private void accept(double[] doc, double[] term, double[] coef, double[] step, double pen) {
            double oldPen = 0;
            double dot = 0;
            double stepSq = 0;
            for (int i = 0; i < coef.length; i++) {
                oldPen += coef[i] * coef[i];
                dot += coef[i] * step[i];
                stepSq += step[i] * step[i];
            }
            double s = 1;
            for (int h = 0; h <= MAX_HALVINGS; h++, s /= 2) {
                double d2 = trial(doc, term, false, s);
                double newPen = oldPen + 2 * s * dot + s * s * stepSq;
                if (d2 <= dev && d2 / 2 + pen / 2 * newPen <= dev / 2 + pen / 2 * oldPen) {
                    swap();
                    dev = d2;
                    for (int i = 0; i < coef.length; i++) {
                        coef[i] += s * step[i];
                    }
                    return;
                }
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
