package org.plm4j.bench.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.plm4j.bench.BenchArgs;
import org.plm4j.bench.Benchmark;
import org.plm4j.bench.Reference;
import org.plm4j.bench.Timings;
import org.plm4j.corpus.Corpus;
import org.plm4j.datasets.WordNet;
import org.plm4j.model.EncoderConfig;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.pretrain.PretrainConfig;
import org.plm4j.train.TrainingListener;
import org.plm4j.pretrain.Pretrainer;
import org.plm4j.train.TrainingProgress;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;
import org.plm4j.tokenizer.WordPieceTrainer;

/**
 * {@code ./plm4j bench pretrain [--steps N] [--warmup N] [--reps R]}: masked-LM training throughput of
 * plm4j's {@link Pretrainer} against a PyTorch-eager reference ({@code bench/src/main/python/
 * pretrain_reference.py}, Debian's {@code python3-torch}) for vocabulary 8000, hidden 256, 4
 * layers, 4 heads, FFN 1024, sequence 128, batch 32, 15 % masking, AdamW, dropout 0.1, 2 threads
 * each. The reference, plm4j and plm4j with {@code optJavaDropout(false)} (dropout masks from
 * PyTorch's generator, as the reference draws them) run interleaved {@code reps} times; the speedup
 * is the ratio of the median times per step, reference over plm4j in its default configuration
 * (what a user gets: masks drawn in Java). Also prints the model FLOP utilisation two
 * ways (6 x parameters x tokens/s, and FLOPs counted per position: see
 * {@link #trainingFlopsPerToken()}) over the best fp32 matmul rate measured in the same run (numpy
 * or DJL), and WordPiece training time and encoding throughput on the WordNet glosses.
 */
public final class PretrainBenchmark implements Benchmark {

    static final int VOCAB = 8000;
    static final int SEQ = 128;
    static final int BATCH = 32;

    @Override
    public String name() {
        return "pretrain";
    }

    @Override
    public String description() {
        return "masked-LM training tokens/s (vocab 8000, h256, 4 layers, seq 128, batch 32): plm4j vs PyTorch eager";
    }

    @Override
    public double run(String[] args) throws Exception {
        BenchArgs opts = BenchArgs.parse(args, "./plm4j bench pretrain [--steps N] [--warmup N] [--reps R]",
                "steps", "warmup", "reps");
        int steps = opts.get("steps", 30);
        int warmup = opts.get("warmup", 5);
        int reps = opts.get("reps", 3);
        EngineSetup.setThreads(2);
        Timings ref = new Timings("PyTorch eager");
        Timings plain = new Timings("plm4j (DJL " + ai.djl.engine.Engine.getDjlVersion() + ", libtorch "
                + EngineSetup.engine().getVersion() + "), default");
        Timings torchDropout = new Timings("plm4j, optJavaDropout(false)");
        boolean byDefault = PretrainConfig.builder().build().javaDropout();
        JsonObject last = null;
        long params = 0;
        // interleaved: reference, plm4j default, plm4j with PyTorch's dropout masks, R times; seconds per step
        for (int r = 0; r < reps; r++) {
            last = reference(steps, warmup);
            ref.add(last.get("seconds_per_step").getAsDouble());
            ref.setName("PyTorch " + last.get("torch").getAsString() + " eager (" + last.get("blas").getAsString() + ")");
            double[] p = plm4j(steps, warmup, byDefault);
            plain.add(BATCH * SEQ / p[0]);
            params = (long) p[1];
            torchDropout.add(BATCH * SEQ / plm4j(steps, warmup, false)[0]);
        }
        long tokens = (long) BATCH * SEQ;
        for (Timings t : List.of(ref, plain, torchDropout)) {
            System.out.println(t.summary(tokens, "tokens"));
        }
        double speedup = ref.median() / plain.median();
        System.out.printf(Locale.ROOT, "ratios of medians to the reference: default %.2f (goal >= 2.0), dropout masks from "
                + "PyTorch's generator %.2f%n", speedup, ref.median() / torchDropout.median());

        double numpy = last.get("matmul_gflops").getAsDouble();
        double djl = djlMatmulGflops();
        double best = Math.max(numpy, djl);
        System.out.printf(Locale.ROOT, "fp32 2048^2 matmul: numpy %.0f GFLOP/s, DJL %.0f GFLOP/s%n", numpy, djl);
        double plmTps = tokens / plain.median();
        double refTps = tokens / ref.median();
        System.out.printf(Locale.ROOT, "MFU, 6 x parameters x tokens/s over %.0f GFLOP/s: plm4j %.1f %%, reference %.1f %%%n",
                best, 100 * 6.0 * params * plmTps / (best * 1e9), 100 * 6.0 * last.get("parameters").getAsLong() * refTps / (best * 1e9));
        double perToken = trainingFlopsPerToken();
        System.out.printf(Locale.ROOT, "MFU, counted per position (%.1f MFLOP per token: encoder matmuls and attention at every "
                        + "position, the MLM head at the 15 %% masked ones, embeddings as lookups): plm4j %.1f %%, reference %.1f %%%n",
                perToken / 1e6, 100 * perToken * plmTps / (best * 1e9), 100 * perToken * refTps / (best * 1e9));
        tokenizers();
        return speedup;
    }

