package org.plm4j.kernel.engine;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * In-process JShell execution control: snippet classes are loaded by a class loader whose parent is the
 * system class loader, so cell code uses the very same classes as the kernel and its extensions.
 *
 * <p>Each snippet runs in a fresh thread so that it can be interrupted (its interrupt flag is set first, so
 * cooperative loops stop cleanly) and, as a last resort, stopped. Unlike JShell's own
 * {@code LocalExecutionControl}, a stop is remembered ({@link #wasCancelled()}), the real value of the
 * snippet is kept ({@link #takeValue()}) for the renderer, the real exception is kept
 * ({@link #takeFailure()}) for a readable stack trace, and threads the cell started are not joined.
 */
final class CellExecutionControl extends DirectExecutionControl {

    private final ThreadGroup cellThreads = new ThreadGroup("plm4j-cells");
    private volatile Thread snippetThread;
    private volatile boolean cancelled;
    private Object value;
    private Throwable failure;

    /** Clears the cancellation left by a previous cell. */
    void reset() {
        cancelled = false;
    }

    /** Marks the current cell cancelled and sets the interrupt flag of the running snippet, if any. */
    void cancel() {
        cancelled = true;
        Thread t = snippetThread;
        if (t != null) {
            t.interrupt();
        }
    }

    boolean wasCancelled() {
        return cancelled;
    }

    /** Whether user code of a snippet is running right now. */
    boolean isRunningUserCode() {
        Thread t = snippetThread;
        return t != null && t.isAlive();
    }

    /**
     * Forcibly ends the running snippet (the JDK's {@code Thread.stop}, as JShell's own local execution does).
     *
     * @return false when this JVM no longer supports stopping threads (JDK 20+)
     */
    @SuppressWarnings({"deprecation", "removal"})
    boolean forceStop() {
        Thread t = snippetThread;
        if (t == null) {
            return true;
        }
        cancelled = true;
        try {
            t.stop();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** The value of the last invoked snippet; it is cleared by this call. */
    Object takeValue() {
        Object v = value;
        value = null;
        return v;
    }

    /** The exception thrown by the last invoked snippet; it is cleared by this call. */
    Throwable takeFailure() {
        Throwable f = failure;
        failure = null;
        return f;
    }

    /**
     * Loads snippet classes, keeping variable values across recompilation. When a declaration has to
     * be recompiled because something it depends on changed (an on-demand import that might shadow a
     * type name, a redefined class), JShell first asks to redefine its wrapper class in place, which
     * keeps static field values; an in-process class loader cannot do that, so JShell loads a renamed
     * copy ({@code $JShell$12} becomes {@code $JShell$12B}) whose fields start at null/0 and the
     * variable silently loses its value. The copy gets the old class's field values here, where name
     * and type still match (a variable whose type changed starts afresh, as in JShell).
     *
     * <p>Before loading, exit calls are redirected ({@link ExitCallRewriter}): a cell cannot end the kernel.
     */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        ClassBytecodes[] guarded = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            guarded[i] = new ClassBytecodes(cbcs[i].name(), ExitCallRewriter.rewrite(cbcs[i].bytecodes()));
        }
        super.load(guarded);
        for (ClassBytecodes c : cbcs) {
            java.util.regex.Matcher m = WRAPPER.matcher(c.name());
            if (!m.matches()) {
                continue;
            }
            String base = m.group(1);
            String previous = loadedWrappers.put(base, c.name());
            if (previous != null && !previous.equals(c.name())) {
                carryOverStatics(previous, c.name());
            }
        }
    }

    private static final java.util.regex.Pattern WRAPPER = java.util.regex.Pattern.compile("(.*\\$JShell\\$\\d+)[A-Z]*");
    private final Map<String, String> loadedWrappers = new java.util.HashMap<>();

    private void carryOverStatics(String from, String to) {
        try {
            Class<?> old = findClass(from);
            Class<?> now = findClass(to);
            for (java.lang.reflect.Field f : now.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!java.lang.reflect.Modifier.isStatic(mod) || java.lang.reflect.Modifier.isFinal(mod)) {
                    continue;
                }
                java.lang.reflect.Field o;
                try {
                    o = old.getDeclaredField(f.getName());
                } catch (NoSuchFieldException gone) {
                    continue;
                }
                if (!o.getGenericType().equals(f.getGenericType())) {
                    continue;
                }
                o.setAccessible(true);
                f.setAccessible(true);
                f.set(null, o.get(null));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keeping a value is a courtesy; JShell's own behaviour (a fresh variable) remains
        }
    }

    @Override
    public void stop() {
        forceStop();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        value = null;
        failure = null;
        if (cancelled) {
            throw new ExecutionControl.StoppedException();
        }
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(cellThreads, () -> {
            try {
                result[0] = doitMethod.invoke(null);
            } catch (InvocationTargetException e) {
                thrown[0] = e.getCause();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "plm4j-cell");
        t.setDaemon(true);
        t.setContextClassLoader(doitMethod.getDeclaringClass().getClassLoader());
        snippetThread = t;
        try {
            t.start();
            t.join();
        } finally {
            snippetThread = null;
        }
        Throwable problem = thrown[0];
        if (problem instanceof ThreadDeath || (cancelled && problem instanceof InterruptedException)) {
            throw new ExecutionControl.StoppedException();
        }
        if (problem != null) {
            failure = problem;
            throw new InvocationTargetException(problem);
        }
        value = result[0];
        return valueString(result[0]);
    }

    /** Provides a fresh {@link CellExecutionControl} to a JShell instance and hands it to the engine. */
    static final class Provider implements ExecutionControlProvider {
        private CellExecutionControl control;

        @Override
        public String name() {
            return "plm4j-cell";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            control = new CellExecutionControl();
            return control;
        }

        CellExecutionControl control() {
            return control;
        }
    }
}
