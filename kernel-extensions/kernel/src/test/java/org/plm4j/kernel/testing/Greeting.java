package org.plm4j.kernel.testing;

/** A type the tests render and hand between kernel code and cells, to check they share one class. */
public record Greeting(String name) {
    /** Set by test (kernel-side) code, read by cell code. */
    public static volatile Greeting shared;
}
