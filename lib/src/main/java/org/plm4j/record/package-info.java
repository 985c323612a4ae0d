/** Run records: JSON provenance of every run (config, seed, versions, data checksums, metrics, timings). */
package org.plm4j.record;
