package org.plm4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved {@code tokenizer.json} read by Hugging Face's Python {@code tokenizers} gives the same
 * ids as plm4j. Runs only where {@code /usr/bin/python3} and a {@code tokenizers} abi3 wheel in
 * {@code /opt/pypi/files} exist (the wheel is unpacked into a temporary directory, nothing is
 * installed); skipped otherwise.
 */
class HuggingFacePythonCompatibilityTest {

    @TempDir
    Path tmp;

    private static Optional<Path> wheel() throws IOException {
        Path dir = Path.of("/opt/pypi/files");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("tokenizers-") && n.contains("abi3") && n.contains("manylinux") && n.contains("x86_64")
                        && n.endsWith(".whl");
            }).sorted().findFirst();
        }
    }

    private static void unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = dir.resolve(e.getName()).normalize();
                if (!out.startsWith(dir)) {
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
    }

    @Test
    void pythonTokenizersGivesTheSameIds() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        Optional<Path> whl = wheel();
        assumeTrue(whl.isPresent() && "amd64".equals(System.getProperty("os.arch")), "no tokenizers wheel on disk");
        Path site = tmp.resolve("site");
        unzip(whl.get(), site);
        List<String> texts = new ArrayList<>(WordPieceTrainerTest.probeStrings());
        texts.removeIf(s -> s.contains("\n"));
        WordPieceConfig cfg = WordPieceConfig.builder().optVocabSize(150).optMinFrequency(1).build();
        List<String> expected = new ArrayList<>();
        try (WordPieceTokenizer t = WordPieceTrainer.train(WordPieceTrainerTest.smallCorpus(), cfg)) {
            t.save(tmp.resolve("tok"));
            for (String s : texts) {
                expected.add(Arrays.toString(t.encode(s)));
            }
        }
        Files.write(tmp.resolve("texts.txt"), texts, StandardCharsets.UTF_8);
        String script = String.join("\n",
                "import sys",
                "from tokenizers import Tokenizer",
                "t = Tokenizer.from_file(sys.argv[1] + '/tok/tokenizer.json')",
                "lines = open(sys.argv[1] + '/texts.txt', encoding='utf-8').read().split('\\n')[:-1]",
                "out = [str(t.encode(s, add_special_tokens=False).ids) for s in lines]",
                "open(sys.argv[1] + '/py.txt', 'w').write('\\n'.join(out) + '\\n')");
        Files.writeString(tmp.resolve("check.py"), script);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", tmp.resolve("check.py").toString(), tmp.toString());
        pb.environment().put("PYTHONPATH", site.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String log;
        try (InputStream in = p.getInputStream()) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(60, TimeUnit.SECONDS);
        assumeTrue(p.exitValue() == 0 || !log.contains("ImportError"), "the wheel does not import here: " + log);
        assertEquals(0, p.exitValue(), log);
        List<String> got = Files.readAllLines(tmp.resolve("py.txt"), StandardCharsets.UTF_8);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.get(i), got.get(i), "ids differ for '" + texts.get(i) + "'");
        }
    }
}
