/**
 * Principal component analysis for looking inside models: exact ({@link org.plm4j.pca.Pca},
 * covariance eigendecomposition or SVD), randomized (Halko et al.) and incremental
 * ({@link org.plm4j.pca.IncrementalPca}) PCA of float or double matrices and
 * {@link org.plm4j.embed.Embeddings}; k fixed, by fraction of variance, or by the Gavish–Donoho
 * optimal threshold ({@link org.plm4j.pca.PcaConfig}); results ({@link org.plm4j.pca.PcaResult})
 * with scikit-learn-compatible explained-variance ratios and sign convention, whitening,
 * transform and inverse transform, Tablesaw tables, XChart scree and scatter charts
 * ({@link org.plm4j.pca.PcaCharts}) and HTML; kernel PCA ({@link org.plm4j.pca.KernelPca},
 * {@link org.plm4j.pca.Kernel}, {@link org.plm4j.pca.KernelPcaResult}); Gini PCA, robust to
 * outliers ({@link org.plm4j.pca.GiniPca}); GLM-PCA for counts, Poisson or negative binomial
 * ({@link org.plm4j.pca.GlmPca}), with document-term counts from a corpus
 * ({@link org.plm4j.pca.CountMatrix}). Figures to judge what a projection shows: how separate
 * labelled groups are ({@link org.plm4j.pca.Separation}), the angles between two fits' axes
 * ({@link org.plm4j.pca.Subspaces}), and how evenly an embedding space is used
 * ({@link org.plm4j.pca.Isotropy}).
 *
 * <p>Linear algebra: products that touch all n &times; d values run on libtorch's multithreaded
 * GEMM through DJL; the small decompositions DJL lacks (symmetric eigen, SVD, QR) run in EJML.
 * Failures are {@link java.lang.IllegalArgumentException}s that name the offending row, column or
 * value and what to try.
 */
package org.plm4j.pca;
