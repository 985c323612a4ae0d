package org.plm4j.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.model.CheckpointException;
import org.plm4j.internal.EncodedBatch;
import org.plm4j.internal.EngineSetup;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * An encoder with a classification head: pooled hidden state ([CLS] or mean) -> pooler (dense +
 * tanh, BERT's) -> dropout -> linear layer over the labels, or class prototypes with distance
 * logits, or both ({@link Head}). Owns its encoder (a copy of the
 * checkpoint it was fine-tuned from, so the checkpoint stays usable) and its head; borrows the
 * tokenizer. Close it to free native memory.
 *
 * <pre>{@code
 * Prediction p = classifier.predict("a protocol for sending mail");
 * p.label(); p.probability("networking");
 * }</pre>
 */
public final class SequenceClassifier implements TextClassifier, AutoCloseable {

    /** Head weights inside a saved classifier directory. */
    public static final String HEAD_FILE = "classifier.safetensors";
    /** Labels and head settings inside a saved classifier directory. */
    public static final String META_FILE = "classifier.json";
    /** Subdirectory with the encoder checkpoint. */
    public static final String ENCODER_DIR = "encoder";

    static final String POOLER_W = "pooler.dense.weight";
    static final String POOLER_B = "pooler.dense.bias";
    static final String CLASSIFIER_W = "classifier.weight";
    static final String CLASSIFIER_B = "classifier.bias";
    static final String PROTOTYPES = "prototypes";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final MaskedLanguageModel encoder;
    private final Tokenizer tokenizer;
    private final List<String> labels;
    private final Pooling pooling;
    private final int maxLength;
    private final float dropout;
    private final int evalBatchSize;
    private final Head headKind;
    private final double prototypeScale;
    private double prototypeWeight;
    private final NDManager headManager;
    private final Map<String, NDArray> head;
    private String name = "fine-tuned encoder";

    private SequenceClassifier(MaskedLanguageModel encoder, Tokenizer tokenizer, List<String> labels, Pooling pooling,
                               int maxLength, float dropout, int evalBatchSize, Head headKind, double prototypeScale,
                               double prototypeWeight, Map<String, float[]> init) {
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.labels = List.copyOf(labels);
        this.pooling = pooling;
        this.maxLength = Math.min(maxLength, encoder.config().maxPositions());
        this.dropout = dropout;
        this.evalBatchSize = evalBatchSize;
        this.headKind = headKind;
        this.prototypeScale = prototypeScale;
        this.prototypeWeight = prototypeWeight;
        this.headManager = encoder.manager().newSubManager();
        int h = encoder.config().hiddenSize();
        int c = labels.size();
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : headShapes(headKind, h, c).entrySet()) {
            float[] data = init.get(e.getKey());
            if (data == null || data.length != e.getValue().size()) {
                throw new CheckpointException("classifier head tensor '" + e.getKey() + "' is "
                        + (data == null ? "missing" : data.length + " values") + ", expected " + e.getValue());
            }
            NDArray a = headManager.create(data, e.getValue());
            a.setName(e.getKey());
            a.setRequiresGradient(true);
            p.put(e.getKey(), a);
        }
        this.head = Collections.unmodifiableMap(p);
    }

    private static Map<String, Shape> headShapes(Head kind, int h, int c) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        if (kind.hasLinear()) {
            shapes.put(POOLER_W, new Shape(h, h));
            shapes.put(POOLER_B, new Shape(h));
            shapes.put(CLASSIFIER_W, new Shape(c, h));
            shapes.put(CLASSIFIER_B, new Shape(c));
        }
        if (kind.hasPrototypes()) {
            shapes.put(PROTOTYPES, new Shape(c, h));
        }
        return shapes;
    }

    /**
     * A classifier with a freshly initialised head (normal with the encoder's initializer range,
     * zero biases; the classifier layer at zero under a privacy budget, as DP-RAFT does; prototypes
     * at zero until fine-tuning sets them to the class means) over a copy of {@code checkpoint}'s
     * weights.
     *
     * @throws IllegalArgumentException if the tokenizer's vocabulary does not match the checkpoint's
     */
    public static SequenceClassifier create(MaskedLanguageModel checkpoint, Tokenizer tokenizer, List<String> labels,
                                            FineTuneConfig config) {
        checkVocabulary(checkpoint, tokenizer);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 labels, got " + labels);
        }
        MaskedLanguageModel copy = checkpoint.copy();
        int h = checkpoint.config().hiddenSize();
        int c = labels.size();
        float std = checkpoint.config().initializerRange();
        SplittableRandom rng = new SplittableRandom(config.seed() ^ 0x5EC1A55L);
        Map<String, float[]> init = new LinkedHashMap<>();
        init.put(POOLER_W, normal(rng, h * h, std));
        init.put(POOLER_B, new float[h]);
        float[] classifier = normal(rng, c * h, std);
        init.put(CLASSIFIER_W, config.privacy() == null ? classifier : new float[c * h]);
        init.put(CLASSIFIER_B, new float[c]);
        init.put(PROTOTYPES, new float[c * h]);
        float dropout = config.privacy() == null ? config.classifierDropout() : 0f;
        SequenceClassifier sc = new SequenceClassifier(copy, tokenizer, labels, config.pooling(), config.maxLength(),
                dropout, config.evalBatchSize(), config.head(), config.prototypeScale(), 0.5, init);
        checkpoint.loadedFrom().ifPresent(p -> sc.baseCheckpoint = p.toString());
        return sc;
    }

    private String baseCheckpoint;

    /** Where the checkpoint this classifier started from was loaded, if it was. */
    public java.util.Optional<String> baseCheckpoint() {
        return java.util.Optional.ofNullable(baseCheckpoint);
    }

    static void checkVocabulary(MaskedLanguageModel model, Tokenizer tokenizer) {
        int mv = model.config().vocabSize();
        int tv = tokenizer.vocabSize();
        if (mv != tv) {
            throw new IllegalArgumentException("the checkpoint's vocabulary has " + mv + " entries but the tokenizer's has "
                    + tv + "; they do not belong together. Use the tokenizer the checkpoint was trained with, or grow the"
                    + " model with model.withGrownVocabulary(oldTokenizer, newTokenizer, NewRows.MEAN_OF_PIECES, seed)");
        }
    }

    private static float[] normal(SplittableRandom rng, int n, float std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller, truncated at 2 standard deviations like BERT's initialiser
            double g;
            do {
                g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            } while (Math.abs(g) > 2);
            a[i] = (float) (g * std);
        }
        return a;
    }

    /** The encoder (owned by this classifier). */
    public MaskedLanguageModel encoder() {
        return encoder;
    }

    /** The tokenizer (borrowed). */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    /** The pooling of the head. */
    public Pooling pooling() {
        return pooling;
    }

    /** Longest input in tokens. */
    public int maxLength() {
        return maxLength;
    }

    /** The head's tensors by name (pooler and classifier, prototypes, or all of them). */
    public Map<String, NDArray> headParameters() {
        return head;
    }

    /** The kind of head. */
    public Head head() {
        return headKind;
    }

    /**
     * The class prototypes in label order ({@code [labels][hidden]}), a copy.
     *
     * @throws IllegalStateException for a {@link Head#LINEAR} head, which has none
     */
    public float[][] prototypes() {
        if (!headKind.hasPrototypes()) {
            throw new IllegalStateException("a " + headKind + " head has no prototypes; fine-tune with"
                    + " optHead(Head.PROTOTYPICAL) or Head.MIXED");
        }
        float[] flat = head.get(PROTOTYPES).toFloatArray();
        int h = encoder.config().hiddenSize();
        float[][] out = new float[labels.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
        }
        return out;
    }

    /** The weight of the prototypical logits in a {@link Head#MIXED} head (1 for prototypical, 0 for linear). */
    public double prototypeWeight() {
        return switch (headKind) {
            case LINEAR -> 0;
            case PROTOTYPICAL -> 1;
            case MIXED -> prototypeWeight;
        };
    }

    /**
     * Puts the prototypes at the class means of the pooled embeddings of the encoded training texts
     * under the current encoder, and weighs a mixed head for their number ({@link Head#mixedWeight}).
     *
     * @param targets each text's label index
     */
    void initPrototypes(int[][] encoded, int[] targets) {
        double[][] pooled = pooledEmbeddings(encoded);
        int h = encoder.config().hiddenSize();
        int c = labels.size();
        double[] sums = new double[c * h];
        int[] counts = new int[c];
        for (int i = 0; i < pooled.length; i++) {
            counts[targets[i]]++;
            for (int j = 0; j < h; j++) {
                sums[targets[i] * h + j] += pooled[i][j];
            }
        }
        float[] means = new float[sums.length];
        for (int k = 0; k < means.length; k++) {
            means[k] = counts[k / h] == 0 ? 0f : (float) (sums[k] / counts[k / h]);
        }
        EngineSetup.noGradOnThisThread();
        head.get(PROTOTYPES).set(means);
        this.prototypeWeight = Head.mixedWeight(encoded.length, c);
    }

    /**
     * Class logits from the encoder's last hidden states.
     *
     * @param hidden {@code [batch, length, hidden]}
     * @param mask {@code [batch, length]}, 1 for real tokens
     * @return {@code [batch, labels]}
     */
    public NDArray logits(NDArray hidden, NDArray mask, boolean training) {
        NDArray pooled = pooled(hidden, mask);
        NDManager m = hidden.getManager();
        return switch (headKind) {
            case LINEAR -> linearLogits(pooled, training);
            case PROTOTYPICAL -> prototypeLogits(pooled);
            // Java numbers enter the graph as arrays of the caller's manager (see NativeMemorySafetyTest)
            case MIXED -> prototypeLogits(pooled).mul(m.create((float) prototypeWeight))
                    .add(linearLogits(pooled, training).mul(m.create((float) (1 - prototypeWeight))));
        };
    }

    /** The pooled hidden state, {@code [batch, hidden]}: the embedding the prototypes live in. */
    NDArray pooled(NDArray hidden, NDArray mask) {
        return switch (pooling) {
            case CLS -> hidden.get(new NDIndex(":, 0, :"));
            case MEAN -> hidden.mul(mask.expandDims(2)).sum(new int[] {1}).div(mask.sum(new int[] {1}, true));
        };
    }

    /** The input of the linear head's classifier layer: the pooler's output, dropout off. */
    NDArray classifierInput(NDArray pooled) {
        return Linear.linear(pooled, head.get(POOLER_W), head.get(POOLER_B)).head().tanh();
    }

    private NDArray linearLogits(NDArray pooled, boolean training) {
        NDArray p = classifierInput(pooled);
        if (training && dropout > 0) {
            p = Dropout.dropout(p, dropout, true).head();
        }
        return Linear.linear(p, head.get(CLASSIFIER_W), head.get(CLASSIFIER_B)).head();
    }

    /** {@code -scale * ||e - p_c||^2} for every example e and prototype p_c: {@code [batch, labels]}. */
    private NDArray prototypeLogits(NDArray pooled) {
        NDArray diff = pooled.expandDims(1).sub(head.get(PROTOTYPES).expandDims(0));
        return diff.square().sum(new int[] {2}).mul(pooled.getManager().create((float) -prototypeScale));
    }

    @Override
    public Prediction predict(String text) {
        return predict(List.of(text)).get(0);
    }

    @Override
    public List<Prediction> predict(List<String> texts) {
        double[][] probs = probabilities(texts);
        List<Prediction> out = new ArrayList<>(texts.size());
        for (double[] p : probs) {
            out.add(Prediction.of(labels, p));
        }
        return out;
    }

    /** Class probabilities of each text, in label order (inference mode, batched). */
    public double[][] probabilities(List<String> texts) {
        return inBatches(tokenizer.encodeBatch(texts), (hidden, mask) -> logits(hidden, mask, false).softmax(1));
    }

    /** The pooled embedding of each encoded text (inference mode, batched), {@code [texts][hidden]}. */
    double[][] pooledEmbeddings(int[][] encoded) {
        return inBatches(encoded, this::pooled);
    }

    /** One row per text of {@code head(hiddenStates, mask)}, run in inference mode over batches of similar length. */
    private double[][] inBatches(int[][] encoded, java.util.function.BinaryOperator<NDArray> head) {
        EngineSetup.noGradOnThisThread();
        double[][] out = new double[encoded.length][];
        // batches of similar length waste less work on padding
        Integer[] order = new Integer[encoded.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> encoded[i].length));
        for (int from = 0; from < order.length; from += evalBatchSize) {
            int to = Math.min(order.length, from + evalBatchSize);
            int[] rows = new int[to - from];
            for (int i = from; i < to; i++) {
                rows[i - from] = order[i];
            }
            EncodedBatch batch = EncodedBatch.of(tokenizer, encoded, rows, maxLength);
            try (NDManager sm = encoder.manager().newSubManager()) {
                NDArray ids = batch.idsArray(sm);
                NDArray mask = batch.maskArray(sm);
                NDArray result = head.apply(encoder.hiddenStates(ids, mask, false), mask);
                int width = (int) result.getShape().get(1);
                float[] values = result.toFloatArray();
                for (int r = 0; r < rows.length; r++) {
                    double[] row = new double[width];
                    for (int j = 0; j < width; j++) {
                        row[j] = values[r * width + j];
                    }
                    out[rows[r]] = row;
                }
            }
        }
        return out;
    }

    /**
     * Saves the encoder (a plm4j checkpoint in {@code dir/encoder}), the head and the labels.
     * Reload with {@link #load(Path, Tokenizer)}.
     */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            encoder.save(dir.resolve(ENCODER_DIR));
            NDList list = new NDList();
            for (Map.Entry<String, NDArray> e : head.entrySet()) {
                NDArray copy = e.getValue().duplicate();
                copy.setName(e.getKey());
                list.add(copy);
            }
            Path tmp = Files.createTempFile(dir, HEAD_FILE, ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                list.encode(os, NDList.Encoding.SAFETENSORS);
            } finally {
                list.close();
            }
            Files.move(tmp, dir.resolve(HEAD_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", "plm4j-sequence-classifier/1");
            meta.put("labels", labels);
            meta.put("pooling", pooling.name());
            meta.put("maxLength", maxLength);
            meta.put("classifierDropout", dropout);
            meta.put("head", headKind.name());
            meta.put("prototypeScale", prototypeScale);
            meta.put("prototypeWeight", prototypeWeight);
            meta.put("vocabSize", tokenizer.vocabSize());
            Files.writeString(dir.resolve(META_FILE), GSON.toJson(meta), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the classifier to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a classifier written by {@link #save(Path)}.
     *
     * @param tokenizer the tokenizer it was fine-tuned with
     * @throws CheckpointException if the directory is not a saved classifier or does not match the tokenizer
     */
    @SuppressWarnings("unchecked")
    public static SequenceClassifier load(Path dir, Tokenizer tokenizer) {
        Path metaFile = dir.resolve(META_FILE);
        if (!Files.isRegularFile(metaFile)) {
            throw new CheckpointException(dir + " is not a saved classifier (no " + META_FILE
                    + "); save one with classifier.save(dir)");
        }
        Map<String, Object> meta;
        try {
            meta = GSON.fromJson(Files.readString(metaFile, StandardCharsets.UTF_8), Map.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot read " + metaFile + ": " + e.getMessage(), e);
        }
        MaskedLanguageModel enc = MaskedLanguageModel.load(dir.resolve(ENCODER_DIR));
        try {
            checkVocabulary(enc, tokenizer);
            Map<String, float[]> init = new LinkedHashMap<>();
            try (NDManager tmp = EngineSetup.engine().newBaseManager();
                 InputStream is = Files.newInputStream(dir.resolve(HEAD_FILE))) {
                for (NDArray a : NDList.decode(tmp, is)) {
                    init.put(a.getName(), a.toFloatArray());
                }
            }
            List<String> labels = (List<String>) meta.get("labels");
            // classifiers saved before heads had kinds are linear
            Head kind = meta.containsKey("head") ? Head.valueOf((String) meta.get("head")) : Head.LINEAR;
            FineTuneConfig defaults = FineTuneConfig.defaults();
            return new SequenceClassifier(enc, tokenizer, labels, Pooling.valueOf((String) meta.get("pooling")),
                    ((Number) meta.get("maxLength")).intValue(), ((Number) meta.get("classifierDropout")).floatValue(),
                    defaults.evalBatchSize(), kind, number(meta, "prototypeScale", defaults.prototypeScale()),
                    number(meta, "prototypeWeight", 0.5), init);
        } catch (IOException e) {
            enc.close();
            throw new CheckpointException("cannot read the classifier head in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    private static double number(Map<String, Object> meta, String key, double absent) {
        Object v = meta.get(key);
        return v == null ? absent : ((Number) v).doubleValue();
    }

    @Override
    public void close() {
        headManager.close();
        encoder.close();
    }

    @Override
    public String toString() {
        return "SequenceClassifier[" + labels.size() + " labels, " + pooling + " pooling, " + headKind + " head, encoder "
                + encoder.config() + "]";
    }
}
