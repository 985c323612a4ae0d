package org.plm4j.extension.magic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

/**
 * The one list of plm4j's magics: registration with a kernel, the names, and each one's
 * {@code --help} come from here.
 */
public final class MagicCatalog {

    private record Entry(MagicOptions options, LineMagic<Void, BaseKernel> magic) {}

    private static final Map<String, Entry> MAGICS = new LinkedHashMap<>();

    static {
        for (OptionsMagic m : List.of(new PretrainMagic(), new TokenizerMagic(), new PcaMagic(), new BacktranslateMagic(),
                new FineTuneMagic(), new EvaluateMagic(), new EmbedMagic(), new ProbeMagic())) {
            MAGICS.put(m.name(), new Entry(m.options(), m));
        }
        // %dataset has sub-commands (list, info, build, load) before its options
        MAGICS.put(DatasetMagic.OPTIONS.name(), new Entry(DatasetMagic.OPTIONS, new DatasetMagic()));
    }

    private MagicCatalog() {
    }

    /** The names, without {@code %}, in the order the help lists them. */
    public static List<String> names() {
        return List.copyOf(MAGICS.keySet());
    }

    /** Registers every magic as a line magic. */
    public static void registerAll(MagicsRegistry registry) {
        MAGICS.forEach((name, e) -> registry.registerLineMagic(name, e.magic()));
    }

    /**
     * The {@code --help} text of {@code %name}, with the Java call the magic stands for.
     *
     * @throws IllegalArgumentException naming the magics when there is no such one
     */
    public static String help(String name) {
        Entry m = MAGICS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no plm4j magic %" + name + "; plm4j magics: %"
                    + String.join(", %", MAGICS.keySet()));
        }
        return m.options().help();
    }

    /** The Java call shown by {@code %name --help}. */
    public static String javaCall(String name) {
        help(name);
        return MAGICS.get(name).options().javaCall();
    }
}
