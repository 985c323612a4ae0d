package org.plm4j.kernel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command line of the plm4j kernel distribution:
 * <pre>
 * java -cp 'kernel-extensions/kernel/target/dist/lib/*' org.plm4j.kernel.cli.Main kernel install [--user|--prefix DIR|--jupyter-path DIR] [--name N] [--display-name D] [--java PATH]
 *                                                                               kernel uninstall [same location options] [--name N]
 *                                                                               kernel start CONNECTION_FILE
 *                                                                               run FILE.ipynb|FILE.jsh [-p name=value]... [-o OUT.ipynb] [--timeout SECONDS]
 *                                                                               dataset list|build NAME|info NAME|export NAME [--split S] [--format jsonl|csv|txt] [-o FILE]
 *                                                                               model list|install NAME|info NAME
 * </pre>
 */
@Command(name = "plm4j", mixinStandardHelpOptions = true, version = "plm4j kernel 0.1.0",
        description = "Java (JShell) Jupyter kernel of plm4j: install it, start it, or run notebooks headless.",
        subcommands = {KernelCommand.class, RunCommand.class, DatasetCommand.class, ModelCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
    }
}
