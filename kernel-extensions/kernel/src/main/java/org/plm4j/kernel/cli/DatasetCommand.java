package org.plm4j.kernel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.google.gson.JsonObject;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.CorpusDataset;
import org.plm4j.datasets.Dataset;
import org.plm4j.datasets.DatasetStore;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.datasets.Manifest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dataset list|build NAME|info NAME|export NAME [--split S] [--format jsonl|csv|txt] [-o FILE]}:
 * prepares the built-in datasets in the cache ({@code --cache DIR}, default {@code $PLM4J_CACHE/datasets}
 * or {@code ~/.cache/plm4j/datasets}) before a class or a Binder session, over the same
 * {@link Datasets} API a notebook calls. Errors (unknown dataset, missing package with its
 * {@code apt-get install} line) are printed on stderr with exit code 1.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Build, inspect and export the built-in datasets (wordnet-glosses, wordnet-supersenses, foldoc, foldoc-topics).",
        subcommands = {DatasetCommand.ListCmd.class, DatasetCommand.BuildCmd.class, DatasetCommand.InfoCmd.class,
                DatasetCommand.ExportCmd.class})
public final class DatasetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the subcommands. */
    abstract static class Common extends Subcommand {
        @Option(names = "--cache", paramLabel = "DIR", description = "dataset cache directory (default: $PLM4J_CACHE/datasets or ~/.cache/plm4j/datasets)")
        Path cache;

        @Override
        String command() {
            return "dataset";
        }

        DatasetStore store() {
            return cache == null ? Datasets.store() : Datasets.store(cache);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in datasets and whether each is built.")
    static final class ListCmd extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            DatasetStore store = store();
            PrintWriter out = out();
            out.printf("%-20s %-15s %-13s %-10s %s%n", "NAME", "KIND", "SOURCE", "CACHED", "DESCRIPTION");
            for (Datasets.Info i : Datasets.list()) {
                String cached = store.cached(i.name()).map(m -> "yes").orElse("no");
                out.printf("%-20s %-15s %-13s %-10s %s%n", i.name(), i.kind(), i.sourcePackage(), cached, i.description());
            }
            out.println("cache: " + store.directory());
            out.flush();
            return 0;
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true, description = "(Re)build datasets from their installed Debian packages into the cache.")
    static final class BuildCmd extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "dataset name(s), or 'all'")
        List<String> names;

        @Override
        public Integer call() {
            DatasetStore store = store();
            List<String> todo = names.contains("all") ? Datasets.NAMES : names;
            long t0 = System.nanoTime();
            try {
                for (String n : todo) {
                    long t = System.nanoTime();
                    Dataset<?> d = store.build(n);
                    out().printf(Locale.ROOT, "%s (%.1f s)%n", d, (System.nanoTime() - t) / 1e9);
                    out().flush();
                }
            } catch (RuntimeException e) {
                return fail(e);
            }
            out().printf(Locale.ROOT, "built %d dataset(s) in %.1f s into %s%n", todo.size(), (System.nanoTime() - t0) / 1e9,
                    store.directory());
            out().flush();
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print a dataset's manifest as JSON (building it first if needed).")
    static final class InfoCmd extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "dataset name")
        String name;

        @Override
        public Integer call() {
            try {
                Manifest m = store().load(name).manifest();
                out().println(m.toJson());
                out().flush();
                return 0;
            } catch (RuntimeException e) {
                return fail(e);
            }
        }
    }

    /** Export formats. */
    enum Format { jsonl, csv, txt }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a dataset's texts (and labels) to a file or stdout.",
                    "For a corpus without --split: exactly the default DAPT/TAPT training text (task evaluation texts excluded).",
                    "For a classification dataset --split defaults to train."})
    static final class ExportCmd extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "dataset name")
        String name;
        @Option(names = "--split", paramLabel = "train|validation|test", description = "which split")
        String split;
        @Option(names = "--format", paramLabel = "jsonl|csv|txt", defaultValue = "jsonl",
                description = "jsonl rows {\"text\", \"label\"}; csv with header text,label; txt one text per line (default: ${DEFAULT-VALUE})")
        Format format;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "output file (default: stdout)")
        Path output;

        @Override
        public Integer call() {
            List<String> texts;
            List<String> labels = null;
            try {
                if (split != null && !List.of("train", "validation", "test").contains(split)) {
                    throw new IllegalArgumentException("unknown split '" + split + "'; use train, validation or test");
                }
                Dataset<?> d = store().load(name);
                if (d instanceof CorpusDataset c) {
                    Corpus corpus = split == null ? c.corpus() : c.split(split);
                    texts = corpus.texts();
                } else {
                    LabeledTexts p = ((LabeledDataset) d).split(split == null ? "train" : split);
                    texts = p.texts();
                    labels = p.labelOfEach();
                }
            } catch (RuntimeException e) {
                return fail(e);
            }
            try {
                if (output == null) {
                    PrintWriter out = out();
                    write(out, texts, labels);
                    out.flush();
                } else {
                    Path parent = output.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
                        write(w, texts, labels);
                    }
                    spec.commandLine().getErr().println("wrote " + texts.size() + " rows to " + output);
                    spec.commandLine().getErr().flush();
                }
                return 0;
            } catch (IOException e) {
                return fail(new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e));
            }
        }

        private void write(PrintWriter w, List<String> texts, List<String> labels) {
            if (format == Format.csv) {
                w.print(labels == null ? "text\n" : "text,label\n");
            }
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                switch (format) {
                    case jsonl -> {
                        JsonObject o = new JsonObject();
                        o.addProperty("text", t);
                        if (labels != null) {
                            o.addProperty("label", labels.get(i));
                        }
                        w.print(o);
                        w.print('\n');
                    }
                    case csv -> {
                        w.print(csv(t));
                        if (labels != null) {
                            w.print(',');
                            w.print(csv(labels.get(i)));
                        }
                        w.print('\n');
                    }
                    case txt -> {
                        w.print(t.replace('\n', ' ').replace('\r', ' '));
                        w.print('\n');
                    }
                }
            }
        }

        private static String csv(String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
                return s;
            }
            return '"' + s.replace("\"", "\"\"") + '"';
        }
    }
}
