package org.plm4j.bench.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.plm4j.bench.BenchArgs;
import org.plm4j.bench.Benchmark;
import org.plm4j.bench.Reference;
import org.plm4j.bench.Timings;
import org.plm4j.datasets.WordNet;
import org.plm4j.embed.EmbedOptions;
import org.plm4j.embed.Embedder;
import org.plm4j.embed.Embeddings;
import org.plm4j.internal.EngineSetup;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;

/**
 * {@code ./plm4j bench embed [--texts N] [--reps R]}: all-MiniLM-L6-v2 sentence embeddings (mean
 * pooling) of WordNet glosses, batch 32, at most 128 tokens, 2 threads, against ONNX Runtime in
 * the same JVM (langchain4j's {@code AllMiniLmL6V2EmbeddingModel}, what a Java user picks today,
 * and the same ONNX file run batched through ONNX Runtime's own Java API, the fastest ONNX Runtime
 * route) and against PyTorch eager over the weights plm4j converted ({@code minilm_reference.py}).
 * The sides run interleaved, {@code reps} times each; medians and spreads are printed, and every
 * side's embeddings are checked against plm4j's. The speedup is the worse of plm4j's ratios to the
 * fastest ONNX Runtime route and to PyTorch.
 */
public final class EmbedBenchmark implements Benchmark {

    static final int BATCH = 32;
    static final int MAX_LENGTH = 128;

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public String description() {
        return "MiniLM embeddings of 2,000 WordNet glosses (batch 32, <= 128 tokens): plm4j vs ONNX Runtime and PyTorch eager";
    }

