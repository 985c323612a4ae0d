/**
 * Headless execution of notebooks and JShell scripts through the kernel's own evaluation path, with
 * papermill-style parameters and nbformat 4 outputs.
 */
package org.plm4j.kernel.runner;
