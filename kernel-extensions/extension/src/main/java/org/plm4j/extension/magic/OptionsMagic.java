package org.plm4j.extension.magic;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.plm4j.extension.session.Session;

/**
 * A plm4j line magic described by {@link MagicOptions}: parsing, {@code --help} (shown with the
 * equivalent Java call) and the session view happen here once; a magic only says what its parsed
 * line does.
 */
abstract class OptionsMagic implements LineMagic<Void, BaseKernel> {

    private final MagicOptions options;

    OptionsMagic(MagicOptions options) {
        this.options = options;
    }

    @Override
    public final Void eval(BaseKernel kernel, List<String> args) {
        MagicOptions.Parsed p = options.parse(args);
        if (p.flag("help")) {
            kernel.display(new DisplayData(options.help()));
        } else {
            run(kernel, new Session(kernel), p);
        }
        return null;
    }

    /** The magic's name, without {@code %}. */
    final String name() {
        return options.name();
    }

    /** The magic's option schema (help text and Java call). */
    final MagicOptions options() {
        return options;
    }

    /** Carries out a parsed line (never a {@code --help} one). */
    abstract void run(BaseKernel kernel, Session session, MagicOptions.Parsed p);
}