    @Override
    public double run(String[] args) throws Exception {
        BenchArgs opts = BenchArgs.parse(args, "./plm4j bench embed [--texts N] [--reps R]", "texts", "reps");
        int n = opts.get("texts", 2000);
        int reps = opts.get("reps", 3);
        if (!WordNet.isInstalled()) {
            throw new IllegalStateException("wordnet-base is not installed: apt-get install -y wordnet-base");
        }
        EngineSetup.setThreads(2);
        try (PretrainedModel pm = Pretrained.load(Pretrained.ALL_MINILM_L6_V2)) {
            // glosses that fit in 128 tokens with [CLS] and [SEP]: no side truncates, so all compute the same
            List<String> all = WordNet.load().glosses().texts();
            List<String> texts = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            for (int i = 0; i < all.size() && texts.size() < n; i++) {
                int[] e = pm.tokenizer().encode(all.get(i));
                if (e.length + 2 <= MAX_LENGTH) {
                    texts.add(all.get(i));
                    ids.add(withSpecialTokens(pm, e));
                }
            }
            List<List<Integer>> batches = batchesByLength(ids);
            long tokens = ids.stream().mapToLong(a -> a.length).sum();
            System.out.printf(Locale.ROOT, "%,d WordNet glosses, %,d tokens, %d batches of <= %d (similar lengths)%n",
                    texts.size(), tokens, batches.size(), BATCH);

            Path dir = Files.createTempDirectory("plm4j-bench-embed");
            Path input = dir.resolve("batches.json");
            Reference.writeBatches(input, batches, ids, null, 0);
            Path torchOut = dir.resolve("torch.f32");
            EmbedOptions options = EmbedOptions.builder().optBatchSize(BATCH).optMaxLength(MAX_LENGTH).build();
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            AllMiniLmL6V2EmbeddingModel langchain = new AllMiniLmL6V2EmbeddingModel();
            try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                 OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setIntraOpNumThreads(2);
                so.setInterOpNumThreads(1);
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                byte[] onnx;
                try (InputStream in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                    onnx = in.readAllBytes();
                }
                try (OrtSession session = env.createSession(onnx, so)) {
                    // warm-up of each side (first calls allocate and pick kernels)
                    Embedder.embed(pm, texts.subList(0, 64), null, options);
                    langchain.embedAll(segments.subList(0, 64));
                    ortBatched(env, session, batches.subList(0, 2), ids);

                    Timings plm = new Timings("plm4j (DJL " + ai.djl.engine.Engine.getDjlVersion() + ", libtorch "
                            + EngineSetup.engine().getVersion() + ")");
                    Timings l4j = new Timings("langchain4j AllMiniLmL6V2EmbeddingModel (ONNX Runtime, one text per call)");
                    Timings ort = new Timings("ONNX Runtime " + env.getVersion() + " batched (OrtSession, batch 32)");
                    Timings torch = new Timings("PyTorch eager");
                    Embeddings ours = null;
                    float[][] ortVectors = null;
                    float[][] l4jVectors = null;
                    for (int r = 0; r < reps; r++) {
                        long t0 = System.nanoTime();
                        var l = langchain.embedAll(segments).content();
                        l4j.add((System.nanoTime() - t0) / 1e9);
                        l4jVectors = l.stream().map(e -> e.vector()).toArray(float[][]::new);

                        t0 = System.nanoTime();
                        ortVectors = ortBatched(env, session, batches, ids);
                        ort.add((System.nanoTime() - t0) / 1e9);

                        t0 = System.nanoTime();
                        ours = Embedder.embed(pm, texts, null, options);
                        plm.add((System.nanoTime() - t0) / 1e9);

                        var ref = Reference.run("embed", "--model", pm.directory().toString(), "--input", input.toString(),
                                "--threads", "2", "--embeddings-out", torchOut.toString());
                        torch.add(ref.get("seconds").getAsDouble());
                        torch.setName("PyTorch " + ref.get("torch").getAsString() + " eager (" + ref.get("blas").getAsString() + ")");
                    }
                    float[][] torchVectors = readTorch(torchOut, batches, ids.size(), pm.model().config().hiddenSize());
                    System.out.printf(Locale.ROOT, "agreement with plm4j (min cosine, max abs diff): langchain4j %s, "
                                    + "ONNX Runtime batched %s, PyTorch %s%n", agreement(ours, l4jVectors),
                            agreement(ours, ortVectors), agreement(ours, torchVectors));
                    for (Timings t : List.of(plm, l4j, ort, torch)) {
                        System.out.println(t.summary(texts.size(), "texts"));
                    }
                    double fastestOrt = Math.min(l4j.median(), ort.median());
                    double vsOrt = fastestOrt / plm.median();
                    double vsTorch = torch.median() / plm.median();
                    System.out.printf(Locale.ROOT, "ratios (reference median / plm4j median): ONNX Runtime (fastest route) "
                            + "%.2f (goal >= 1.0), PyTorch eager %.2f (goal >= 1.5)%n", vsOrt, vsTorch);
                    return Math.min(vsOrt, vsTorch);
                }
            } finally {
                Reference.deleteTree(dir);
            }
        }
    }

    /** {@code [CLS] pieces [SEP]} in the model's own ids (what every side is fed). */
    public static int[] withSpecialTokens(PretrainedModel pm, int[] pieces) {
        int[] out = new int[pieces.length + 2];
        out[0] = pm.tokenizer().clsId();
        System.arraycopy(pieces, 0, out, 1, pieces.length);
        out[out.length - 1] = pm.tokenizer().sepId();
        return out;
    }

    /** Rows sorted by length (longest first, as plm4j's Embedder orders them), cut into batches of 32. */
    static List<List<Integer>> batchesByLength(List<int[]> ids) {
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(ids.get(y).length, ids.get(x).length));
        List<List<Integer>> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += BATCH) {
            out.add(List.of(Arrays.copyOfRange(order, from, Math.min(order.length, from + BATCH))));
        }
        return out;
    }

    /** Mean-pooled embeddings through one ONNX Runtime call per padded batch. */
    static float[][] ortBatched(OrtEnvironment env, OrtSession session, List<List<Integer>> batches, List<int[]> ids)
            throws Exception {
        float[][] out = new float[ids.size()][];
        for (List<Integer> batch : batches) {
            int len = batch.stream().mapToInt(i -> ids.get(i).length).max().orElse(2);
            long[][] input = new long[batch.size()][len];
            long[][] mask = new long[batch.size()][len];
            long[][] types = new long[batch.size()][len];
            for (int r = 0; r < batch.size(); r++) {
                int[] row = ids.get(batch.get(r));
                for (int c = 0; c < row.length; c++) {
                    input[r][c] = row[c];
                    mask[r][c] = 1;
                }
            }
            try (OnnxTensor a = OnnxTensor.createTensor(env, input);
                 OnnxTensor m = OnnxTensor.createTensor(env, mask);
                 OnnxTensor t = OnnxTensor.createTensor(env, types);
                 OrtSession.Result res = session.run(java.util.Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
                float[][][] hidden = (float[][][]) res.get(0).getValue();
                for (int r = 0; r < batch.size(); r++) {
                    int real = ids.get(batch.get(r)).length;
                    float[] mean = new float[hidden[r][0].length];
                    for (int c = 0; c < real; c++) {
                        for (int j = 0; j < mean.length; j++) {
                            mean[j] += hidden[r][c][j];
                        }
                    }
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] /= real;
                    }
                    out[batch.get(r)] = mean;
                }
            }
        }
        return out;
    }

    static float[][] readTorch(Path file, List<List<Integer>> batches, int n, int h) throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[n][];
        for (List<Integer> batch : batches) {
            for (int row : batch) {
                float[] v = new float[h];
                for (int j = 0; j < h; j++) {
                    v[j] = buf.getFloat();
                }
                out[row] = v;
            }
        }
        return out;
    }

    /** Min cosine and max abs difference; unit-length references (langchain4j's) are compared with plm4j's vectors scaled to unit length. */
    static String agreement(Embeddings ours, float[][] other) {
        double minCos = 1;
        double maxAbs = 0;
        boolean unit = Math.abs(norm(other[0]) - 1) < 1e-4 && Math.abs(norm(ours.vector(0)) - 1) > 1e-3;
        for (int i = 0; i < other.length; i++) {
            float[] a = ours.vector(i);
            double na = norm(a);
            double nb = norm(other[i]);
            double dot = 0;
            for (int j = 0; j < a.length; j++) {
                dot += (double) a[j] * other[i][j];
                double x = unit ? a[j] / na : a[j];
                maxAbs = Math.max(maxAbs, Math.abs(x - other[i][j]));
            }
            minCos = Math.min(minCos, dot / (na * nb));
        }
        return String.format(Locale.ROOT, "%.7f/%.1e", minCos, maxAbs);
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
