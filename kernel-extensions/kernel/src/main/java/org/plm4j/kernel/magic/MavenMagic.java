package org.plm4j.kernel.magic;

import org.plm4j.extension.magic.MagicUsageException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.plm4j.kernel.engine.JShellEngine;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code %maven group:artifact:version [...]}: resolves each coordinate with its runtime dependencies through
 * {@link MavenResolver} (local repository first, then Maven Central) and adds the jars to the cells' class path.
 */
public final class MavenMagic implements LineMagic<Void, BaseKernel> {

    private final MavenResolver resolver;
    private final JShellEngine engine;

    public MavenMagic(MavenResolver resolver, JShellEngine engine) {
        this.resolver = resolver;
        this.engine = engine;
    }

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            throw new MagicUsageException("no coordinate given. Usage: %maven group:artifact:version [group:artifact:version ...]");
        }
        for (String coordinate : args) {
            List<Path> jars = resolver.resolve(coordinate);
            jars.forEach(j -> engine.addToClasspath(j.toString()));
            System.out.println("Resolved " + coordinate + ": " + jars.size() + (jars.size() == 1 ? " jar" : " jars") + " added to the class path");
        }
        return null;
    }
}
