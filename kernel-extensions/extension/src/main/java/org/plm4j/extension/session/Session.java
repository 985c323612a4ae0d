package org.plm4j.extension.session;

import java.util.Optional;
import javax.lang.model.SourceVersion;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * A magic's view of the notebook session, through the public jjava-jupyter API only
 * ({@link BaseKernel#evalRaw(String)}): read a variable the user defined, and bind a result to a
 * new variable usable from Java in the next cell.
 */
public final class Session {

    private final BaseKernel kernel;

    public Session(BaseKernel kernel) {
        this.kernel = kernel;
    }

    /** The value of variable {@code name}, or empty when no such variable is defined. */
    public Optional<Object> variable(String name) {
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(kernel.evalRaw(name));
        } catch (RuntimeException undefined) {
            return Optional.empty();
        }
    }

    /** The variable {@code name} when it holds a {@code type}; empty when undefined; an error when of another type. */
    public <T> Optional<T> variable(String name, Class<T> type, String option) {
        Optional<Object> v = variable(name);
        if (v.isPresent() && !type.isInstance(v.get())) {
            throw new IllegalArgumentException(option + " " + name + ": the variable holds a "
                    + v.get().getClass().getName() + ", not a " + type.getName());
        }
        return v.map(type::cast);
    }

    /**
     * Declares {@code type name = value} in the session. Fails with a message that shows the manual
     * way when the kernel cannot evaluate code from inside a magic (some upstream kernels).
     */
    public void bind(String name, Object value, Class<?> type) {
        String key = Bindings.park(value);
        String code = type.getName() + " " + name + " = (" + type.getName() + ") "
                + Bindings.class.getName() + ".take(\"" + key + "\");";
        try {
            kernel.evalRaw(code);
        } catch (RuntimeException e) {
            Bindings.discard(key);
            throw new IllegalStateException("could not bind the result to '" + name + "' in this kernel ("
                    + e.getMessage() + "); call the Java API shown by --help in a cell instead", e);
        }
    }
}