    /**
     * Training FLOPs per token (forward + backward = 3 x forward) of the benchmark's model:
     * per layer the Q/K/V/output and FFN products (2 x (4h^2 + 2 h ffn)) and attention (2 x 2 x seq x h)
     * at every position; the MLM head's transform and decoder (2 x (h^2 + h vocab)) at the masked
     * 15 % of the positions. Embedding lookups and element-wise work are not counted.
     */
    static double trainingFlopsPerToken() {
        EncoderConfig c = EncoderConfig.mini(VOCAB);
        double h = c.hiddenSize();
        double layer = 2 * (4 * h * h + 2 * h * c.intermediateSize()) + 2 * 2 * SEQ * h;
        double head = 2 * (h * h + h * VOCAB);
        return 3 * (c.layers() * layer + 0.15 * head);
    }

    /** plm4j's steady-state tokens/s (steps after {@code warmup}) and the parameter count. */
    static double[] plm4j(int steps, int warmup, boolean javaDropout) {
        int total = steps + warmup;
        long[] t = new long[2];
        long params = train(total, javaDropout, new TrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == warmup) {
                    t[0] = System.nanoTime();
                } else if (p.step() == total) {
                    t[1] = System.nanoTime();
                }
            }
        });
        double secs = (t[1] - t[0]) / 1e9 / steps;
        return new double[] {BATCH * SEQ / secs, params};
    }

    /**
     * Trains this benchmark's model (seed 1) for {@code steps} masked-LM steps on seeded uniform
     * random text over its vocabulary, reporting each step to {@code listener}; returns the
     * parameter count. The same call gives the same batches, masks and dropout in every process.
     */
    public static long train(int steps, boolean javaDropout, TrainingListener listener) {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (int i = 0; i < VOCAB - 5; i++) {
            vocab.add("w" + i);
        }
        SplittableRandom rng = new SplittableRandom(1);
        List<String> texts = new ArrayList<>();
        long needed = (long) (steps + 2) * BATCH * SEQ;
        for (long n = 0; n < needed; n += 100) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 100; w++) {
                sb.append('w').append(rng.nextInt(VOCAB - 5)).append(' ');
            }
            texts.add(sb.toString());
        }
        Corpus corpus = Corpus.of("uniform-" + texts.size(), texts);
        try (WordPieceTokenizer tok = WordPieceTokenizer.of(WordPieceConfig.builder().build(), vocab);
             MaskedLanguageModel m = MaskedLanguageModel.create(EncoderConfig.mini(VOCAB), 1)) {
            PretrainConfig pc = PretrainConfig.builder().optSteps(steps).optBatchSize(BATCH).optSequenceLength(SEQ)
                    .optEvalEvery(1_000_000).optEvalBatches(1).optHeldOutFraction(0.01).optJavaDropout(javaDropout).build();
            Pretrainer.builder().setModel(m).setTokenizer(tok).setData(corpus).optConfig(pc).optListener(listener).run();
            return m.parameterCount();
        }
    }

    static double djlMatmulGflops() {
        try (NDManager m = EngineSetup.engine().newBaseManager()) {
            NDArray a = m.randomUniform(0, 1, new Shape(2048, 2048));
            NDArray b = m.randomUniform(0, 1, new Shape(2048, 2048));
            a.matMul(b).close();
            double best = 0;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.toFloatArray();
                best = Math.max(best, 2.0 * Math.pow(2048, 3) / ((System.nanoTime() - t0) / 1e9) / 1e9);
                c.close();
            }
            return best;
        }
    }

    static void tokenizers() {
        if (!WordNet.isInstalled()) {
            System.out.println("tokenizers: skipped (apt-get install -y wordnet-base)");
            return;
        }
        Corpus glosses = WordNet.load().corpus();
        long t0 = System.nanoTime();
        try (WordPieceTokenizer t = WordPieceTrainer.train(glosses, WordPieceConfig.defaults())) {
            double train = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            int[][] ids = t.encodeBatch(glosses.texts());
            double enc = (System.nanoTime() - t1) / 1e9;
            long tokens = 0;
            for (int[] a : ids) {
                tokens += a.length;
            }
            System.out.printf(Locale.ROOT, "WordPiece %d on %,d WordNet glosses: training %.1f s; native batch encoding "
                    + "%,.0f texts/s (%,.0f tokens/s)%n", t.vocabSize(), glosses.size(), train, glosses.size() / enc,
                    tokens / enc);
        }
    }

    /** Runs the PyTorch reference and returns its JSON line. */
    static JsonObject reference(int steps, int warmup) throws IOException, InterruptedException {
        return Reference.runScript("pretrain_reference.py", "--steps", Integer.toString(steps),
                "--warmup", Integer.toString(warmup), "--threads", "2");
    }
}
