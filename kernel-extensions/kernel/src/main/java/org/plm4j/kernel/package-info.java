/**
 * The plm4j Java kernel: {@link org.plm4j.kernel.JavaKernel} (a jjava-jupyter kernel evaluating cells with JShell in
 * its own JVM), its I/O plumbing and {@link org.plm4j.kernel.KernelLauncher} that serves it over ZeroMQ.
 */
package org.plm4j.kernel;
