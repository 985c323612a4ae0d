/**
 * Robustness to paraphrase: a classifier's metrics on a back-translated copy of a test set next to
 * its clean metrics, with the drop and how many predictions changed ({@link org.plm4j.robustness.Robustness}).
 */
package org.plm4j.robustness;
