/**
 * Cell evaluation with the JShell API: snippet splitting, in-process execution on the kernel's class loader,
 * interrupt/stop, and the one formatter ({@link org.plm4j.kernel.engine.KernelErrors}) for compiler and runtime errors.
 */
package org.plm4j.kernel.engine;
