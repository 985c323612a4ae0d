/**
 * Internals shared by several packages of lib (engine start-up and thread settings, padded input
 * batches). Not part of the API: they may change without notice and are not listed in API.md.
 */
package org.plm4j.internal;
