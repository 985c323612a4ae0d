package org.plm4j.bench.finetune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plm4j.bench.BenchArgs;
import org.plm4j.bench.Benchmark;
import org.plm4j.bench.Reference;
import org.plm4j.bench.Timings;
import org.plm4j.bench.embed.EmbedBenchmark;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.datasets.Datasets;
import org.plm4j.datasets.LabeledDataset;
import org.plm4j.finetune.FineTuneConfig;
import org.plm4j.finetune.FineTuner;
import org.plm4j.internal.EngineSetup;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;
import org.plm4j.train.TrainingListener;
import org.plm4j.train.TrainingProgress;

/**
 * {@code ./plm4j bench finetune [--steps N] [--warmup N] [--reps R]}: training tokens/s of
 * fine-tuning all-MiniLM-L6-v2 for classification on foldoc-topics (batch 32, 64 tokens: only
 * definitions that fill 64 tokens are used, so every batch is 32 x 64 on both sides), [CLS] pooling,
 * pooler, dropout 0.1, AdamW, clipping at 1.0, 2 threads, against PyTorch eager with the same
 * weights and token ids ({@code minilm_reference.py finetune}). Both sides run interleaved
 * {@code reps} times, in two settings: everything trains (the default), and the embeddings frozen
 * ({@code optTrainableLayers(6)}). The time of a step is the median step time of a run (evaluation
 * excluded); the speedup is the ratio of the medians over runs in the default setting.
 */
public final class FinetuneBenchmark implements Benchmark {

    static final int BATCH = 32;
    static final int LENGTH = 64;

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String description() {
        return "MiniLM classification fine-tuning tokens/s (batch 32 x 64 tokens, foldoc-topics): plm4j vs PyTorch eager";
    }

    @Override
    public double run(String[] args) throws Exception {
        BenchArgs opts = BenchArgs.parse(args, "./plm4j bench finetune [--steps N] [--warmup N] [--reps R]",
                "steps", "warmup", "reps");
        int steps = opts.get("steps", 12);
        int warmup = opts.get("warmup", 3);
        int reps = opts.get("reps", 3);
        EngineSetup.setThreads(2);
        LabeledDataset task = Datasets.task("foldoc-topics");
        try (PretrainedModel pm = Pretrained.load(Pretrained.ALL_MINILM_L6_V2)) {
            int total = steps + warmup;
            List<String> texts = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            LabeledTexts train = task.train();
            for (int i = 0; i < train.size() && texts.size() < total * BATCH; i++) {
                int[] pieces = pm.tokenizer().encode(train.text(i));
                if (pieces.length >= LENGTH - 2) {
                    texts.add(train.text(i));
                    labels.add(train.label(i));
                    ids.add(EmbedBenchmark.withSpecialTokens(pm, java.util.Arrays.copyOf(pieces, LENGTH - 2)));
                }
            }
            if (texts.size() < total * BATCH) {
                throw new IllegalStateException("only " + texts.size() + " foldoc-topics training texts fill " + LENGTH
                        + " tokens; use fewer --steps (need " + total * BATCH + ")");
            }
            LabeledTexts data = LabeledTexts.of("foldoc-topics-64-token", texts, labels);
            LabeledTexts validation = LabeledTexts.of("validation", texts.subList(0, BATCH), labels.subList(0, BATCH));
            List<String> classes = data.labels();
            int[] y = new int[texts.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = classes.indexOf(labels.get(i));
            }
            List<List<Integer>> batches = new ArrayList<>();
            for (int b = 0; b < total; b++) {
                List<Integer> rows = new ArrayList<>();
                for (int r = 0; r < BATCH; r++) {
                    rows.add(b * BATCH + r);
                }
                batches.add(rows);
            }
            Path dir = Files.createTempDirectory("plm4j-bench-finetune");
            Path input = dir.resolve("batches.json");
            Reference.writeBatches(input, batches, ids, y, classes.size());
            System.out.printf(Locale.ROOT, "%d steps of %d x %d tokens after %d warm-up steps, %d classes, 2 threads%n",
                    steps, BATCH, LENGTH, warmup, classes.size());
            double speedup = 0;
            try {
                for (int trainable : new int[] {-1, 6}) {
                    String setting = trainable < 0 ? "everything trains" : "embeddings frozen";
                    Timings plm = new Timings("plm4j (DJL " + ai.djl.engine.Engine.getDjlVersion() + "), " + setting);
                    Timings ref = new Timings("PyTorch eager, " + setting);
                    for (int r = 0; r < reps; r++) {
                        plm.add(plm4jStep(pm, data, validation, total, warmup, trainable));
                        List<String> cmd = new ArrayList<>(List.of("finetune", "--model", pm.directory().toString(),
                                "--input", input.toString(), "--threads", "2", "--warmup", Integer.toString(warmup)));
                        if (trainable >= 0) {
                            cmd.add("--freeze-embeddings");
                        }
                        var json = Reference.run(cmd.toArray(String[]::new));
                        ref.add(json.get("median_step_seconds").getAsDouble());
                        ref.setName("PyTorch " + json.get("torch").getAsString() + " eager (" + json.get("blas").getAsString()
                                + "), " + setting);
                    }
                    System.out.println(plm.summary((long) BATCH * LENGTH, "tokens"));
                    System.out.println(ref.summary((long) BATCH * LENGTH, "tokens"));
                    double ratio = ref.median() / plm.median();
                    System.out.printf(Locale.ROOT, "ratio (PyTorch median step / plm4j median step), %s: %.2f%n", setting, ratio);
                    if (trainable < 0) {
                        speedup = ratio;
                    }
                }
            } finally {
                Reference.deleteTree(dir);
            }
            System.out.println("goal: >= 1.5 with everything training (the default fine-tuning)");
            return speedup;
        }
    }

    /** Median seconds per training step of one plm4j fine-tuning run (steps after the warm-up). */
    static double plm4jStep(PretrainedModel pm, LabeledTexts data, LabeledTexts validation, int total, int warmup,
                            int trainable) {
        FineTuneConfig config = FineTuneConfig.builder().optEpochs(1).optBatchSize(BATCH).optMaxLength(LENGTH)
                .optLearningRate(5e-5).optPatience(0).optTrainableLayers(trainable).optSeed(1).build();
        List<Double> steps = new ArrayList<>();
        long[] last = {0};
        FineTuner.builder().setModel(pm.model()).setTokenizer(pm.tokenizer())
                .setData(data, validation).optConfig(config)
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingProgress p) {
                        long now = System.nanoTime();
                        if (p.step() > warmup) {
                            steps.add((now - last[0]) / 1e9);
                        }
                        last[0] = now;
                    }
                }).run();
        return Timings.median(steps.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
