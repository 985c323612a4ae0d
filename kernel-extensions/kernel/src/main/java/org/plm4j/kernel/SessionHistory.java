package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cells of this kernel session for history_request (tail, range, search), as IPython answers them: entries
 * in execution order, {@code search} with a glob pattern ({@code *}, {@code ?}, {@code [abc]}) that must match
 * the whole input, {@code n} keeping the latest matches. Only the running session is kept (in memory), as
 * session {@link #SESSION}; a range of another session is empty. The output of a cell is the text/plain of its
 * result (empty when it had none). Thread-safe.
 */
final class SessionHistory implements HistoryManager {

    /** The number this session has in replies. */
    static final int SESSION = 1;

    private record Cell(int line, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    /** Records an executed cell. */
    synchronized void add(int executionCount, String input, String output) {
        cells.add(new Cell(executionCount, input, output == null ? "" : output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = length <= 0 ? 0 : Math.max(0, cells.size() - length);
        return entries(cells.subList(from, cells.size()), flags);
    }

    /** Cells with {@code start <= line < stop} of the session (0 or {@link #SESSION}: this one); stop 0 means to the end. */
    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        return entries(cells.stream().filter(c -> c.line() >= start && (stop <= 0 || c.line() < stop)).toList(), flags);
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern glob = glob(pattern == null || pattern.isEmpty() ? "*" : pattern);
        List<Cell> matches = cells.stream().filter(c -> glob.matcher(c.input()).matches()).toList();
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, Cell> latest = new LinkedHashMap<>();
            for (Cell c : matches) {
                latest.remove(c.input());
                latest.put(c.input(), c);
            }
            matches = List.copyOf(latest.values());
        }
        int from = length <= 0 ? 0 : Math.max(0, matches.size() - length);
        return entries(matches.subList(from, matches.size()), flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        return cells.stream().map(c -> new HistoryEntry(SESSION, c.line(), c.input(), output ? c.output() : null)).toList();
    }

    /** A glob as SQLite's GLOB (which IPython's history search uses) reads it. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else if (ch == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                String body = glob.substring(i + 1, end);
                boolean negate = body.startsWith("^");
                re.append(negate ? "[^" : "[");
                for (char b : (negate ? body.substring(1) : body).toCharArray()) {
                    re.append(b == '-' || Character.isLetterOrDigit(b) ? String.valueOf(b) : "\\" + b);
                }
                re.append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
