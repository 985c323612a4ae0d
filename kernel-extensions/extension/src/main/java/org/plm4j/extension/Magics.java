package org.plm4j.extension;

import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.plm4j.extension.magic.BacktranslateMagic;
import org.plm4j.extension.magic.DatasetMagic;
import org.plm4j.extension.magic.EmbedMagic;
import org.plm4j.extension.magic.EvaluateMagic;
import org.plm4j.extension.magic.FinetuneMagic;
import org.plm4j.extension.magic.PcaMagic;
import org.plm4j.extension.magic.PretrainMagic;
import org.plm4j.extension.magic.TokenizerMagic;

/** All of plm4j's magics, wired in one place. */
final class Magics {

    private Magics() {
    }

    static void registerAll(MagicsRegistry registry) {
        registry.registerLineMagic("pretrain", new PretrainMagic());
        registry.registerLineMagic("pca", new PcaMagic());
        registry.registerLineMagic("dataset", new DatasetMagic());
        registry.registerLineMagic("tokenizer", new TokenizerMagic());
        registry.registerLineMagic("finetune", new FinetuneMagic());
        registry.registerLineMagic("evaluate", new EvaluateMagic());
        registry.registerLineMagic("backtranslate", new BacktranslateMagic());
        registry.registerLineMagic("embed", new EmbedMagic());
    }
}
