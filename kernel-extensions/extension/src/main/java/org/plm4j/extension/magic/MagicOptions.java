package org.plm4j.extension.magic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The declared argument schema of one magic: its options (each with a default taken from the
 * lib's config defaults, never written twice), flags, and the Java call it stands for. Parsing
 * accepts {@code --name value} and {@code --name=value}; anything else is a
 * {@link MagicUsageException} that says what was wrong and points at {@code --help}.
 *
 * <p>jjava-jupyter's own {@code MagicsArgs} parses into untyped lists and has no help text;
 * a magic here must print the equivalent Java call in its help and give typed errors, hence
 * this small class.
 */
public final class MagicOptions {

    private record Option(String name, String valueName, String defaultValue, String help, boolean flag) {
    }

    private final String magic;
    private final String summary;
    private final String javaCall;
    private final Map<String, Option> options;
    private final List<String> order;

    private MagicOptions(Builder b) {
        this.magic = b.magic;
        this.summary = b.summary;
        this.javaCall = b.javaCall;
        this.options = Map.copyOf(b.options);
        this.order = List.copyOf(b.options.keySet());
    }

    /** The magic's name, without {@code %}. */
    public String name() {
        return magic;
    }

    /** The Java the magic stands for, as its help shows it. */
    public String javaCall() {
        return javaCall;
    }

    /** Starts the schema of magic {@code %name}. */
    public static Builder builder(String name, String summary) {
        return new Builder(name, summary);
    }

    /** Builder: {@code option}/{@code flag} add entries, {@code javaCall} sets the help's Java equivalent. */
    public static final class Builder {
        private final String magic;
        private final String summary;
        private String javaCall = "";
        private final Map<String, Option> options = new LinkedHashMap<>();

        private Builder(String magic, String summary) {
            this.magic = Objects.requireNonNull(magic);
            this.summary = Objects.requireNonNull(summary);
        }

        /** An option {@code --name VALUE}; {@code defaultValue} null means "required or absent". */
        public Builder option(String name, String valueName, Object defaultValue, String help) {
            options.put(name, new Option(name, valueName, defaultValue == null ? null : String.valueOf(defaultValue), help, false));
            return this;
        }

        /** A flag {@code --name} without value. */
        public Builder flag(String name, String help) {
            options.put(name, new Option(name, null, null, help, true));
            return this;
        }

        /** The Java code this magic runs, shown by {@code --help}. */
        public Builder javaCall(String code) {
            this.javaCall = code;
            return this;
        }

        public MagicOptions build() {
            options.putIfAbsent("help", new Option("help", null, null, "show this help", true));
            return new MagicOptions(this);
        }
    }

    /** Parses the magic's arguments. */
    public Parsed parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw usage("unexpected argument '" + a + "': options are written --name value");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = options.get(name);
            if (o == null) {
                throw usage("unknown option --" + name + "; known options: " + String.join(", ", order.stream().map(s -> "--" + s).toList()));
            }
            if (o.flag()) {
                if (value != null) {
                    throw usage("--" + name + " is a flag and takes no value (found '" + value + "')");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw usage("--" + name + " needs a value (" + o.valueName() + ")");
                }
                value = args.get(++i);
            }
            values.put(name, value);
        }
        return new Parsed(values);
    }

    private MagicUsageException usage(String what) {
        return new MagicUsageException("%" + magic + ": " + what + ". Type %" + magic + " --help for the options.");
    }

    /** The help text: summary, options with defaults, and the equivalent Java call. */
    public String help() {
        StringBuilder b = new StringBuilder("%").append(magic).append(" — ").append(summary).append("\n\nOptions:\n");
        for (String n : order) {
            Option o = options.get(n);
            String left = "  --" + n + (o.flag() ? "" : " " + o.valueName());
            b.append(String.format(Locale.ROOT, "%-28s %s", left, o.help()));
            if (o.defaultValue() != null) {
                b.append(" (default ").append(o.defaultValue()).append(')');
            }
            b.append('\n');
        }
        if (!javaCall.isEmpty()) {
            b.append("\nThe same from Java:\n").append(javaCall.strip().indent(4));
        }
        return b.toString();
    }

    /** Parsed values, typed on access, with the declared defaults. */
    public final class Parsed {
        private final Map<String, String> values;

        private Parsed(Map<String, String> values) {
            this.values = values;
        }

        public boolean has(String name) {
            return values.containsKey(name);
        }

        public boolean flag(String name) {
            return "true".equals(values.get(name));
        }

        /** The value given or the declared default; {@code null} when neither. */
        public String string(String name) {
            String v = values.get(name);
            if (v != null) {
                return v;
            }
            Option o = options.get(name);
            if (o == null) {
                throw new IllegalArgumentException("option --" + name + " is not declared for %" + magic);
            }
            return o.defaultValue();
        }

        public String required(String name) {
            String v = string(name);
            if (v == null) {
                throw usage("--" + name + " is required");
            }
            return v;
        }

        public int integer(String name) {
            long v = longValue(name);
            if (v != (int) v) {
                throw usage("--" + name + " is too large: " + v);
            }
            return (int) v;
        }

        public long longValue(String name) {
            String v = required(name);
            try {
                return Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw usage("--" + name + " expects an integer, got '" + v + "'");
            }
        }

        public double real(String name) {
            String v = required(name);
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw usage("--" + name + " expects a number, got '" + v + "'");
            }
        }

        /** A Java identifier for {@code --as}-style options, validated. */
        public String identifier(String name) {
            String v = string(name);
            if (v != null && !(javax.lang.model.SourceVersion.isIdentifier(v) && !javax.lang.model.SourceVersion.isKeyword(v))) {
                throw usage("--" + name + " must be a Java variable name, got '" + v + "'");
            }
            return v;
        }

        /** Fails with a usage error; for magic-specific checks. */
        public MagicUsageException error(String what) {
            return usage(what);
        }
    }

    /** Exposed for the magic's own messages. */
    public List<String> optionNames() {
        return new ArrayList<>(order);
    }
}
