package org.plm4j.pretrain;

import org.plm4j.train.TrainingProgress;
import org.plm4j.train.TrainingListener;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plm4j.corpus.Corpus;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.testing.TestCorpora;
import org.plm4j.testing.TestTokenizers;
import org.plm4j.tokenizer.Tokenizer;

/** Training text streamed from a file: read lazily in windows, learnable, resumable. */
class StreamingTest {

    @BeforeAll
    static void oneThread() {
        EngineSetup.setThreads(1);
    }

    /** Counts the texts read from a source so far. */
    static TextSource counting(TextSource inner, AtomicInteger read) {
        return new TextSource() {
            public String name() { return inner.name(); }
            public String sha256() { return inner.sha256(); }
            public Pass open() {
                Pass p = inner.open();
                return new Pass() {
                    public boolean hasNext() { return p.hasNext(); }
                    public String next() { read.incrementAndGet(); return p.next(); }
                    public void close() { p.close(); }
                };
            }
        };
    }

    @Test
    void aFileCorpusIsStreamedInWindowsAndTrainsAndResumesIdentically(@TempDir Path dir) throws Exception {
        Corpus big = TestCorpora.repetitive(20_000, 13);
        Path file = dir.resolve("train.txt");
        Files.write(file, big.texts());
        Corpus heldOut = TestCorpora.repetitive(60, 99);
        Tokenizer tok = TestTokenizers.whitespace(big.texts());
        assertEquals(big.sha256(), TextSource.lines(file).sha256(), "same checksum as the in-memory corpus");

        AtomicInteger read = new AtomicInteger();
        AtomicInteger readAtFirstStep = new AtomicInteger(-1);
        PretrainConfig cfg = TrainingCheckpointTest.cfg(120).optEvalEvery(120).build();
        PretrainResult straight;
        try (MaskedLanguageModel m = MaskedLanguageModel.create(TrainingCheckpointTest.model(), 1)) {
            TextSource src = counting(TextSource.lines(file), read);
            read.set(0);
            straight = Pretrainer.builder().setModel(m).setTokenizer(tok).setData(src, heldOut).optConfig(cfg)
                    .optListener(new TrainingListener() { @Override public void onStep(TrainingProgress p) { readAtFirstStep.compareAndSet(-1, read.get()); } })
                    .run();
        }
        // sha256 reads the file once before training; the batches then need one window only
        assertTrue(readAtFirstStep.get() <= 20_000 + TextSource.SHUFFLE_WINDOW, "read " + readAtFirstStep.get());
        assertTrue(readAtFirstStep.get() - 20_000 <= TextSource.SHUFFLE_WINDOW, "read " + readAtFirstStep.get());
        assertTrue(straight.perplexityAfter() < straight.perplexityBefore() * 0.7, straight.toString());
        assertEquals(-1, straight.record().data().get(0).texts(), "a streamed source is not counted up front");

        PretrainConfig withCk = TrainingCheckpointTest.cfg(120).optEvalEvery(120).optOutputDir(dir.resolve("run"))
                .optCheckpointEvery(100).build();
        AtomicInteger seen = new AtomicInteger();
        try (MaskedLanguageModel m = MaskedLanguageModel.create(TrainingCheckpointTest.model(), 1)) {
            assertThrows(PretrainCancelledException.class, () -> Pretrainer.builder().setModel(m).setTokenizer(tok)
                    .setData(TextSource.lines(file), heldOut).optConfig(withCk)
                    .optListener(new TrainingListener() { @Override public void onStep(TrainingProgress p) { seen.set(p.step()); } })
                    .optCancel(() -> seen.get() >= 50).run());
        }
        TrainingCheckpoint ck = TrainingCheckpoint.latest(dir.resolve("run"));
        assertEquals(50, ck.step());
        try (MaskedLanguageModel m = ck.loadModel()) {
            PretrainResult r = Pretrainer.builder().setModel(m).setTokenizer(tok)
                    .setData(TextSource.lines(file), heldOut).optResumeFrom(ck).run();
            assertArrayEquals(straight.lossHistory(), r.lossHistory());
        }
    }
}
