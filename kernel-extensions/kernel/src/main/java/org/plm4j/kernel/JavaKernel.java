package org.plm4j.kernel;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.zeromq.ZMQ;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.plm4j.kernel.engine.CellError;
import org.plm4j.kernel.engine.CellFailureException;
import org.plm4j.kernel.engine.JShellEngine;
import org.plm4j.kernel.engine.KernelErrors;
import org.plm4j.kernel.magic.ClasspathMagic;
import org.plm4j.kernel.magic.HelpMagic;
import org.plm4j.kernel.magic.LoadMagic;
import org.plm4j.kernel.magic.MagicSyntax;
import org.plm4j.extension.magic.MagicUsageException;
import org.plm4j.kernel.magic.MavenMagic;
import org.plm4j.kernel.magic.MavenResolver;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The plm4j Java kernel: a jjava-jupyter {@link BaseKernel} that evaluates cells with JShell in its own JVM.
 *
 * <ul>
 *   <li>Cells mix Java snippets and magics ({@link MagicSyntax}); magics come from the base library's
 *       {@link org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry}, where the kernel registers {@code %jars},
 *       {@code %classpath}, {@code %maven}, {@code %load}, {@code %help} and extensions register theirs.</li>
 *   <li>The value of a trailing expression (or a magic's non-null return value) goes through the
 *       {@link #getRenderer() renderer} and is published as execute_result.</li>
 *   <li>stdout/stderr stream while the cell runs, coalesced into few messages; {@link #display(DisplayData)} and
 *       {@code getIO().display.updateDisplay(id, data)} publish display_data/update_display_data during a cell.</li>
 *   <li>{@link #interrupt()} (interrupt_request on the control channel) stops the running cell.</li>
 *   <li>{@code System.exit}/{@code Runtime.exit}/{@code Runtime.halt} in cell code fail the cell instead of
 *       ending the kernel; {@link #clearOutput(boolean)} sends clear_output; a cell {@code name?} answers with
 *       the pager payload; history_request is answered from the session's cells.</li>
 * </ul>
 *
 * <p>{@link #execute(ShellReplyEnvironment, String, int, boolean)} is the one evaluation path, used over
 * ZeroMQ and by the headless runner alike.
 */
public final class JavaKernel extends BaseKernel implements AutoCloseable {

    /** Imported into every session so cells can call {@code display(...)}, {@code updateDisplay(...)}, etc. */
    public static final String STARTUP_IMPORTS = "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*;\n"
            + "import static org.plm4j.kernel.NotebookStatics.*;";

    /** A cell that asks for documentation instead of running code: {@code Math.max?}, {@code ?Math.max}. */
    private static final java.util.regex.Pattern PAGER_REQUEST = java.util.regex.Pattern.compile(
            "\\s*(?:\\?{1,2}\\s*(?<before>[\\p{L}_$][\\w$]*(?:\\s*\\.\\s*[\\p{L}_$][\\w$]*)*)"
                    + "|(?<after>[\\p{L}_$][\\w$]*(?:\\s*\\.\\s*[\\p{L}_$][\\w$]*)*)\\s*\\?{1,2})\\s*");

    private final JShellEngine engine;
    private final KernelIO kernelIO;
    private final ExecutorService worker;
    private volatile Thread workerThread;
    private volatile boolean inMagic;
    private volatile boolean cellRunning;
    private volatile CellOutputEnvironment currentCell;
    private volatile String lastResultText;
    private JupyterConnection connection;
    private ShellChannel busyShell;
    private Thread busyShellThread;
    private final java.util.ArrayDeque<Message<?>> heldWhileBusy = new java.util.ArrayDeque<>();

    private JavaKernel(Builder.Parts b, KernelIO io, JShellEngine engine) {
        super(b.name(), b.version(), languageInfo(),
                List.of(new HelpLink("JShell", "https://docs.oracle.com/en/java/javase/17/jshell/")),
                b.history(), io, b.comms(), b.renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", b.transpiler()),
                b.magics(), b.extensionsEnabled(), b.errorStyler());
        this.engine = engine;
        this.kernelIO = io;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "plm4j-kernel-exec");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
        ClasspathMagic classpath = new ClasspathMagic(engine);
        magicsRegistry.registerLineMagic("jars", classpath);
        magicsRegistry.registerLineMagic("classpath", classpath);
        magicsRegistry.registerLineMagic("maven", new MavenMagic(MavenResolver.withDefaults(), engine));
        magicsRegistry.registerLineMagic("load", new LoadMagic(this::runNested));
        magicsRegistry.registerLineMagic("help", new HelpMagic());
    }

    /** A builder with the kernel's defaults (name {@code plm4j}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The language_info of kernel_info_reply. Notebook frontends copy it into a notebook's metadata and mark the
     * notebook dirty when it differs from what the file stores, so it must not change with the JDK's update or
     * build: the version is the Java language version (the feature release, e.g. "17"), not the runtime's full
     * version string.
     */
    static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java")
                .version(String.valueOf(Runtime.version().feature()))
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
    }

    /** The JShell engine evaluating the cells. */
    public JShellEngine engine() {
        return engine;
    }

    /**
     * Registers this kernel as the notebook kernel, imports the display helpers into JShell and installs every
     * {@link Extension} found by {@link ServiceLoader}. An extension that fails is reported on stderr and
     * skipped; the kernel keeps running.
     */
    @Override
    public void onStartup() {
        startInBackground().join();
    }

    /**
     * Like {@link #onStartup()}, but the JShell warm-up and the extensions run on the cell thread in the
     * background: the kernel can answer kernel_info at once, and cells, completions and inspections queue
     * behind the warm-up.
     *
     * @return completes when the warm-up is done
     */
    public java.util.concurrent.CompletableFuture<Void> startInBackground() {
        installNotebookKernel();
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                engine.evaluate(STARTUP_IMPORTS, "startup");
            } catch (CellFailureException e) {
                System.err.println("plm4j kernel: the display helpers could not be imported: " + e.getMessage());
            }
            if (extensionsEnabled) {
                installDefaultExtensions();
            }
        }, worker);
    }

    @Override
    protected void installExtensions(ClassLoader classLoader) {
        Iterator<Extension> it = ServiceLoader.load(Extension.class, classLoader).iterator();
        for (int guard = 0; guard < 1000; guard++) {
            Extension ext;
            try {
                if (!it.hasNext()) {
                    return;
                }
                ext = it.next();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                System.err.println("plm4j kernel: an extension could not be loaded and is skipped: " + e
                        + ". Check that its jar matches this kernel's jjava-jupyter version (1.0-a6).");
                continue;
            }
            try {
                installExtension(ext);
            } catch (RuntimeException | LinkageError e) {
                extensions.remove(ext.getClass().getName());
                System.err.println("plm4j kernel: extension " + ext.getClass().getName() + " failed to install and is disabled: "
                        + e + ". The kernel runs without it.");
            }
        }
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        try {
            super.onShutdown(isRestarting);
        } finally {
            close();
        }
    }

    /** Stops the executor threads and JShell. */
    @Override
    public void close() {
        worker.shutdownNow();
        kernelIO.close();
        engine.close();
        if (BaseKernel.notebookKernel == this) {
            uninstallNotebookKernel();
        }
    }

    // ---------------------------------------------------------------- execution

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        this.connection = connection;
    }

    @Override
    protected void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        env.setBusyDeferIdle();
        int count = executionCount.getAndIncrement();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        ShellChannel outerBusyShell = busyShell;
        busyShell = env.getShell() instanceof ShellChannel shell && connection != null ? shell : null;
        busyShellThread = Thread.currentThread();
        CellOutcome outcome;
        List<Map<String, Object>> payload = List.of();
        lastResultText = null;
        try {
            java.util.regex.Matcher pager = PAGER_REQUEST.matcher(request.getCode());
            if (pager.matches()) {
                String name = (pager.group("before") != null ? pager.group("before") : pager.group("after")).replaceAll("\\s+", "");
                payload = List.of(ExecuteOkReply.page(documentationPage(name)));
                outcome = new CellOutcome(count, Optional.empty());
            } else {
                outcome = execute(env, request.getCode(), count, request.isStdinEnabled());
            }
        } finally {
            busyShell = outerBusyShell;
        }
        if (request.shouldStoreHistory() && historyManager instanceof SessionHistory history) {
            history.add(count, request.getCode(), lastResultText);
        }
        if (outcome.succeeded()) {
            env.defer().reply(new ExecuteOkReply(count, payload));
        } else {
            CellError e = outcome.error().orElseThrow();
            ErrorReply reply = new ErrorReply(e.ename(), e.evalue(), e.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
        if (outerBusyShell == null && !heldWhileBusy.isEmpty()) {
            // reply to this cell first, then serve the requests that arrived while it ran, in order
            env.resolveDeferrals();
            Message<?> held;
            while ((held = heldWhileBusy.poll()) != null) {
                dispatch((ShellChannel) env.getShell(), held);
            }
        }
    }

    /**
     * Called on the shell thread while it waits for a cell: an interrupt_request sent on the shell channel is
     * served at once; other requests are held and served, in order, after the cell's reply.
     */
    private void serveShellWhileBusy() {
        ShellChannel shell = busyShell;
        if (shell == null) {
            return;
        }
        while ((shell.getEvents() & ZMQ.Poller.POLLIN) != 0) {
            Message<?> message = shell.readMessage();
            if (message == null) {
                continue; // refused and logged by the channel
            }
            if (message.getHeader().getType() == MessageType.INTERRUPT_REQUEST) {
                dispatch(shell, message);
            } else {
                heldWhileBusy.add(message);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(ShellChannel shell, Message<?> message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(shell, message);
        try {
            handler.handle(env, message);
        } catch (RuntimeException e) {
            System.err.println("plm4j kernel: failed to handle " + message.getHeader().getType().getName() + ": " + e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    /**
     * Runs one cell and publishes its outputs to {@code env}: streams and displays while it runs, then the
     * execute_result or the error. One cell at a time.
     *
     * @param env            where the outputs go (a ZeroMQ reply environment, or a local one for headless runs)
     * @param code           the cell source
     * @param count          the execution count shown in results and stack traces
     * @param stdinEnabled   whether the cell may read stdin through the frontend
     * @return how the cell ended
     */
    public CellOutcome execute(ShellReplyEnvironment env, String code, int count, boolean stdinEnabled) {
        return execute(env, code, count, stdinEnabled, "cell [" + count + "]");
    }

    /**
     * As {@link #execute(ShellReplyEnvironment, String, int, boolean)}, naming the source {@code label} in stack
     * traces (e.g. a script's file name).
     */
    public synchronized CellOutcome execute(ShellReplyEnvironment env, String code, int count, boolean stdinEnabled, String label) {
        CellOutputEnvironment out = new CellOutputEnvironment(env, kernelIO);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        kernelIO.attach(out, env, stdinEnabled);
        currentCell = out;
        System.setOut(kernelIO.out);
        System.setErr(kernelIO.err);
        System.setIn(kernelIO.in);
        engine.beginCell();
        cellRunning = true;
        try {
            Optional<DisplayData> result = runOnWorker(() -> runCell(code, label).map(this::toDisplayData));
            result.ifPresent(data -> {
                Object text = data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
                lastResultText = text == null ? null : text.toString();
                out.publish(new PublishExecuteResult(count, data));
            });
            return new CellOutcome(count, Optional.empty());
        } catch (CellFailureException e) {
            CellError error = e.error();
            out.publish(new PublishError(error.ename(), error.evalue(), error.traceback()));
            return new CellOutcome(count, Optional.of(error));
        } finally {
            cellRunning = false;
            currentCell = null;
            kernelIO.detach(out);
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    /**
     * Sends clear_output for the running cell (after its pending stream text); ignored when no cell runs, as
     * displays are. Cells call it as {@link NotebookStatics#clearOutput()}.
     *
     * @param wait clear when the next output arrives rather than now
     */
    public void clearOutput(boolean wait) {
        CellOutputEnvironment cell = currentCell;
        if (cell != null) {
            cell.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    /** The text of the pager for {@code name?}: signatures and javadoc, or a sentence saying none was found. */
    private String documentationPage(String name) {
        List<String> docs = runOnWorker(() -> engine.documentation(name, name.length()));
        return docs.isEmpty() ? "No documentation found for " + name + " (is it imported, or spelt with its package?)"
                : String.join("\n\n", docs);
    }

    /** The next execution count (used by the headless runner, which has no execute_request). */
    public int nextExecutionCount() {
        return executionCount.getAndIncrement();
    }

    private DisplayData toDisplayData(Object value) {
        return value instanceof DisplayData d ? d : getRenderer().render(value);
    }

    private <T> T runOnWorker(Callable<T> task) {
        if (Thread.currentThread() == workerThread) {
            return call(task);
        }
        Future<T> future = worker.submit(() -> call(task));
        boolean onShellThread = busyShell != null && Thread.currentThread() == busyShellThread;
        while (true) {
            try {
                if (!onShellThread) {
                    return future.get();
                }
                try {
                    return future.get(20, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    serveShellWhileBusy();
                }
            } catch (InterruptedException e) {
                interrupt();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof CellFailureException cfe) {
                    throw cfe;
                }
                throw new CellFailureException(KernelErrors.exception(cause, f -> String.valueOf(f.getFileName())), cause);
            }
        }
    }

    private static <T> T call(Callable<T> task) {
        try {
            return task.call();
        } catch (CellFailureException e) {
            throw e;
        } catch (Exception e) {
            throw new CellFailureException(KernelErrors.exception(e, f -> String.valueOf(f.getFileName())), e);
        }
    }

    private Optional<Object> runCell(String code, String label) {
        List<MagicSyntax.Part> parts;
        try {
            parts = MagicSyntax.parse(code);
        } catch (IllegalArgumentException e) {
            throw new CellFailureException(KernelErrors.magic(firstMagicLine(code), e.getMessage(), e));
        }
        Optional<Object> result = Optional.empty();
        for (MagicSyntax.Part part : parts) {
            if (engine.wasInterrupted()) {
                throw new CellFailureException(KernelErrors.interrupted(""));
            }
            if (part instanceof MagicSyntax.Code c) {
                result = engine.evaluate(c.source(), label);
            } else if (part instanceof MagicSyntax.LineMagicCall m) {
                result = Optional.ofNullable(runMagic(m.line(), m.name(), true,
                        () -> magicsRegistry.evalLineMagic(this, m.name(), m.args())));
            } else if (part instanceof MagicSyntax.CellMagicCall m) {
                result = Optional.ofNullable(runMagic(m.line(), m.name(), false,
                        () -> magicsRegistry.evalCellMagic(this, m.name(), m.args(), m.body())));
            }
        }
        return result;
    }

    private Object runMagic(String line, String name, boolean lineMagic, Callable<Object> call) {
        inMagic = true;
        try {
            Object value = call.call();
            if (engine.wasInterrupted()) {
                throw new CellFailureException(KernelErrors.interrupted("during " + line.strip()));
            }
            return value;
        } catch (CellFailureException e) {
            throw e;
        } catch (UndefinedMagicException e) {
            String known = (lineMagic ? magicsRegistry.getLineMagicNames() : magicsRegistry.getCellMagicNames())
                    .stream().sorted().map(n -> (lineMagic ? "%" : "%%") + n).collect(Collectors.joining(" "));
            throw new CellFailureException(KernelErrors.magic(line,
                    "unknown " + (lineMagic ? "line" : "cell") + " magic " + (lineMagic ? "%" : "%%") + name
                            + ". Known " + (lineMagic ? "line" : "cell") + " magics: " + (known.isEmpty() ? "none" : known)
                            + ". %help lists all magics.", e));
        } catch (Exception e) {
            if (engine.wasInterrupted() || e instanceof InterruptedException) {
                throw new CellFailureException(KernelErrors.interrupted("during " + line.strip()), e);
            }
            boolean usageMistake = e instanceof MagicUsageException || e instanceof IllegalArgumentException
                    || e.getClass().getName().startsWith("picocli.");
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            throw new CellFailureException(usageMistake ? KernelErrors.magic(line, message, e) : KernelErrors.magicFailure(line, e), e);
        } finally {
            inMagic = false;
            Thread.interrupted(); // do not leak an interrupt meant for this magic into the next cell
        }
    }

    /** Runs source from a magic (e.g. {@code %load}) as part of the current cell. */
    private void runNested(String source, String label) {
        boolean wasInMagic = inMagic;
        inMagic = false;
        try {
            runCell(source, label);
        } finally {
            inMagic = wasInMagic;
        }
    }

    private static String firstMagicLine(String code) {
        return code.lines().filter(l -> l.strip().startsWith("%")).findFirst().orElse(code.lines().findFirst().orElse(""));
    }

    /**
     * Interrupts the running cell: a running snippet gets its interrupt flag set and is stopped after
     * {@link JShellEngine#STOP_GRACE_MILLIS} if it keeps running; a running magic gets its thread's interrupt
     * flag set. The cell then ends with an {@code Interrupted} error.
     */
    @Override
    public void interrupt() {
        engine.interrupt();
        Thread w = workerThread;
        if (inMagic && w != null) {
            w.interrupt();
        }
    }

    @Override
    public Object evalRaw(String source) {
        if (cellRunning && Thread.currentThread() != workerThread) {
            return runCell(source, "eval").orElse(null);
        }
        return runOnWorker(() -> runCell(source, "eval")).orElse(null);
    }

    // ---------------------------------------------------------------- completion, inspection

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = runOnWorker(() -> engine.documentation(code, at));
        if (docs.isEmpty()) {
            return null;
        }
        return new DisplayData(String.join("\n\n", extraDetail ? docs : docs.subList(0, Math.min(docs.size(), 3))));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        String line = code.substring(lineStart, at);
        if (line.matches("\\s*%%?\\w*")) {
            int pct = lineStart + line.lastIndexOf('%') + 1;
            String prefix = code.substring(pct, at);
            boolean cell = line.strip().startsWith("%%");
            List<String> names = new TreeSet<>(cell ? magicsRegistry.getCellMagicNames() : magicsRegistry.getLineMagicNames())
                    .stream().filter(n -> n.startsWith(prefix)).toList();
            return new ReplacementOptions(names, pct, at);
        }
        JShellEngine.Completions c = runOnWorker(() -> engine.complete(code, at));
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        List<MagicSyntax.Part> parts;
        try {
            parts = MagicSyntax.parse(code);
        } catch (IllegalArgumentException e) {
            return IS_COMPLETE_BAD;
        }
        StringBuilder java = new StringBuilder();
        for (MagicSyntax.Part p : parts) {
            if (p instanceof MagicSyntax.CellMagicCall) {
                return IS_COMPLETE_YES;
            }
            if (p instanceof MagicSyntax.Code c) {
                java.append(c.source()).append('\n');
            }
        }
        return runOnWorker(() -> engine.isComplete(java.toString()));
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOkReply(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    /** Answers history_request from the session's cells (tail, range, search), with the reply's status field. */
    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        java.util.Set<HistoryManager.ResultFlag> flags = java.util.EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> historyManager.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield historyManager.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search r = (HistoryRequest.Search) request;
                if (r.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield historyManager.search(r.getPattern(), r.getMaxReturnLength(), flags);
            }
        };
        env.reply(new HistoryOkReply(entries == null ? List.of() : entries));
    }

    /** Builds a {@link JavaKernel}; the defaults are those of the installed kernelspec. */
    public static final class Builder extends BaseKernelBuilder<Builder, JavaKernel> {
        private JShellEngine engine;

        private Builder() {
            name("plm4j");
            version(versionOfThisJar());
        }

        /** Uses the given engine instead of one that sees this JVM's class path. */
        public Builder engine(JShellEngine engine) {
            this.engine = engine;
            return this;
        }

        @Override
        public JavaKernel build() {
            KernelIO io = new KernelIO(buildJupyterIOEncoding());
            Parts parts = new Parts(buildName(), buildVersion(), buildHistoryManager(), buildCommManager(), buildRenderer(),
                    buildMagicTranspiler(), buildMagicsRegistry(), buildExtensionsEnabled(), buildErrorStyler());
            return new JavaKernel(parts, io, engine != null ? engine : new JShellEngine());
        }

        @Override
        protected HistoryManager buildHistoryManager() {
            HistoryManager configured = super.buildHistoryManager();
            return configured != null ? configured : new SessionHistory();
        }

        private record Parts(String name, String version, HistoryManager history, CommManager comms, Renderer renderer,
                             MagicTranspiler transpiler, MagicsRegistry magics, boolean extensionsEnabled,
                             StringStyler errorStyler) {
        }

        private static String versionOfThisJar() {
            String v = JavaKernel.class.getPackage().getImplementationVersion();
            return v != null ? v : "0.1.0-SNAPSHOT";
        }
    }
}
