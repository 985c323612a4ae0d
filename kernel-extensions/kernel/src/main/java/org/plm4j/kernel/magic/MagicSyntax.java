package org.plm4j.kernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into Java code and magics: a cell whose first line is {@code %%name args} is a cell magic with
 * the rest of the cell as its body; otherwise every line that starts with {@code %name} is a line magic and the
 * lines between them are Java code. Code parts keep the cell's line numbers (other lines are blanked), so
 * compiler errors point at the right line of the cell.
 */
public final class MagicSyntax {

    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%(?!%)(\\S*)(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%(\\S*)(.*)$");

    private MagicSyntax() {
    }

    /** A part of a cell, in cell order. */
    public sealed interface Part permits Code, LineMagicCall, CellMagicCall {
    }

    /** Java code; {@code source} has the cell's line numbering. */
    public record Code(String source) implements Part {
    }

    /** {@code %name args...} on one line. */
    public record LineMagicCall(String line, String name, List<String> args, int lineNumber) implements Part {
    }

    /** {@code %%name args...} on the first line, and the body below it. */
    public record CellMagicCall(String line, String name, List<String> args, String body) implements Part {
    }

    /** Splits a cell into its parts. */
    public static List<Part> parse(String cell) {
        String[] lines = cell.split("\\R", -1);
        List<Part> parts = new ArrayList<>();
        if (lines.length > 0) {
            Matcher cm = CELL_MAGIC.matcher(lines[0]);
            if (cm.matches()) {
                String body = cell.contains("\n") ? cell.substring(cell.indexOf('\n') + 1) : "";
                parts.add(new CellMagicCall(lines[0], cm.group(1), splitArgs(cm.group(2)), body));
                return parts;
            }
        }
        StringBuilder code = new StringBuilder();
        boolean hasCode = false;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LINE_MAGIC.matcher(lines[i]);
            if (m.matches()) {
                if (hasCode) {
                    parts.add(new Code(code.toString()));
                }
                parts.add(new LineMagicCall(lines[i], m.group(1), splitArgs(m.group(2)), i + 1));
                code.setLength(0);
                code.append("\n".repeat(i + 1));
                hasCode = false;
            } else {
                code.append(lines[i]);
                if (i < lines.length - 1) {
                    code.append('\n');
                }
                hasCode |= !lines[i].isBlank();
            }
        }
        if (hasCode) {
            parts.add(new Code(code.toString()));
        }
        return parts;
    }

    /** Whether the cell contains any magic. */
    public static boolean hasMagic(String cell) {
        return parse(cell).stream().anyMatch(p -> !(p instanceof Code));
    }

    /**
     * Splits magic arguments on blanks; double quotes group words, a backslash escapes the next character.
     *
     * @throws IllegalArgumentException when a quote is not closed
     */
    public static List<String> splitArgs(String args) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inQuotes = false;
        boolean hasToken = false;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\\' && i + 1 < args.length()) {
                current.append(args.charAt(++i));
                hasToken = true;
            } else if (c == '"') {
                inQuotes = !inQuotes;
                hasToken = true;
            } else if (Character.isWhitespace(c) && !inQuotes) {
                if (hasToken) {
                    out.add(current.toString());
                    current.setLength(0);
                    hasToken = false;
                }
            } else {
                current.append(c);
                hasToken = true;
            }
        }
        if (inQuotes) {
            throw new IllegalArgumentException("a double quote is not closed in `" + args.strip() + "`; close it or escape it as \\\"");
        }
        if (hasToken) {
            out.add(current.toString());
        }
        return out;
    }
}
