package org.plm4j.kernel.cli;

import org.plm4j.kernel.KernelLauncher;
import org.plm4j.kernel.install.JavaCheck;
import org.plm4j.kernel.install.KernelInstaller;
import org.plm4j.kernel.install.KernelLocation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kernel install|uninstall|start}. */
@Command(name = "kernel", description = "Install, uninstall or start the Jupyter kernel.",
        subcommands = {KernelCommand.Install.class, KernelCommand.Uninstall.class, KernelCommand.Start.class})
final class KernelCommand {

    /** Where the kernelspec goes; --user is the default. */
    static final class Location {
        @Option(names = "--user", description = "install for the current user (default): ~/.local/share/jupyter/kernels/NAME")
        boolean user;
        @Option(names = "--prefix", paramLabel = "DIR", description = "install into DIR/share/jupyter/kernels/NAME (like jupyter kernelspec install --prefix)")
        Path prefix;
        @Option(names = "--jupyter-path", paramLabel = "DIR", description = "install into DIR/kernels/NAME (a directory listed in JUPYTER_PATH)")
        Path jupyterPath;

        static KernelLocation of(Location l) {
            if (l == null || l.user) {
                return KernelLocation.user();
            }
            return l.prefix != null ? KernelLocation.prefix(l.prefix) : KernelLocation.jupyterPath(l.jupyterPath);
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Write the kernelspec (kernel.json) so Jupyter can start this kernel.")
    static final class Install implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Location location;
        @Option(names = "--name", defaultValue = KernelInstaller.DEFAULT_NAME, description = "kernelspec name (default: ${DEFAULT-VALUE})")
        String name;
        @Option(names = "--display-name", defaultValue = KernelInstaller.DEFAULT_DISPLAY_NAME, description = "name shown in Jupyter (default: ${DEFAULT-VALUE})")
        String displayName;
        @Option(names = "--java", paramLabel = "PATH", description = "java binary the kernel runs on (default: the one running this installer)")
        Path java;

        @Override
        public Integer call() {
            Path javaBinary = java != null ? java.toAbsolutePath() : JavaCheck.currentJavaBinary();
            Optional<String> problem = java != null ? JavaCheck.checkBinary(javaBinary) : JavaCheck.checkCurrent();
            if (problem.isPresent()) {
                System.err.println(problem.get());
                return 2;
            }
            KernelLocation where = Location.of(location);
            Path dir = new KernelInstaller(KernelInstaller.distLibOfThisJar()).install(where, name, displayName, javaBinary);
            System.out.println("Installed kernelspec '" + name + "' (" + displayName + ") in " + dir);
            System.out.println("Verify with: jupyter kernelspec list" + where.jupyterPathHint());
            return 0;
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Remove the kernelspec written by install.")
    static final class Uninstall implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Location location;
        @Option(names = "--name", defaultValue = KernelInstaller.DEFAULT_NAME, description = "kernelspec name (default: ${DEFAULT-VALUE})")
        String name;

        @Override
        public Integer call() {
            KernelLocation where = Location.of(location);
            Path dir = where.kernelDir(name);
            if (KernelInstaller.uninstall(where, name)) {
                System.out.println("Removed kernelspec '" + name + "' from " + dir);
                return 0;
            }
            System.err.println("No kernelspec '" + name + "' in " + dir + "; `jupyter kernelspec list` shows the installed ones.");
            return 1;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Run the kernel for a Jupyter connection file (Jupyter does this).")
    static final class Start implements Callable<Integer> {
        @Parameters(paramLabel = "CONNECTION_FILE")
        Path connectionFile;

        @Override
        public Integer call() throws Exception {
            KernelLauncher.run(connectionFile);
            return 0;
        }
    }
}
