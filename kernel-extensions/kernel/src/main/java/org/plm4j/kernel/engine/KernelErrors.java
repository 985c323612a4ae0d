package org.plm4j.kernel.engine;

import jdk.jshell.Diag;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Collections;
import java.util.function.Function;

/**
 * The one place that turns compiler diagnostics, user exceptions and interrupts into readable notebook
 * errors: diagnostics point at the line of the cell with the source line and a caret; stack traces start at
 * the user's code and drop the kernel's and JShell's own frames.
 */
public final class KernelErrors {

    /** Longest stack trace shown per exception; deeper ones keep their top and bottom frames. */
    static final int MAX_FRAMES = 30;

    private KernelErrors() {
    }

    /**
     * Formats compiler errors of one snippet.
     *
     * @param diags         the diagnostics (warnings are skipped)
     * @param snippetSource the snippet source the diagnostic positions refer to
     * @param cellSource    the whole cell (or script) the snippet came from
     * @param snippetOffset offset of the snippet's first character in {@code cellSource}
     */
    public static CellError compilation(List<Diag> diags, String snippetSource, String cellSource, int snippetOffset) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!d.isError()) {
                continue;
            }
            long pos = Math.max(0, Math.min(d.getPosition() == Diag.NOPOS ? 0 : d.getPosition(), snippetSource.length()));
            long start = d.getStartPosition() == Diag.NOPOS ? pos : Math.max(0, Math.min(d.getStartPosition(), snippetSource.length()));
            long end = d.getEndPosition() == Diag.NOPOS ? pos + 1 : Math.max(start + 1, Math.min(d.getEndPosition(), snippetSource.length()));
            int absStart = snippetOffset + (int) start;
            int absEnd = Math.min(cellSource.length(), snippetOffset + (int) end);
            absStart = Math.min(absStart, cellSource.length());
            int lineNo = lineOf(cellSource, absStart);
            int lineStart = cellSource.lastIndexOf('\n', absStart - 1) + 1;
            int lineEnd = cellSource.indexOf('\n', absStart);
            if (lineEnd < 0) {
                lineEnd = cellSource.length();
            }
            String message = d.getMessage(Locale.ENGLISH);
            String[] msgLines = message.lines()
                    .filter(l -> !l.strip().matches("location: class\\s*") && !l.contains("$JShell$"))
                    .toArray(String[]::new);
            if (msgLines.length == 0) {
                msgLines = new String[]{message};
            }
            if (first == null) {
                first = "line " + lineNo + ": " + msgLines[0];
            }
            lines.add("Line " + lineNo + ": " + msgLines[0]);
            for (int i = 1; i < msgLines.length; i++) {
                lines.add("    " + msgLines[i].strip());
            }
            String sourceLine = cellSource.substring(lineStart, lineEnd);
            String margin = String.format("%4d | ", lineNo);
            lines.add(margin + sourceLine);
            int caretFrom = absStart - lineStart;
            int caretTo = Math.max(caretFrom + 1, Math.min(absEnd, lineEnd) - lineStart);
            lines.add(" ".repeat(margin.length()) + caretPad(sourceLine, caretFrom) + "^".repeat(caretTo - caretFrom));
        }
        if (first == null) {
            first = "the snippet was rejected by the compiler";
            lines.add(first);
        }
        return new CellError("CompilationError", first, lines);
    }

    /**
     * Formats an exception thrown by user code. Frames after the last frame of user code (the JShell
     * wrapper classes {@code REPL.*}) are dropped; snippet locations are rewritten with {@code sourceName}.
     *
     * @param t          the exception
     * @param sourceName maps a JShell file name such as {@code #12} and a line to a readable location, e.g.
     *                   {@code cell [3] line 2}
     */
    public static CellError exception(Throwable t, Function<StackTraceElement, String> sourceName) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = t;
        boolean firstThrowable = true;
        while (current != null && seen.add(current)) {
            lines.add((firstThrowable ? "" : "Caused by: ") + current);
            StackTraceElement[] frames = current.getStackTrace();
            int last = lastUserFrame(frames);
            int shown = last >= 0 ? last + 1 : Math.min(frames.length, 12);
            for (int i = 0; i < shown; i++) {
                if (shown > MAX_FRAMES && i == MAX_FRAMES - 5) {
                    lines.add("    ... " + (shown - MAX_FRAMES) + " frames omitted (deep recursion?)");
                    i = shown - 5;
                }
                lines.add("    at " + describe(frames[i], sourceName));
            }
            if (shown < frames.length && last < 0) {
                lines.add("    ... " + (frames.length - shown) + " more");
            }
            current = current.getCause();
            firstThrowable = false;
        }
        String msg = withoutWrapperNames(t instanceof UserException u ? u.userMessage() : t.getMessage());
        String name = t instanceof UserException u ? u.simpleClassName() : t.getClass().getSimpleName();
        return new CellError(name, msg == null ? "" : msg, lines.stream().map(KernelErrors::withoutWrapperNames).toList());
    }

    /**
     * Drops JShell's wrapper-class prefixes ({@code REPL.$JShell$4.s} becomes {@code s}) that the JDK's
     * helpful NullPointerException messages and class names otherwise show to the user.
     */
    static String withoutWrapperNames(String text) {
        return text == null ? null : text.replaceAll("REPL\\.\\$JShell\\$\\d+[A-Z]?\\.", "");
    }

    /** The error of a cell stopped by the user. */
    public static CellError interrupted(String what) {
        return new CellError(CellError.INTERRUPTED, "the cell was interrupted" + (what.isEmpty() ? "" : " " + what),
                List.of("Interrupted: the cell was stopped at the user's request" + (what.isEmpty() ? "" : " " + what) + ".",
                        "Variables assigned before the interrupt keep their values; the kernel is ready for the next cell."));
    }

    /** An error of a magic line: a readable paragraph, no stack trace. */
    public static CellError magic(String line, String problem, Throwable cause) {
        List<String> lines = new ArrayList<>();
        lines.add("MagicError in `" + line.strip() + "`: " + problem);
        Throwable c = cause;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (c != null && c.getCause() != null && c.getCause() != c && seen.add(c)) {
            c = c.getCause();
            if (c.getMessage() != null && !problem.contains(c.getMessage())) {
                lines.add("  caused by " + c.getClass().getSimpleName() + ": " + c.getMessage());
            }
        }
        return new CellError("MagicError", problem, lines);
    }

    /**
     * A magic that failed while working (not a usage mistake): the paragraph of {@link #magic} followed by the
     * exception's stack trace, so that the failure can be traced.
     */
    public static CellError magicFailure(String line, Throwable failure) {
        String problem = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
        List<String> lines = new ArrayList<>();
        lines.add("MagicError in `" + line.strip() + "`: " + problem);
        lines.addAll(exception(failure, f -> f.getFileName() + ":" + f.getLineNumber()).traceback());
        return new CellError("MagicError", problem, lines);
    }

    private static int lastUserFrame(StackTraceElement[] frames) {
        int last = -1;
        for (int i = 0; i < frames.length; i++) {
            if (isUserFrame(frames[i])) {
                last = i;
            }
        }
        return last;
    }

    private static boolean isUserFrame(StackTraceElement f) {
        return f.getClassName().startsWith("REPL.") || (f.getFileName() != null && f.getFileName().startsWith("#"));
    }

    private static String describe(StackTraceElement f, Function<StackTraceElement, String> sourceName) {
        if (!isUserFrame(f)) {
            return f.toString();
        }
        String cls = f.getClassName().startsWith("REPL.") ? f.getClassName().substring("REPL.".length()) : f.getClassName();
        // JShell wrapper classes ($JShell$12) are not the user's; nested user classes keep their simple name
        String owner = cls.isEmpty() || cls.matches("\\$JShell\\$\\d+") ? "" : cls.substring(cls.lastIndexOf('$') + 1) + ".";
        String method = f.getMethodName().isEmpty() || f.getMethodName().equals("do_it$") ? "<cell>" : owner + f.getMethodName();
        return method + " (" + sourceName.apply(f) + ")";
    }

    private static String caretPad(String sourceLine, int column) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < column && i < sourceLine.length(); i++) {
            sb.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
        }
        while (sb.length() < column) {
            sb.append(' ');
        }
        return sb.toString();
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

}
