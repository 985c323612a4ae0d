package org.plm4j.extension.magic;

import java.nio.file.Path;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.corpus.Corpus;
import org.plm4j.extension.session.Session;
import org.plm4j.tokenizer.BpeTokenizer;
import org.plm4j.tokenizer.BpeTrainer;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;
import org.plm4j.datasets.WordNet;

/**
 * {@code %tokenizer}: trains a WordPiece or BPE vocabulary from a notebook line, shows its size,
 * training time and a sample, saves {@code tokenizer.json} with {@code --out} and binds the
 * tokenizer with {@code --as}. A thin parser over {@link WordPieceTrainer#train} / {@link BpeTrainer#train}.
 */
public final class TokenizerMagic extends OptionsMagic {

    private static final WordPieceConfig DEFAULTS = WordPieceConfig.defaults();

    static final MagicOptions OPTIONS = MagicOptions.builder("tokenizer", "train a WordPiece or BPE vocabulary")
            .option("corpus", "NAME|PATH|VAR", WordNet.CORPUS_NAME,
                    "a Corpus/LabeledTexts variable, the dataset wordnet-glosses, or a text file (one document per line)")
            .option("type", "wordpiece|bpe", "wordpiece", "the subword model")
            .option("vocab", "N", DEFAULTS.vocabSize(), "vocabulary size")
            .option("min-frequency", "N", DEFAULTS.minFrequency(), "minimum pair frequency for a merge")
            .flag("cased", "keep upper case (default: lower-case)")
            .flag("keep-accents", "keep accents (default: strip them)")
            .option("sample", "TEXT", "The quick brown fox jumps over the lazy dog.", "text to show tokenised")
            .option("out", "DIR", null, "write tokenizer.json here")
            .option("as", "NAME", null, "bind the tokenizer to this variable")
            .javaCall("""
                    Corpus corpus = WordNet.load().corpus();            // or Corpora.lines(Path.of(file))
                    WordPieceConfig config = WordPieceConfig.builder().optVocabSize(vocab).optMinFrequency(minFrequency)
                            .optLowercase(!cased).optStripAccents(!keepAccents).build();
                    WordPieceTokenizer tokenizer = WordPieceTrainer.train(corpus, config);   // --type wordpiece
                    BpeTokenizer bpe = BpeTrainer.train(corpus, config);                      // --type bpe
                    tokenizer.save(Path.of(out));                                             // --out DIR""")
            .build();

    public TokenizerMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        String as = p.identifier("as");
        WordPieceConfig config;
        try {
            config = WordPieceConfig.builder().optVocabSize(p.integer("vocab")).optMinFrequency(p.integer("min-frequency"))
                    .optLowercase(!p.flag("cased")).optStripAccents(!p.flag("keep-accents")).build();
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        Corpus corpus = new SessionResolver(session, "tokenizer").corpus(p.string("corpus"));
        String type = p.required("type");
        long t0 = System.nanoTime();
        Tokenizer tokenizer;
        Class<?> bindAs;
        switch (type) {
            case "wordpiece" -> {
                WordPieceTokenizer t = WordPieceTrainer.train(corpus, config);
                if (p.string("out") != null) {
                    t.save(Path.of(p.string("out")));
                }
                tokenizer = t;
                bindAs = WordPieceTokenizer.class;
            }
            case "bpe" -> {
                BpeTokenizer t = BpeTrainer.train(corpus, config);
                if (p.string("out") != null) {
                    t.save(Path.of(p.string("out")));
                }
                tokenizer = t;
                bindAs = BpeTokenizer.class;
            }
            default -> throw p.error("--type must be wordpiece or bpe, got '" + type + "'");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String sample = p.string("sample");
        System.out.printf("trained %s on %s (%d texts) in %.1f s%n%s -> %s%n", tokenizer, corpus.name(), corpus.size(),
                secs, sample, tokenizer.tokenize(sample));
        if (p.string("out") != null) {
            System.out.println("saved " + Path.of(p.string("out")).resolve("tokenizer.json").toAbsolutePath());
        }
        if (as != null) {
            session.bind(as, tokenizer, bindAs);
        }
    }
}
