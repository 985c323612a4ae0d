/**
 * The kernel's ZeroMQ channels: {@link org.plm4j.kernel.channels.GuardedConnection} serves the shell, control
 * and stdin channels with loops that no message can stop; {@link org.plm4j.kernel.channels.WireReader} checks
 * framing, signature, replays and JSON before a message is handled.
 */
package org.plm4j.kernel.channels;
