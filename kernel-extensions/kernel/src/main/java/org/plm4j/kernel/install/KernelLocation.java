package org.plm4j.kernel.install;

import java.nio.file.Path;

/**
 * Where a kernelspec lives, with the same conventions as {@code jupyter kernelspec install}.
 *
 * @param kernelsDir the {@code kernels} directory that holds one directory per kernelspec
 * @param dataDir    the Jupyter data directory that contains {@code kernelsDir}, for JUPYTER_PATH hints
 * @param isUser     true for the user's default data directory
 */
public record KernelLocation(Path kernelsDir, Path dataDir, boolean isUser) {

    /** {@code ~/.local/share/jupyter/kernels} (or {@code $JUPYTER_DATA_DIR/kernels}). */
    public static KernelLocation user() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        Path data = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
        return new KernelLocation(data.resolve("kernels"), data, true);
    }

    /** {@code DIR/share/jupyter/kernels}, as {@code jupyter kernelspec install --prefix DIR}. */
    public static KernelLocation prefix(Path prefix) {
        Path data = prefix.toAbsolutePath().resolve("share").resolve("jupyter");
        return new KernelLocation(data.resolve("kernels"), data, false);
    }

    /** {@code DIR/kernels}, for a directory listed in {@code JUPYTER_PATH}. */
    public static KernelLocation jupyterPath(Path dir) {
        Path data = dir.toAbsolutePath();
        return new KernelLocation(data.resolve("kernels"), data, false);
    }

    /** The directory of one kernelspec. */
    public Path kernelDir(String name) {
        return kernelsDir.resolve(name);
    }

    /** A hint to append to "jupyter kernelspec list" when Jupyter does not look there by default. */
    public String jupyterPathHint() {
        return isUser ? "" : "   (if it is not listed: export JUPYTER_PATH=" + dataDir + ")";
    }
}
