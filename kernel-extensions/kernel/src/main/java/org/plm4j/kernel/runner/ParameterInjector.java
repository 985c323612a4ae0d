package org.plm4j.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.plm4j.kernel.magic.LoadMagic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Papermill-style parameters: {@code -p name=value} values are written as Java assignments into a new cell
 * tagged {@code injected-parameters}, right after the cell tagged {@code parameters} (or first, when there is
 * none). A value is typed by its literal: int, long, double, boolean, else a String. A parameter declared in the
 * parameters cell is assigned (keeping the declared type; a String declaration always gets a String literal),
 * any other is declared with {@code var}.
 */
public final class ParameterInjector {

    public static final String PARAMETERS_TAG = "parameters";
    public static final String INJECTED_TAG = "injected-parameters";

    private static final Pattern INT = Pattern.compile("[-+]?\\d+");
    private static final Pattern DOUBLE = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");

    private ParameterInjector() {
    }

    /** Parses {@code name=value}; the name must be a Java identifier. */
    public static Map.Entry<String, String> parse(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("parameter `" + assignment + "` is not name=value, e.g. -p epochs=3");
        }
        String name = assignment.substring(0, eq).strip();
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("parameter name `" + name + "` is not a Java identifier");
        }
        return Map.entry(name, assignment.substring(eq + 1));
    }

    /** The Java literal for a value: int, long (L suffix), double, boolean, else a quoted String. */
    public static String literal(String value) {
        String v = value.strip();
        if (INT.matcher(v).matches()) {
            try {
                Integer.parseInt(v);
                return v;
            } catch (NumberFormatException tooBig) {
                try {
                    Long.parseLong(v);
                    return v + "L";
                } catch (NumberFormatException evenBigger) {
                    return quote(value);
                }
            }
        }
        if (DOUBLE.matcher(v).matches()) {
            return v.contains(".") || v.contains("e") || v.contains("E") ? v : v + ".0";
        }
        if (v.equals("true") || v.equals("false")) {
            return v;
        }
        return quote(value);
    }

    /** A Java string literal for {@code s}. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * The code of the injected cell.
     *
     * @param parametersSource the source of the parameters cell ("" when there is none)
     * @param values           parameter names and raw values, in order
     */
    public static String injectionCode(String parametersSource, Map<String, String> values) {
        StringBuilder sb = new StringBuilder("// Injected parameters\n");
        for (Map.Entry<String, String> e : values.entrySet()) {
            String declared = declaredType(parametersSource, e.getKey());
            String literal = declared != null && (declared.equals("String") || declared.equals("java.lang.String"))
                    ? quote(e.getValue()) : literal(e.getValue());
            if (declared != null && (declared.equals("float") || declared.equals("Float")) && !literal.startsWith("\"")) {
                literal = literal.replace("L", "") + "f";
            }
            // a re-declaration with the declared type (not a bare assignment, whose value the kernel would
            // display as a result of the injected cell, unlike papermill's)
            sb.append(declared != null ? declared + " " : "var ").append(e.getKey()).append(" = ").append(literal).append(";\n");
        }
        return sb.toString();
    }

    /** The type in a declaration {@code Type name = ...} in {@code source}, or null. */
    static String declaredType(String source, String name) {
        Matcher m = Pattern.compile("(?m)(?:^|[;{]\\s*)(?:final\\s+)?([\\w.$]+(?:<[^=;]*>)?(?:\\[\\])*)\\s+" + Pattern.quote(name) + "\\s*=").matcher(source);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Inserts the injected-parameters cell into a notebook (replacing one from an earlier run).
     *
     * @return the index of the injected cell
     */
    public static int inject(JsonObject notebook, Map<String, String> values) {
        JsonArray cells = notebook.getAsJsonArray("cells");
        for (int i = cells.size() - 1; i >= 0; i--) {
            if (hasTag(cells.get(i).getAsJsonObject(), INJECTED_TAG)) {
                cells.remove(i);
            }
        }
        int paramsIndex = -1;
        for (int i = 0; i < cells.size(); i++) {
            if (hasTag(cells.get(i).getAsJsonObject(), PARAMETERS_TAG)) {
                paramsIndex = i;
                break;
            }
        }
        String paramsSource = paramsIndex >= 0 ? LoadMagic.sourceOf(cells.get(paramsIndex).getAsJsonObject()) : "";
        if (paramsIndex < 0) {
            System.err.println("warning: no cell is tagged `parameters`; the parameters are injected before the first cell");
        }
        JsonObject cell = new JsonObject();
        cell.addProperty("cell_type", "code");
        if (notebook.has("nbformat_minor") && notebook.get("nbformat_minor").getAsInt() >= 5) {
            cell.addProperty("id", "injected-parameters-" + Integer.toHexString(values.hashCode()));
        }
        cell.add("execution_count", null);
        JsonObject meta = new JsonObject();
        JsonArray tags = new JsonArray();
        tags.add(INJECTED_TAG);
        meta.add("tags", tags);
        cell.add("metadata", meta);
        cell.add("outputs", new JsonArray());
        cell.addProperty("source", injectionCode(paramsSource, new LinkedHashMap<>(values)));
        int at = paramsIndex + 1;
        JsonArray rebuilt = new JsonArray();
        for (int i = 0; i < cells.size(); i++) {
            if (i == at) {
                rebuilt.add(cell);
            }
            rebuilt.add(cells.get(i));
        }
        if (at >= cells.size()) {
            rebuilt.add(cell);
        }
        notebook.add("cells", rebuilt);
        return at;
    }

    static boolean hasTag(JsonObject cell, String tag) {
        JsonObject meta = cell.has("metadata") && cell.get("metadata").isJsonObject() ? cell.getAsJsonObject("metadata") : null;
        if (meta == null || !meta.has("tags") || !meta.get("tags").isJsonArray()) {
            return false;
        }
        for (JsonElement t : meta.getAsJsonArray("tags")) {
            if (t.equals(new JsonPrimitive(tag))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(Character::isJavaIdentifierPart);
    }
}
