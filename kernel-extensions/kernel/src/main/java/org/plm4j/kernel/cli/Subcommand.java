package org.plm4j.kernel.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** What every CLI subcommand shares: its output and the one error format ({@code plm4j NAME: message}). */
abstract class Subcommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command's name as errors name it, e.g. {@code model}. */
    abstract String command();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    int fail(RuntimeException e) {
        spec.commandLine().getErr().println("plm4j " + command() + ": " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
    }
}
