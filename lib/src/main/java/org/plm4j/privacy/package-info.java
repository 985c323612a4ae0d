/**
 * Differential privacy bookkeeping: {@link org.plm4j.privacy.PrivacyAccountant} turns the
 * sampling rate, noise multiplier and step count of DP-SGD into an (&epsilon;, &delta;) guarantee
 * through R&eacute;nyi differential privacy, and back (the noise needed for a target &epsilon;).
 * Bad arguments raise {@link java.lang.IllegalArgumentException}s naming the value and its range.
 */
package org.plm4j.privacy;
