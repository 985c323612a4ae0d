/**
 * Embryology of a pretrained model (Chiang et al. 2020, arXiv 2010.02480): what it knows at each
 * checkpoint of its pretraining run. {@link org.plm4j.probe.ProbeSeries#over} runs the
 * {@link org.plm4j.probe.Probe}s (linear probes on frozen features, masked-token accuracy,
 * perplexity) on every checkpoint of a series and returns a table and a chart of score against step.
 */
package org.plm4j.probe;
