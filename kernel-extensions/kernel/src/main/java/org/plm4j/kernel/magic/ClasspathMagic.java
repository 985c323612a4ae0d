package org.plm4j.kernel.magic;

import org.plm4j.extension.magic.MagicUsageException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.plm4j.kernel.engine.JShellEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code %jars path-or-glob...} and {@code %classpath path-or-glob...}: adds jars (or class directories) to the
 * class path of the cells. A directory adds the jars in it, or itself when it holds no jar.
 * Java equivalent: none; the class path of a running JShell can only grow through the kernel.
 */
public final class ClasspathMagic implements LineMagic<Void, BaseKernel> {

    private final JShellEngine engine;

    public ClasspathMagic(JShellEngine engine) {
        this.engine = engine;
    }

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            throw new MagicUsageException("no path given. Usage: %jars path/to/lib.jar 'lib/*.jar' ...");
        }
        List<Path> added = new ArrayList<>();
        for (String arg : args) {
            List<Path> matches = resolve(arg);
            if (matches.isEmpty()) {
                throw new MagicUsageException("no file matches `" + arg + "` (relative paths start at "
                        + Path.of("").toAbsolutePath() + "); check the path or the glob");
            }
            for (Path p : matches) {
                engine.addToClasspath(p.toAbsolutePath().toString());
                added.add(p);
            }
        }
        System.out.println("Added to the class path: " + added.size() + (added.size() == 1 ? " entry" : " entries")
                + (added.size() <= 5 ? " " + added : ""));
        return null;
    }

    /** Expands {@code *}, {@code ?} and {@code **} in a path (relative to the working directory). */
    static List<Path> glob(String arg) throws IOException {
        if (!arg.contains("*") && !arg.contains("?")) {
            return List.of(Path.of(arg));
        }
        Path pattern = Path.of(arg).toAbsolutePath().normalize();
        Path base = pattern.getRoot();
        for (Path part : pattern) {
            if (part.toString().contains("*") || part.toString().contains("?")) {
                break;
            }
            base = base.resolve(part);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.toString().replace("\\", "\\\\"));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(matcher::matches).sorted().toList();
        }
    }

    private static List<Path> resolve(String arg) {
        try {
            List<Path> paths = new ArrayList<>();
            for (Path p : glob(arg)) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        List<Path> jars = s.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
                        paths.addAll(jars.isEmpty() ? List.of(p) : jars);
                    }
                } else if (Files.isRegularFile(p)) {
                    paths.add(p);
                }
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list `" + arg + "`: " + e.getMessage(), e);
        }
    }
}
