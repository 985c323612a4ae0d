package org.plm4j.extension.magic;

/** The help text of each plm4j magic, for documentation and tests. */
public final class MagicHelp {

    private MagicHelp() {
    }

    /** The {@code --help} text of magic {@code %name}. */
    public static String of(String name) {
        return switch (name) {
            case "pretrain" -> PretrainMagic.OPTIONS.help();
            case "pca" -> PcaMagic.OPTIONS.help();
            case "tokenizer" -> TokenizerMagic.OPTIONS.help();
            case "dataset" -> DatasetMagic.OPTIONS.help();
            case "backtranslate" -> BacktranslateMagic.OPTIONS.help();
            case "finetune" -> FinetuneMagic.OPTIONS.help();
            case "evaluate" -> EvaluateMagic.OPTIONS.help();
            case "embed" -> EmbedMagic.OPTIONS.help();
            default -> throw new IllegalArgumentException("no plm4j magic %" + name
                    + "; plm4j magics: %pretrain, %tokenizer, %dataset, %pca, %backtranslate, %finetune, %evaluate, %embed");
        };
    }
}
