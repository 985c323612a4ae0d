package org.plm4j.extension.magic;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.plm4j.datasets.CorpusDataset;
import org.plm4j.datasets.Dataset;
import org.plm4j.datasets.DatasetStore;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.extension.session.Session;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code %dataset list | info NAME | build NAME | load NAME [--as VAR]}: the built-in datasets
 * from a notebook line. A thin parser over {@link Datasets}: {@code list} shows a table,
 * {@code info} the manifest as JSON, {@code build} rebuilds from the installed package, and
 * {@code load} shows the dataset's summary (class distribution chart) and binds it with
 * {@code --as} (a {@link LabeledDataset} or a {@link CorpusDataset}).
 */
public final class DatasetMagic implements LineMagic<Void, BaseKernel> {

    static final MagicOptions OPTIONS = MagicOptions.builder("dataset",
                    "the built-in datasets. Usage: %dataset list | info NAME | build NAME | load NAME [--as VAR]\n"
                            + "Datasets: " + String.join(", ", Datasets.NAMES))
            .option("as", "VAR", null, "load/build: bind the dataset (LabeledDataset or CorpusDataset) to this variable")
            .option("cache", "DIR", null, "dataset cache directory (default $PLM4J_CACHE/datasets or ~/.cache/plm4j/datasets)")
            .javaCall("""
                    Datasets.list();                                   // list
                    Datasets.load("foldoc-topics").manifest().toJson(); // info
                    Datasets.store().build("foldoc-topics");            // build
                    LabeledDataset task = Datasets.task("foldoc-topics");   // load (train/validation/test)
                    CorpusDataset foldoc = Datasets.corpus("foldoc");       // DAPT text: foldoc.corpus(), task evaluation texts excluded""")
            .build();

    private static final List<String> ACTIONS = List.of("list", "info", "build", "load");

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty() || args.contains("--help")) {
            kernel.display(new DisplayData(OPTIONS.help()));
            return null;
        }
        String action = args.get(0);
        if (!ACTIONS.contains(action)) {
            throw new MagicUsageException("%dataset: unknown action '" + action + "'; use one of " + String.join(", ", ACTIONS)
                    + ". Type %dataset --help for the options.");
        }
        int rest = 1;
        String name = null;
        if (!action.equals("list")) {
            if (args.size() < 2 || args.get(1).startsWith("--")) {
                throw new MagicUsageException("%dataset " + action + " needs a dataset name: one of " + String.join(", ", Datasets.NAMES));
            }
            name = args.get(1);
            rest = 2;
        }
        MagicOptions.Parsed p = OPTIONS.parse(args.subList(rest, args.size()));
        String cache = p.string("cache");
        DatasetStore store = cache == null ? Datasets.store() : Datasets.store(java.nio.file.Path.of(cache));
        switch (action) {
            case "list" -> kernel.display(kernel.getRenderer().render(listTable(store)));
            case "info" -> kernel.display(new DisplayData(store.load(name).manifest().toJson()));
            default -> {
                Dataset<?> d = action.equals("build") ? store.build(name) : store.load(name);
                kernel.display(kernel.getRenderer().render(d));
                String as = p.identifier("as");
                if (as != null) {
                    new Session(kernel).bind(as, d, d instanceof LabeledDataset ? LabeledDataset.class : CorpusDataset.class);
                }
            }
        }
        return null;
    }

    static Table listTable(DatasetStore store) {
        StringColumn name = StringColumn.create("name");
        StringColumn kind = StringColumn.create("kind");
        StringColumn source = StringColumn.create("source");
        StringColumn cached = StringColumn.create("cached");
        StringColumn description = StringColumn.create("description");
        for (Datasets.Info i : Datasets.list()) {
            name.append(i.name());
            kind.append(i.kind());
            source.append(i.sourcePackage());
            cached.append(store.cached(i.name()).isPresent() ? "yes" : "no");
            description.append(i.description());
        }
        return Table.create("datasets in " + store.directory(), name, kind, source, cached, description);
    }
}
