package org.plm4j.extension.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.plm4j.corpus.Corpora;
import org.plm4j.corpus.Corpus;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.datasets.WordNet;
import org.plm4j.extension.session.Session;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * The one place where the names a magic line uses become objects: session variables, dataset
 * and task names, text files and checkpoint directories. Every magic resolves through it, so a
 * name means the same in {@code %pretrain}, {@code %tokenizer}, {@code %finetune} and
 * {@code %evaluate}, and an unknown name gets the same kind of message everywhere.
 */
final class SessionResolver {

    private static final List<String> TASKS = List.of(Datasets.FOLDOC_TOPICS, Datasets.WORDNET_SUPERSENSES);

    private final Session session;
    private final String magic;

    SessionResolver(Session session, String magic) {
        this.session = session;
        this.magic = "%" + magic;
    }

    /** A Corpus or LabeledTexts variable, the dataset wordnet-glosses, or a text file (one document per line). */
    Corpus corpus(String spec) {
        var v = session.variable(spec);
        if (v.isPresent()) {
            if (v.get() instanceof Corpus c) {
                return c;
            }
            if (v.get() instanceof LabeledTexts t) {
                return t.corpus();
            }
            throw new MagicUsageException(magic + ": --corpus " + spec + " holds a " + v.get().getClass().getName()
                    + "; pass a Corpus or LabeledTexts variable, the dataset " + WordNet.CORPUS_NAME
                    + ", or a text file");
        }
        if (WordNet.CORPUS_NAME.equals(spec)) {
            return WordNet.load().corpus();
        }
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return Corpora.lines(file);
        }
        throw new MagicUsageException(magic + ": --corpus " + spec + " is neither a variable of this session, nor the "
                + "dataset " + WordNet.CORPUS_NAME + ", nor a file (looked for " + file.toAbsolutePath() + ")");
    }

    /** Texts to score: a Corpus or LabeledTexts variable, or a task name (its test split). */
    List<String> texts(String spec) {
        var v = session.variable(spec);
        if (v.isPresent() && v.get() instanceof Corpus c) {
            return c.texts();
        }
        if (v.isPresent() && v.get() instanceof LabeledTexts t) {
            return t.texts();
        }
        if (v.isPresent()) {
            throw new MagicUsageException(magic + ": --corpus " + spec + " holds a " + v.get().getClass().getName()
                    + "; pass a Corpus or LabeledTexts");
        }
        if (TASKS.contains(spec)) {
            return Datasets.task(spec).test().texts();
        }
        throw new MagicUsageException(magic + ": --corpus " + spec + " is neither a Corpus/LabeledTexts variable nor a "
                + "task name (" + String.join(", ", TASKS) + ")");
    }

    /** A LabeledDataset variable or a task name. */
    LabeledDataset dataset(String spec) {
        var v = session.variable(spec);
        if (v.isPresent()) {
            if (v.get() instanceof LabeledDataset d) {
                return d;
            }
            throw new MagicUsageException(magic + ": --dataset " + spec + " holds a " + v.get().getClass().getName()
                    + "; pass a LabeledDataset variable or a task name (" + String.join(", ", TASKS) + ")");
        }
        if (!TASKS.contains(spec)) {
            throw new MagicUsageException(magic + ": --dataset " + spec + " is neither a LabeledDataset variable nor a"
                    + " task; use " + String.join(" or ", TASKS) + " (or LabeledDataset.of(texts) in a cell)");
        }
        return Datasets.task(spec);
    }

    /** The tokenizer variable {@code var}, or null when {@code var} is null or not defined yet. */
    Tokenizer tokenizerIfDefined(String var) {
        return var == null ? null : session.variable(var, Tokenizer.class, "--tokenizer").orElse(null);
    }

    /** The required tokenizer variable {@code var}. */
    Tokenizer tokenizer(String var) {
        if (var == null) {
            throw new MagicUsageException(magic + ": --tokenizer VAR is required: the tokenizer the model was trained with");
        }
        Tokenizer t = tokenizerIfDefined(var);
        if (t == null) {
            throw new MagicUsageException(magic + ": --tokenizer " + var + ": no such variable; train one with "
                    + "%tokenizer --as " + var + " or %pretrain --tokenizer " + var);
        }
        return t;
    }

    /** The model variable {@code var}, or null when {@code var} is null or not defined yet. */
    MaskedLanguageModel modelIfDefined(String var) {
        return var == null ? null : session.variable(var, MaskedLanguageModel.class, "--model").orElse(null);
    }

    /** The required model variable {@code var}. */
    MaskedLanguageModel model(String var) {
        if (var == null) {
            throw new MagicUsageException(magic + ": --model VAR is required here (a MaskedLanguageModel variable)");
        }
        MaskedLanguageModel m = modelIfDefined(var);
        if (m == null) {
            throw new MagicUsageException(magic + ": --model " + var + ": no such variable; pretrain one with "
                    + "%pretrain --model " + var + ", or pass --checkpoint DIR");
        }
        return m;
    }

    /**
     * The pretrained model {@code spec} names (a catalogue name or a Hugging Face directory) when it
     * is not a variable of the session; null when {@code spec} is null or a variable. The caller
     * closes it.
     */
    PretrainedModel pretrainedUnlessVariable(String spec) {
        if (spec == null || session.variable(spec).isPresent()) {
            return null;
        }
        try {
            return Files.isDirectory(Path.of(spec)) ? Pretrained.load(Path.of(spec)) : Pretrained.load(spec);
        } catch (IllegalArgumentException | CheckpointException e) {
            throw new MagicUsageException(magic + ": --model " + spec + ": no such variable, and " + e.getMessage());
        }
    }
}
