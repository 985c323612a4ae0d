/**
 * Kernelspec installation ({@code kernel.json}) and the check that a Java runtime can run the kernel.
 */
package org.plm4j.kernel.install;
