package org.plm4j.datasets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.plm4j.corpus.LabeledTexts;

/**
 * A directory of built datasets, one subdirectory per dataset holding {@code manifest.json},
 * {@code train.jsonl}, {@code validation.jsonl}, {@code test.jsonl} (rows {@code {"text":..., "label":...}})
 * and for a corpus {@code training.jsonl} (the default DAPT/TAPT text).
 *
 * <p>{@link #load(String)} reads the cached copy when its recipe version and source package version
 * match and its checksums verify, and otherwise builds from the installed source and writes the
 * cache; {@link #build(String)} always rebuilds. Files are written to a temporary name and moved
 * into place, so an interrupted build leaves no half-written dataset.
 */
public final class DatasetStore {

    private final Path dir;

    DatasetStore(Path dir) {
        this.dir = dir;
    }

    /** The directory holding the datasets. */
    public Path directory() {
        return dir;
    }

    /** The cached manifest of {@code name}, if built. */
    public Optional<Manifest> cached(String name) {
        Datasets.info(name);
        Path m = dir.resolve(name).resolve("manifest.json");
        if (!Files.isRegularFile(m)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Manifest.fromJson(Files.readString(m, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The dataset from the cache if current, otherwise built from source and cached. */
    public Dataset<?> load(String name) {
        Datasets.Info info = Datasets.info(name);
        Manifest.Source source = source(info);
        Optional<Dataset<?>> c = readCache(name, source);
        return c.isPresent() ? c.get() : build(name, source);
    }

    /** Rebuilds {@code name} from its installed source (and, for a corpus, its paired task) and caches it. */
    public Dataset<?> build(String name) {
        Datasets.Info info = Datasets.info(name);
        return build(name, source(info));
    }

    /** {@link #load(String)} for a classification dataset. */
    public LabeledDataset task(String name) {
        Dataset<?> d = load(name);
        if (d instanceof LabeledDataset l) {
            return l;
        }
        throw new IllegalArgumentException("'" + name + "' is a corpus, not a classification dataset; use Datasets.corpus(\""
                + name + "\") or one of " + Datasets.WORDNET_SUPERSENSES + ", " + Datasets.FOLDOC_TOPICS);
    }

    /** {@link #load(String)} for a corpus. */
    public CorpusDataset corpus(String name) {
        Dataset<?> d = load(name);
        if (d instanceof CorpusDataset c) {
            return c;
        }
        throw new IllegalArgumentException("'" + name + "' is a classification dataset, not a corpus; use Datasets.task(\""
                + name + "\") or one of " + Datasets.WORDNET_GLOSSES + ", " + Datasets.FOLDOC);
    }

    private static Manifest.Source source(Datasets.Info info) {
        return info.sourcePackage().equals(Foldoc.PACKAGE) ? Datasets.foldocSource() : Datasets.wordnetSource();
    }

    private Dataset<?> build(String name, Manifest.Source source) {
        Dataset<?> d = switch (name) {
            case Datasets.WORDNET_SUPERSENSES -> Datasets.buildWordnetSupersenses(source);
            case Datasets.FOLDOC_TOPICS -> Datasets.buildFoldocTopics(source);
            case Datasets.WORDNET_GLOSSES -> Datasets.buildWordnetGlosses(source, task(Datasets.WORDNET_SUPERSENSES));
            case Datasets.FOLDOC -> Datasets.buildFoldoc(source, task(Datasets.FOLDOC_TOPICS));
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'");
        };
        write(d);
        return d;
    }

    private void write(Dataset<?> d) {
        Path target = dir.resolve(d.name());
        Path tmp = dir.resolve("." + d.name() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(tmp);
            if (d instanceof LabeledDataset l) {
                for (String s : Splitter.SPLITS) {
                    LabeledTexts p = l.split(s);
                    writeJsonl(tmp.resolve(s + ".jsonl"), p.texts(), p.labelOfEach(), null);
                }
            } else if (d instanceof CorpusDataset c) {
                writeJsonl(tmp.resolve("train.jsonl"), c.train().texts(), null, c.trainKeys());
                writeJsonl(tmp.resolve("validation.jsonl"), c.validation().texts(), null, null);
                writeJsonl(tmp.resolve("test.jsonl"), c.test().texts(), null, null);
                writeJsonl(tmp.resolve("training.jsonl"), c.corpus().texts(), null, null);
            }
            Files.writeString(tmp.resolve("manifest.json"), d.manifest().toJson() + "\n", StandardCharsets.UTF_8);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dataset '" + d.name() + "' to " + target.toAbsolutePath()
                    + "; set -D" + Datasets.CACHE_PROPERTY + "=DIR or $" + Datasets.CACHE_ENV + " to a writable directory", e);
        }
    }

    private static void writeJsonl(Path file, List<String> texts, List<String> labels, List<String> keys) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < texts.size(); i++) {
                JsonObject o = new JsonObject();
                o.addProperty("text", texts.get(i));
                if (labels != null) {
                    o.addProperty("label", labels.get(i));
                }
                if (keys != null) {
                    o.addProperty("key", keys.get(i));
                }
                w.write(o.toString());
                w.write('\n');
            }
        }
    }

    private Optional<Dataset<?>> readCache(String name, Manifest.Source source) {
        Optional<Manifest> om = cached(name);
        if (om.isEmpty()) {
            return Optional.empty();
        }
        Manifest m = om.get();
        if (m.recipeVersion() != Datasets.RECIPE_VERSION || m.source() == null
                || !source.version().equals(m.source().version())) {
            return Optional.empty();
        }
        Path d = dir.resolve(name);
        try {
            if ("classification".equals(m.kind())) {
                LabeledTexts[] parts = new LabeledTexts[3];
                for (int s = 0; s < 3; s++) {
                    String split = Splitter.SPLITS.get(s);
                    List<String> t = new ArrayList<>();
                    List<String> l = new ArrayList<>();
                    readJsonl(d.resolve(split + ".jsonl"), t, l, "label");
                    if (!Splitter.sha256(t, l).equals(m.splits().get(split).sha256())) {
                        return Optional.empty();
                    }
                    parts[s] = LabeledTexts.of(name + "-" + split, t, l);
                }
                return Optional.of(new LabeledDataset(name, parts[0], parts[1], parts[2], m));
            }
            List<List<String>> t = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                List<String> texts = new ArrayList<>();
                readJsonl(d.resolve(Splitter.SPLITS.get(s) + ".jsonl"), texts, s == 0 ? keys : new ArrayList<>(), "key");
                if (!Splitter.sha256(texts, null).equals(m.splits().get(Splitter.SPLITS.get(s)).sha256())) {
                    return Optional.empty();
                }
                t.add(texts);
            }
            List<String> training = new ArrayList<>();
            readJsonl(d.resolve("training.jsonl"), training, new ArrayList<>(), "key");
            if (!org.plm4j.corpus.Corpus.of(name, training).sha256().equals(m.training().sha256())) {
                return Optional.empty();
            }
            return Optional.of(CorpusDataset.restore(m, t.get(0), keys, t.get(1), t.get(2), training));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void readJsonl(Path file, List<String> texts, List<String> second, String field) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            texts.add(o.get("text").getAsString());
            if (o.has(field)) {
                second.add(o.get(field).getAsString());
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
