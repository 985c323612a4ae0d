/**
 * The picocli command line: {@code kernel install|uninstall|start} and {@code run}.
 */
package org.plm4j.kernel.cli;
