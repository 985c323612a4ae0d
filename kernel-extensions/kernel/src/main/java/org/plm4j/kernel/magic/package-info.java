/**
 * Magic syntax and the magics the kernel registers in jjava-jupyter's MagicsRegistry: {@code %jars}/{@code %classpath},
 * {@code %maven} (Maven Resolver), {@code %load} and {@code %help}. Extensions register theirs in the same registry.
 */
package org.plm4j.kernel.magic;
