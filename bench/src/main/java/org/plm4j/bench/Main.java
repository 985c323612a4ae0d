package org.plm4j.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * {@code ./plm4j bench NAME [ARGS]}: finds the benchmark named NAME (registered through
 * {@code META-INF/services/org.plm4j.bench.Benchmark}), runs it, and prints {@code speedup NAME X} last.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<Benchmark> all = ServiceLoader.load(Benchmark.class).stream().map(ServiceLoader.Provider::get).toList();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("list")) {
            System.out.println("usage: ./plm4j bench NAME [ARGS]\n\nbenchmarks:");
            System.out.println("  kernel        kernel start and `1 + 1` round trip vs. ipykernel (jupyter_client)");
            all.forEach(b -> System.out.printf(Locale.ROOT, "  %-13s %s%n", b.name(), b.description()));
            return;
        }
        Benchmark b = all.stream().filter(x -> x.name().equals(args[0])).findFirst().orElse(null);
        if (b == null) {
            System.err.println("unknown benchmark '" + args[0] + "'; available: kernel"
                    + all.stream().map(x -> ", " + x.name()).reduce("", String::concat));
            System.exit(2);
        }
        double speedup = b.run(Arrays.copyOfRange(args, 1, args.length));
        System.out.printf(Locale.ROOT, "speedup %s %.2f%n", b.name(), speedup);
    }
}
