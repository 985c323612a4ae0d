package org.plm4j.kernel.engine;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Evaluates Java cells with the JShell API inside the kernel's JVM.
 *
 * <p>Every entry of the JVM's {@code java.class.path} is added to JShell, and snippet classes are loaded by a
 * child of the system class loader, so objects created in a cell are instances of the same classes the kernel
 * and its extensions use. A cell is split into snippets ({@link #split(String)}); a trailing expression yields
 * its real value ({@link #evaluate(String, String)}), not JShell's string form.
 *
 * <p>{@link #interrupt()} sets the interrupt flag of the running snippet and, if it is still running after a
 * grace period, stops it; the cell then fails with an {@link CellError#INTERRUPTED} error.
 *
 * <p>Not thread-safe: one cell at a time; {@link #interrupt()} may be called from any thread.
 */
public final class JShellEngine implements AutoCloseable {

    /** How long a snippet may react to its interrupt flag before it is stopped. */
    public static final long STOP_GRACE_MILLIS = 1000;

    private final JShell jshell;
    private final SourceCodeAnalysis analysis;
    private final CellExecutionControl control;
    private final Map<String, SnippetOrigin> origins = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plm4j-interrupt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> classpath = new LinkedHashSet<>();

    private record SnippetOrigin(String label, int firstLine) {
    }

    /** Creates an engine that sees every entry of this JVM's {@code java.class.path}. */
    public JShellEngine() {
        this(runtimeClasspath());
    }

    /**
     * The entries of {@code java.class.path}, plus the {@code Class-Path} of jar manifests (a launcher such as
     * Maven Surefire may start the JVM with a single manifest-only jar).
     */
    public static List<String> runtimeClasspath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            entries.add(entry);
            if (entry.endsWith(".jar")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry)) {
                    java.util.jar.Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        java.net.URI base = new File(entry).getAbsoluteFile().toURI();
                        for (String ref : cp.trim().split("\\s+")) {
                            File f = new File(base.resolve(ref));
                            if (f.exists()) {
                                entries.add(f.getPath());
                            }
                        }
                    }
                } catch (java.io.IOException | IllegalArgumentException e) {
                    // not a readable jar: the entry itself is still used
                }
            }
        }
        return entries;
    }

    /** Creates an engine with the given class path entries (added to the compiler and the cell class loader). */
    public JShellEngine(List<String> classpathEntries) {
        CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
        this.jshell = JShell.builder()
                .executionEngine(provider, Map.of())
                .out(new PrintStream(new RedirectingStream(false), true))
                .err(new PrintStream(new RedirectingStream(true), true))
                .build();
        this.control = provider.control();
        this.analysis = jshell.sourceCodeAnalysis();
        for (String entry : classpathEntries) {
            if (!entry.isBlank()) {
                addToClasspath(entry);
            }
        }
    }

    /** Adds a jar or directory for both the compiler and the running cells. Adding an entry twice is a no-op. */
    public void addToClasspath(String entry) {
        String absolute = new File(entry).getAbsolutePath();
        if (classpath.add(absolute)) {
            jshell.addToClasspath(absolute);
        }
    }

    /** The class path entries added so far, in order. */
    public List<String> classpath() {
        return List.copyOf(classpath);
    }

    /**
     * Splits a cell into the snippets JShell compiles one by one (statements, declarations, expressions).
     * Incomplete trailing input becomes one last snippet so that the compiler reports it.
     */
    public List<SnippetSource> split(String code) {
        List<SnippetSource> pieces = new ArrayList<>();
        int offset = 0;
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(remaining);
            Completeness c = ci.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            String src;
            int consumed;
            if (c.isComplete() && ci.source() != null) {
                src = ci.source();
                consumed = remaining.length() - ci.remaining().length();
            } else {
                src = remaining.strip();
                consumed = remaining.length();
            }
            pieces.add(new SnippetSource(src, offset + startOf(remaining, src)));
            offset += consumed;
            remaining = remaining.substring(consumed);
        }
        return pieces;
    }

    /**
     * Evaluates a cell.
     *
     * @param code  the Java source of the cell
     * @param label how stack traces name this cell, e.g. {@code cell [3]}
     * @return the value of the trailing expression, empty when the cell ends with a statement or declaration,
     *         or when the expression is void or null
     * @throws CellFailureException when a snippet does not compile, throws, or is interrupted; later snippets
     *                              are not run
     */
    public Optional<Object> evaluate(String code, String label) {
        List<SnippetSource> pieces = split(code);
        Optional<Object> result = Optional.empty();
        for (int i = 0; i < pieces.size(); i++) {
            if (control.wasCancelled()) {
                throw new CellFailureException(KernelErrors.interrupted(""));
            }
            result = evaluateSnippet(pieces.get(i), code, label, i == pieces.size() - 1);
        }
        return result;
    }

    private Optional<Object> evaluateSnippet(SnippetSource piece, String cell, String label, boolean last) {
        List<SnippetEvent> events = jshell.eval(piece.source());
        Object value = control.takeValue();
        Throwable failure = control.takeFailure();
        if (control.wasCancelled()) {
            throw new CellFailureException(KernelErrors.interrupted(""));
        }
        Optional<Object> result = Optional.empty();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet s = e.snippet();
            // JShell numbers stack-frame lines from the first non-blank line of the snippet
            int lead = 0;
            while (lead < piece.source().length() && Character.isWhitespace(piece.source().charAt(lead))) {
                lead++;
            }
            origins.put(s.id(), new SnippetOrigin(label, KernelErrors.lineOf(cell, piece.offset() + lead)));
            if (e.status() == Snippet.Status.REJECTED) {
                List<Diag> diags = jshell.diagnostics(s).collect(Collectors.toList());
                throw new CellFailureException(KernelErrors.compilation(diags, s.source(), cell, piece.offset()));
            }
            if (e.exception() != null) {
                throw new CellFailureException(userError(e.exception(), failure), failure);
            }
            if (s instanceof DeclarationSnippet decl
                    && (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                System.err.println("note: " + describe(decl) + " cannot be used until "
                        + jshell.unresolvedDependencies(decl).collect(Collectors.joining(", ")) + " is declared");
            }
            if (last && isExpression(s) && value != null) {
                result = Optional.of(value);
            }
        }
        return result;
    }

    /**
     * Offset in {@code text} that corresponds to position 0 of {@code snippet} (JShell may keep or drop leading
     * blank lines and comments), so that compiler positions in the snippet map onto the cell.
     */
    private static int startOf(String text, String snippet) {
        String head = snippet.strip();
        int nl = head.indexOf('\n');
        head = nl < 0 ? head : head.substring(0, nl);
        head = head.length() > 40 ? head.substring(0, 40) : head;
        int inText = head.isEmpty() ? -1 : text.indexOf(head);
        int inSnippet = head.isEmpty() ? -1 : snippet.indexOf(head);
        if (inText >= 0 && inSnippet >= 0) {
            return Math.max(0, inText - inSnippet);
        }
        return 0;
    }

    private CellError userError(JShellException ex, Throwable original) {
        if (ex instanceof UnresolvedReferenceException ure) {
            DeclarationSnippet decl = ure.getSnippet();
            String missing = jshell.unresolvedDependencies(decl).collect(Collectors.joining(", "));
            String msg = describe(decl) + " cannot be used until " + missing + " is declared";
            return new CellError("UnresolvedReference", msg, List.of("UnresolvedReference: " + msg + "; declare it in a cell and run again."));
        }
        // JShell's copy of the exception has stack frames translated to snippet ids and lines (#id:line)
        Throwable t = ex instanceof EvalException ee ? UserException.of(ee) : original;
        return KernelErrors.exception(t == null ? ex : t, this::locate);
    }

    private String locate(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            SnippetOrigin origin = origins.get(file.substring(1));
            if (origin != null) {
                return origin.label() + " line " + (origin.firstLine() + Math.max(frame.getLineNumber(), 1) - 1);
            }
        }
        return file + ":" + frame.getLineNumber();
    }

    private static String describe(DeclarationSnippet decl) {
        return decl.kind().name().toLowerCase().replace('_', ' ') + " " + decl.name();
    }

    private static boolean isExpression(Snippet s) {
        return s instanceof ExpressionSnippet
                || (s instanceof VarSnippet && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    }

    /**
     * Jupyter's is_complete answer for a cell: {@code complete}, {@code invalid}, or the indent to continue with.
     */
    public String isComplete(String code) {
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(remaining);
            switch (ci.completeness()) {
                case EMPTY:
                    return "complete";
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    remaining = ci.remaining();
                    break;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                default:
                    return "invalid";
            }
        }
        return "complete";
    }

    /**
     * Completion candidates at the cursor.
     *
     * @return the candidates and the range {@code [start, at)} of the cell they replace
     */
    public Completions complete(String code, int at) {
        SnippetSource piece = pieceAt(code, at);
        String local = code.substring(piece.offset());
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(local, at - piece.offset(), anchor);
        List<String> matches = new ArrayList<>(new LinkedHashSet<>(suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .collect(Collectors.toList())));
        return new Completions(matches, anchor[0] + piece.offset(), at);
    }

    /** Completion candidates and the range of the cell they replace. */
    public record Completions(List<String> matches, int start, int end) {
    }

    /** Signatures and javadoc of the identifier at the cursor; empty when nothing is known. */
    public List<String> documentation(String code, int at) {
        SnippetSource piece = pieceAt(code, at);
        String local = code.substring(piece.offset());
        int cursor = at - piece.offset();
        // documentation() wants the cursor after the identifier (or inside a call's parentheses)
        while (cursor < local.length() && Character.isJavaIdentifierPart(local.charAt(cursor))) {
            cursor++;
        }
        List<String> out = new ArrayList<>();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(local, cursor, true);
        if (docs.isEmpty()) {
            // JShell documents invocations: ask again as if the cursor were inside `name(`
            String call = local.substring(0, cursor) + "(";
            docs = analysis.documentation(call, call.length(), true);
        }
        for (SourceCodeAnalysis.Documentation doc : docs) {
            StringBuilder sb = new StringBuilder(doc.signature());
            if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                sb.append("\n\n").append(doc.javadoc().strip());
            }
            out.add(sb.toString());
        }
        if (out.isEmpty() && cursor > 0) {
            String type = analysis.analyzeType(local.substring(0, cursor), cursor);
            if (type != null) {
                out.add(local.substring(0, cursor).strip() + " : " + type);
            }
        }
        return out;
    }

    private SnippetSource pieceAt(String code, int at) {
        SnippetSource found = new SnippetSource(code, 0);
        for (SnippetSource p : split(code)) {
            if (p.offset() <= at) {
                found = p;
            }
        }
        return found;
    }

    /** Clears an interrupt left over from the previous cell; call before each cell. */
    public void beginCell() {
        control.reset();
    }

    /**
     * Interrupts the running cell: sets the snippet thread's interrupt flag now, stops the snippet if it still
     * runs after {@link #STOP_GRACE_MILLIS}, and makes the rest of the cell fail with an interrupted error.
     * Safe to call from any thread; a no-op effect on a cell that has already finished until the next
     * {@link #beginCell()}.
     */
    public void interrupt() {
        control.cancel();
        watchdog.schedule(this::stopIfStillRunning, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether the last cell was interrupted. */
    public boolean wasInterrupted() {
        return control.wasCancelled();
    }

    private void stopIfStillRunning() {
        if (control.wasCancelled() && control.isRunningUserCode()) {
            if (!control.forceStop()) {
                System.err.println("plm4j kernel: this JVM cannot stop a running thread; the cell keeps running "
                        + "until it checks Thread.currentThread().isInterrupted(). Run the kernel on JDK 17 to stop busy loops.");
                return;
            }
            // a stopped snippet may be inside a finally block; check again shortly
            watchdog.schedule(this::stopIfStillRunning, 200, TimeUnit.MILLISECONDS);
        }
    }

    /** The JShell instance, for advanced use (e.g. listing variables). */
    public JShell jshell() {
        return jshell;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        jshell.close();
    }
}
