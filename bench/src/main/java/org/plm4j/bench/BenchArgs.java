package org.plm4j.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Integer options {@code --name N} of a benchmark's command line, with one usage line for every
 * mistake (an unknown name, a missing or non-integer value).
 */
public final class BenchArgs {

    private final Map<String, Integer> values = new HashMap<>();

    private BenchArgs() {
    }

    /**
     * Parses {@code args} as {@code --name N} pairs, each name one of {@code names}.
     *
     * @param usage the command line to show on a mistake, e.g. {@code ./plm4j bench embed [--texts N]}
     * @throws IllegalArgumentException naming the mistake and the usage
     */
    public static BenchArgs parse(String[] args, String usage, String... names) {
        BenchArgs a = new BenchArgs();
        List<String> known = List.of(names);
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; usage: " + usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value; usage: " + usage);
            }
            try {
                a.values.put(name, Integer.parseInt(args[i + 1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " takes a whole number, got '" + args[i + 1] + "'; usage: " + usage);
            }
        }
        return a;
    }

    /** The value given for {@code --name}, else {@code fallback}. */
    public int get(String name, int fallback) {
        return values.getOrDefault(name, fallback);
    }
}
