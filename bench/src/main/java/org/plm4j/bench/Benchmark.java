package org.plm4j.bench;

/**
 * One benchmark: runs plm4j and its named reference on the same input in the same run and prints
 * the ratio. Its last line on stdout is {@code speedup NAME X}, where X is the reference's time
 * divided by plm4j's (above 1: plm4j is faster).
 */
public interface Benchmark {

    /** The name given to {@code ./plm4j bench NAME}. */
    String name();

    /** What is compared with what, one line. */
    String description();

    /** Runs the benchmark; {@code args} are the remaining command-line arguments. Returns the speedup. */
    double run(String[] args) throws Exception;
}
