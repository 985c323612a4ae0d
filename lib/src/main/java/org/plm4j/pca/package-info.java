/**
 * Exact principal component analysis on EJML ({@link org.plm4j.pca.Pca},
 * {@link org.plm4j.pca.PcaConfig}, {@link org.plm4j.pca.PcaResult}) with scikit-learn-compatible
 * explained-variance ratios and sign convention, Tablesaw tables and XChart charts
 * ({@link org.plm4j.pca.PcaCharts}) for embedding plots.
 */
package org.plm4j.pca;
