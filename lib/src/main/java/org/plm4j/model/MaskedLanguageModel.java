package org.plm4j.model;

import org.plm4j.internal.EncodedBatch;
import org.plm4j.internal.EngineSetup;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A BERT encoder with its masked-language-model head, owning its weights in native memory.
 *
 * <p>Architecture (post-LayerNorm BERT, composed from DJL's functional primitives
 * {@link Embedding#embedding}, {@link Linear#linear}, {@link LayerNorm#layerNorm},
 * {@link Dropout#dropout} and {@link Activation#gelu}): word + position + token-type
 * embeddings, LayerNorm, dropout; per layer a fused QKV projection, scaled dot-product
 * attention with an additive padding mask, output projection, dropout, residual + LayerNorm,
 * then GELU feed-forward, dropout, residual + LayerNorm. The MLM head (dense, GELU,
 * LayerNorm, decoder tied to the word embeddings plus a bias) runs only on the masked
 * positions and its loss is a sparse cross-entropy.
 *
 * <p>Weights are keyed by Hugging Face BERT tensor names ({@link #parameters()}), except that
 * each layer's query/key/value projections are stored fused as
 * {@code bert.encoder.layer.N.attention.self.qkv.weight} (rows: query, key, value);
 * {@link #huggingFaceTensors(NDManager)} splits them. RoBERTa and DistilBERT checkpoints use the
 * same names inside plm4j ({@link EncoderConfig#modelType()} says which family to write back).
 * Reading and writing checkpoints lives in {@code org.plm4j.model.io}; {@link #save},
 * {@link #load}, {@link #importHuggingFace} and {@link #exportHuggingFace} delegate there.
 *
 * <p>Arrays produced by the forward methods live in the manager of their first input
 * (create inputs in a sub-manager of {@link #manager()} and close it per step). Not
 * thread-safe. Close the model to free its native memory.
 */
public final class MaskedLanguageModel implements AutoCloseable {

    /** Name of the configuration file in a checkpoint directory. */
    public static final String CONFIG_FILE = "config.json";
    /** Name of the weights file in a checkpoint directory. */
    public static final String WEIGHTS_FILE = "model.safetensors";

    private static final float MASK_NEGATIVE = -1e9f;

    /** Lineage kind of the entry that says the MLM head was initialised here, not pretrained. */
    public static final String MLM_HEAD_INITIALISED = "mlm-head-initialised";

    private final EncoderConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Layer[] layers;
    private final long seed;
    private Path loadedFrom;
    private Lineage lineage = Lineage.EMPTY;
    private boolean closed;

    private record Layer(NDArray qkvW, NDArray qkvB, NDArray outW, NDArray outB, NDArray ln1G, NDArray ln1B,
                         NDArray ffn1W, NDArray ffn1B, NDArray ffn2W, NDArray ffn2B, NDArray ln2G, NDArray ln2B) {}

    private MaskedLanguageModel(EncoderConfig config, long seed, Map<String, float[]> initial) {
        for (Map.Entry<String, Shape> e : shapes(config).entrySet()) {
            float[] data = initial.get(e.getKey());
            if (data == null || data.length != e.getValue().size()) {
                throw new CheckpointException("tensor '" + e.getKey() + "' is "
                        + (data == null ? "missing" : "of " + data.length + " values") + ", expected " + e.getValue()
                        + " for " + config);
            }
        }
        this.config = config;
        this.seed = seed;
        this.manager = EngineSetup.engine().newBaseManager();
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes(config).entrySet()) {
            float[] data = initial.get(e.getKey());
            NDArray a = manager.create(data, e.getValue());
            a.setName(e.getKey());
            a.setRequiresGradient(true);
            p.put(e.getKey(), a);
        }
        this.params = Collections.unmodifiableMap(p);
        this.layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            String l = "bert.encoder.layer." + i + ".";
            layers[i] = new Layer(p.get(l + "attention.self.qkv.weight"), p.get(l + "attention.self.qkv.bias"),
                    p.get(l + "attention.output.dense.weight"), p.get(l + "attention.output.dense.bias"),
                    p.get(l + "attention.output.LayerNorm.weight"), p.get(l + "attention.output.LayerNorm.bias"),
                    p.get(l + "intermediate.dense.weight"), p.get(l + "intermediate.dense.bias"),
                    p.get(l + "output.dense.weight"), p.get(l + "output.dense.bias"),
                    p.get(l + "output.LayerNorm.weight"), p.get(l + "output.LayerNorm.bias"));
        }
    }

    /**
     * A freshly initialised model: weights drawn from a normal distribution truncated at two
     * standard deviations ({@link EncoderConfig#initializerRange()}), biases 0, LayerNorm gain 1.
     * The initialisation depends only on {@code config} and {@code seed}.
     */
    public static MaskedLanguageModel create(EncoderConfig config, long seed) {
        return new MaskedLanguageModel(config, seed, initialWeights(config, seed, shapes(config).keySet()));
    }

    /**
     * A model from named weights (plm4j names, see {@link #tensorShapes}); used by the readers of
     * {@code org.plm4j.model.io}. The arrays are copied into native memory.
     *
     * @param seed the seed recorded with the weights, or -1
     * @param lineage where the weights came from, oldest first
     * @param loadedFrom the directory they were read from, or null
     * @throws CheckpointException if a tensor is missing or has the wrong size
     */
    public static MaskedLanguageModel of(EncoderConfig config, Map<String, float[]> weights, long seed,
                                         Lineage lineage, Path loadedFrom) {
        MaskedLanguageModel m = new MaskedLanguageModel(config, seed, weights);
        m.lineage = lineage == null ? Lineage.EMPTY : lineage;
        m.loadedFrom = loadedFrom == null ? null : loadedFrom.toAbsolutePath();
        return m;
    }

    /**
     * Freshly initialised values of the named tensors (a subset of {@link #tensorShapes}): truncated
     * normal weights, zero biases, LayerNorm gains 1; each tensor's draw depends only on
     * {@code seed} and its position in the fixed order, so a subset gets the same values as a full
     * model would.
     */
    public static Map<String, float[]> initialWeights(EncoderConfig config, long seed,
                                                      java.util.Collection<String> names) {
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, float[]> init = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes(config).entrySet()) {
            SplittableRandom rng = root.split();
            String name = e.getKey();
            float[] data = new float[Math.toIntExact(e.getValue().size())];
            if (name.endsWith("LayerNorm.weight")) {
                java.util.Arrays.fill(data, 1f);
            } else if (name.endsWith(".weight")) {
                double sd = config.initializerRange();
                for (int i = 0; i < data.length; i++) {
                    double z;
                    do {
                        z = rng.nextGaussian();
                    } while (Math.abs(z) > 2.0);
                    data[i] = (float) (z * sd);
                }
            }
            if (names.contains(name)) {
                init.put(name, data);
            }
        }
        return init;
    }

    /** Names (plm4j's: Hugging Face BERT names with fused QKV) and shapes of the tensors of a model with {@code c}. */
    public static Map<String, Shape> tensorShapes(EncoderConfig c) {
        return Collections.unmodifiableMap(shapes(c));
    }

    /** Names of the MLM head's own tensors (the decoder is tied to the word embeddings). */
    public static java.util.List<String> mlmHeadTensors() {
        return java.util.List.of("cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                "cls.predictions.bias");
    }

    /** Tensor names and shapes of a model with this configuration, in a fixed order. */
    static Map<String, Shape> shapes(EncoderConfig c) {
        int h = c.hiddenSize();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("bert.embeddings.word_embeddings.weight", new Shape(c.vocabSize(), h));
        s.put("bert.embeddings.position_embeddings.weight", new Shape(c.maxPositions() + c.positionOffset(), h));
        if (c.typeVocabSize() > 0) {
            s.put("bert.embeddings.token_type_embeddings.weight", new Shape(c.typeVocabSize(), h));
        }
        s.put("bert.embeddings.LayerNorm.weight", new Shape(h));
        s.put("bert.embeddings.LayerNorm.bias", new Shape(h));
        for (int i = 0; i < c.layers(); i++) {
            String l = "bert.encoder.layer." + i + ".";
            s.put(l + "attention.self.qkv.weight", new Shape(3L * h, h));
            s.put(l + "attention.self.qkv.bias", new Shape(3L * h));
            s.put(l + "attention.output.dense.weight", new Shape(h, h));
            s.put(l + "attention.output.dense.bias", new Shape(h));
            s.put(l + "attention.output.LayerNorm.weight", new Shape(h));
            s.put(l + "attention.output.LayerNorm.bias", new Shape(h));
            s.put(l + "intermediate.dense.weight", new Shape(c.intermediateSize(), h));
            s.put(l + "intermediate.dense.bias", new Shape(c.intermediateSize()));
            s.put(l + "output.dense.weight", new Shape(h, c.intermediateSize()));
            s.put(l + "output.dense.bias", new Shape(h));
            s.put(l + "output.LayerNorm.weight", new Shape(h));
            s.put(l + "output.LayerNorm.bias", new Shape(h));
        }
        s.put("cls.predictions.transform.dense.weight", new Shape(h, h));
        s.put("cls.predictions.transform.dense.bias", new Shape(h));
        s.put("cls.predictions.transform.LayerNorm.weight", new Shape(h));
        s.put("cls.predictions.transform.LayerNorm.bias", new Shape(h));
        s.put("cls.predictions.bias", new Shape(c.vocabSize()));
        return s;
    }

    /** The architecture. */
    public EncoderConfig config() {
        return config;
    }

    /** The seed the weights were initialised with (for a loaded model: the seed recorded in it, or -1). */
    public long seed() {
        return seed;
    }

    /** The manager owning the weights; create per-step sub-managers from it. */
    public NDManager manager() {
        checkOpen();
        return manager;
    }

    /** The trainable tensors by (Hugging Face–style) name, in a fixed order; do not close them. */
    public Map<String, NDArray> parameters() {
        checkOpen();
        return params;
    }

    /** Number of trainable scalars (the tied decoder counted once). */
    public long parameterCount() {
        return shapes(config).values().stream().mapToLong(Shape::size).sum();
    }

    /** Whether a tensor is exempt from weight decay (biases and LayerNorm parameters, as in BERT). */
    public static boolean noWeightDecay(String name) {
        return name.endsWith(".bias") || name.contains("LayerNorm");
    }

    /**
     * Last-layer hidden states.
     *
     * @param inputIds token ids, INT64 {@code [batch, length]}, {@code length <= maxPositions}
     * @param attentionMask FLOAT32 {@code [batch, length]}: 1 for real tokens, 0 for padding
     * @param training whether dropout is active
     * @return FLOAT32 {@code [batch, length, hidden]} in the manager of {@code inputIds}
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, boolean training) {
        return hiddenStates(inputIds, attentionMask, training, null);
    }

    /**
     * Last-layer hidden states in training mode with dropout masks drawn in Java from
     * {@code dropoutRng} (deterministic for its state) instead of PyTorch's generator. PyTorch's own
     * CPU dropout draws one Bernoulli number per element serially (about 25 ms per million elements
     * here), so the default path compares one PyTorch uniform draw per element with the rate
     * instead (about half the cost); these masks take 16 random
     * bits per element from {@link SplittableRandom#nextLong()} (4 per call), so the drop rate is
     * quantised to 1/65536, and are copied to native memory as floats 0 and 1/(1 - rate).
     *
     * @param dropoutRng the generator for this forward pass, or null for PyTorch's dropout
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, SplittableRandom dropoutRng) {
        return hiddenStates(inputIds, attentionMask, true, dropoutRng);
    }

    /**
     * Last-layer hidden states of sentence pairs or other segmented input.
     *
     * @param tokenTypeIds INT64 {@code [batch, length]}: 0 for segment A, 1 for segment B (see
     *     {@link EncodedBatch#ofPairs}); null means all 0
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask, boolean training) {
        NDArray x = embeddings(inputIds, tokenTypeIds, training, null);
        return encoderLayers(x, attentionMask, 0, config.layers(), training, null);
    }

    private NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, boolean training,
                                 SplittableRandom rng) {
        NDArray x = embeddings(inputIds, null, training, rng);
        return encoderLayers(x, attentionMask, 0, config.layers(), training, rng, null);
    }

    /**
     * The embedding block (word + position + type embeddings, LayerNorm, dropout): the input of
     * layer 0. With {@link #encoderLayers} it lets a caller run the frozen bottom of the encoder
     * without recording gradients and only the trainable top inside a GradientCollector.
     *
     * @param inputIds token ids, INT64 {@code [batch, length]}
     * @return FLOAT32 {@code [batch, length, hidden]}
     */
    public NDArray embeddings(NDArray inputIds, boolean training) {
        return embeddings(inputIds, null, training, null);
    }

    /** {@link #embeddings(NDArray, boolean)} with token-type ids (null: all 0). */
    public NDArray embeddings(NDArray inputIds, NDArray tokenTypeIds, boolean training) {
        return embeddings(inputIds, tokenTypeIds, training, null);
    }

    /**
     * Runs encoder layers {@code from} (inclusive) to {@code to} (exclusive) on {@code x}.
     *
     * @param x FLOAT32 {@code [batch, length, hidden]}: the embeddings or the output of layer {@code from - 1}
     * @param attentionMask FLOAT32 {@code [batch, length]}: 1 for real tokens, 0 for padding
     */
    public NDArray encoderLayers(NDArray x, NDArray attentionMask, int from, int to, boolean training) {
        if (from < 0 || to > config.layers() || from > to) {
            throw new IllegalArgumentException("layer range [" + from + ", " + to + ") is outside the model's "
                    + config.layers() + " layers");
        }
        return encoderLayers(x, attentionMask, from, to, training, null, null);
    }

    /**
     * {@link #encoderLayers(NDArray, NDArray, int, int, boolean)} with each linear layer and each
     * LayerNorm's affine part computed by {@code taps} (for per-example gradients).
     */
    public NDArray encoderLayers(NDArray x, NDArray attentionMask, int from, int to, boolean training,
                                 org.plm4j.internal.LayerTaps taps) {
        if (from < 0 || to > config.layers() || from > to) {
            throw new IllegalArgumentException("layer range [" + from + ", " + to + ") is outside the model's "
                    + config.layers() + " layers");
        }
        return encoderLayers(x, attentionMask, from, to, training, null, taps);
    }

    private NDArray embeddings(NDArray inputIds, NDArray tokenTypeIds, boolean training, SplittableRandom rng) {
        checkOpen();
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("inputIds must be [batch, length], got " + shape);
        }
        long t = shape.get(1);
        if (t > config.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds maxPositions "
                    + config.maxPositions() + "; truncate the input or use a config with more positions");
        }
        NDManager m = inputIds.getManager();
        // RoBERTa numbers positions from padding_idx + 1; padding is only ever on the right here, so
        // the real tokens get exactly Hugging Face's position ids
        long offset = config.positionOffset();
        NDArray positions = m.arange(offset, offset + t, 1, DataType.INT64);
        NDArray x = emb(inputIds, "bert.embeddings.word_embeddings.weight")
                .add(emb(positions, "bert.embeddings.position_embeddings.weight"));
        if (config.typeVocabSize() > 0) {
            NDArray types = tokenTypeIds == null ? m.zeros(new Shape(1), DataType.INT64) : tokenTypeIds;
            x = x.add(emb(types, "bert.embeddings.token_type_embeddings.weight"));
        } else if (tokenTypeIds != null) {
            throw new IllegalArgumentException("this " + config.modelType() + " model has no token-type embeddings; "
                    + "pass null token-type ids");
        }
        x = layerNorm(x, params.get("bert.embeddings.LayerNorm.weight"), params.get("bert.embeddings.LayerNorm.bias"));
        return dropout(x, config.dropout(), training, rng);
    }

    private NDArray encoderLayers(NDArray x, NDArray attentionMask, int from, int to, boolean training,
                                  SplittableRandom rng, org.plm4j.internal.LayerTaps taps) {
        checkOpen();
        Shape shape = x.getShape();
        long b = shape.get(0);
        long t = shape.get(1);
        int h = config.hiddenSize();
        int nh = config.heads();
        int dh = config.headSize();
        NDManager m = x.getManager();
        NDArray additive = attentionMask.sub(1f).mul(-MASK_NEGATIVE).reshape(b, 1, 1, t);
        // The attention scale is an array of this call's manager, not a Java number: DJL turns
        // `x.mul(2f)` into a 0-d tensor over a direct buffer that it frees right after the call, but
        // autograd saves that tensor for the backward pass, which then reads freed memory (garbage
        // gradients, occasionally Inf, whenever the GC reclaims the buffer in between). An array owned
        // by the manager lives until the step's manager closes, after backward.
        NDArray scale = m.create((float) (1.0 / Math.sqrt(dh)));
        for (int li = from; li < to; li++) {
            Layer layer = layers[li];
            // split (backward: one concatenation) rather than select (backward: a zero-filled copy of
            // the whole QKV tensor per select); the head split is a view of each part
            NDList qkv = linear(taps, x, layer.qkvW, layer.qkvB).split(3, 2);
            NDArray q = qkv.get(0).reshape(b, t, nh, dh).transpose(0, 2, 1, 3).mul(scale);
            NDArray k = qkv.get(1).reshape(b, t, nh, dh).transpose(0, 2, 1, 3);
            NDArray v = qkv.get(2).reshape(b, t, nh, dh).transpose(0, 2, 1, 3);
            NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).add(additive).softmax(-1);
            probs = dropout(probs, config.attentionDropout(), training, rng);
            NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, h);
            NDArray attnOut = dropout(linear(taps, context, layer.outW, layer.outB), config.dropout(), training, rng);
            x = layerNorm(taps, attnOut.add(x), layer.ln1G, layer.ln1B);
            NDArray inter = Activation.gelu(linear(taps, x, layer.ffn1W, layer.ffn1B));
            NDArray ffnOut = dropout(linear(taps, inter, layer.ffn2W, layer.ffn2B), config.dropout(), training, rng);
            x = layerNorm(taps, ffnOut.add(x), layer.ln2G, layer.ln2B);
        }
        return x;
    }

    /**
     * MLM logits at selected positions only.
     *
     * @param hidden {@code [batch, length, hidden]} from {@link #hiddenStates}
     * @param maskedPositions INT64 {@code [m]}: flat indices {@code row * length + column}
     * @return FLOAT32 {@code [m, vocabSize]}
     */
    public NDArray maskedLmLogits(NDArray hidden, NDArray maskedPositions) {
        checkOpen();
        Shape s = hidden.getShape();
        NDArray flat = hidden.reshape(s.get(0) * s.get(1), s.get(2));
        NDArray selected = Embedding.embedding(maskedPositions, flat, SparseFormat.DENSE).head();
        NDArray tr = Activation.gelu(Linear.linear(selected, params.get("cls.predictions.transform.dense.weight"),
                params.get("cls.predictions.transform.dense.bias")).head());
        tr = layerNorm(tr, params.get("cls.predictions.transform.LayerNorm.weight"),
                params.get("cls.predictions.transform.LayerNorm.bias"));
        return Linear.linear(tr, params.get("bert.embeddings.word_embeddings.weight"),
                params.get("cls.predictions.bias")).head();
    }

    /**
     * Mean masked-LM cross-entropy (natural log) over the selected positions: log-softmax of
     * the logits and a pick of each target id, no one-hot.
     *
     * @param labels INT64 {@code [m]}: the original ids at {@code maskedPositions}
     * @return a scalar in the manager of {@code maskedPositions}
     */
    public NDArray maskedLmLoss(NDArray hidden, NDArray maskedPositions, NDArray labels) {
        return crossEntropy(maskedLmLogits(hidden, maskedPositions), labels);
    }

    /**
     * Mean cross-entropy (natural log) of {@code [m, vocabSize]} logits against INT64 {@code [m]} target ids.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        long m = labels.getShape().get(0);
        return logits.logSoftmax(-1).gather(labels.reshape(m, 1), 1).mean().neg();
    }

    private NDArray emb(NDArray ids, String weight) {
        return Embedding.embedding(ids, params.get(weight), SparseFormat.DENSE).head();
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), gamma, beta, config.layerNormEps()).head();
    }

    private static NDArray linear(org.plm4j.internal.LayerTaps taps, NDArray x, NDArray w, NDArray b) {
        return taps == null ? Linear.linear(x, w, b).head() : taps.linear(x, w, b);
    }

    private NDArray layerNorm(org.plm4j.internal.LayerTaps taps, NDArray x, NDArray gamma, NDArray beta) {
        if (taps == null) {
            return layerNorm(x, gamma, beta);
        }
        NDManager m = x.getManager();
        NDArray normalized = layerNorm(x, m.ones(gamma.getShape()), m.zeros(beta.getShape()));
        return taps.affine(normalized, gamma, beta);
    }

    private static NDArray dropout(NDArray x, float rate, boolean training, SplittableRandom rng) {
        if (!training || rate <= 0f) {
            return x;
        }
        if (rng == null) {
            // PyTorch's CPU dropout draws a Bernoulli number per element with a slow serial sampler;
            // one uniform draw per element (from PyTorch's seeded generator too) compared with the
            // rate is about half the cost. The mask is built before autograd sees it and is owned by
            // the manager (no Java number reaches a saved tensor, see NativeMemorySafetyTest).
            NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(rate).toType(DataType.FLOAT32, false)
                    .muli(1f / (1f - rate));
            return x.mul(keep);
        }
        NDManager m = x.getManager();
        int n = Math.toIntExact(x.getShape().size());
        float[] keep = new float[n];
        int threshold = Math.round(rate * 65536f);
        float scale = 1f / (1f - threshold / 65536f);
        int i = 0;
        while (i < n) {
            long bits = rng.nextLong();
            for (int k = 0; k < 4 && i < n; k++, i++) {
                keep[i] = (int) ((bits >>> (16 * k)) & 0xFFFF) >= threshold ? scale : 0f;
            }
        }
        // a mask of 0 and 1/(1-rate), copied into memory owned by the manager (it lives until the
        // step's manager closes, after the backward pass that reads it)
        NDArray mask = m.create(keep, x.getShape());
        return x.mul(mask);
    }

    /**
     * The weights under exact Hugging Face {@code BertForMaskedLM} names (fused QKV split into
     * query/key/value, decoder weight tied to the word embeddings), as new arrays in {@code target}.
     */
    public Map<String, NDArray> huggingFaceTensors(NDManager target) {
        checkOpen();
        int h = config.hiddenSize();
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            NDArray a = e.getValue();
            if (name.contains(".attention.self.qkv.")) {
                String prefix = name.substring(0, name.indexOf("qkv."));
                String suffix = name.substring(name.indexOf("qkv.") + 4);
                String[] parts = {"query", "key", "value"};
                for (int i = 0; i < 3; i++) {
                    NDArray part = a.get(target, new NDIndex((long) i * h + ":" + (long) (i + 1) * h));
                    part.setName(prefix + parts[i] + "." + suffix);
                    out.put(part.getName(), part);
                }
            } else {
                NDArray copy = a.get(target, new NDIndex());
                copy.setName(name);
                out.put(name, copy);
            }
        }
        NDArray dec = params.get("bert.embeddings.word_embeddings.weight").get(target, new NDIndex());
        dec.setName("cls.predictions.decoder.weight");
        out.put(dec.getName(), dec);
        return out;
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} into {@code dir} (plm4j's own
     * checkpoint: fused QKV, seed and lineage kept). The files are written to a temporary sibling
     * directory first and then moved into place, so an interrupted save leaves the previous
     * checkpoint intact.
     */
    public void save(Path dir) {
        checkOpen();
        org.plm4j.model.io.Checkpoints.save(this, dir);
    }

    /**
     * Exports {@code config.json} and {@code model.safetensors} in the Hugging Face layout of this
     * model's family ({@code BertForMaskedLM}, {@code RobertaForMaskedLM} or
     * {@code DistilBertForMaskedLM}: separate query/key/value, decoder tied to the word
     * embeddings), so that {@code AutoModelForMaskedLM.from_pretrained(dir)} reads it. Written to a
     * temporary sibling directory and moved into place.
     */
    public void exportHuggingFace(Path dir) {
        checkOpen();
        org.plm4j.model.io.HuggingFaceWriter.write(this, dir);
    }

    /**
     * Imports a Hugging Face model directory ({@code config.json} + {@code model.safetensors}):
     * {@code model_type} bert (BertModel, BertForMaskedLM, BertForSequenceClassification layouts),
     * roberta or distilbert; fp16/bf16 weights are upcast. A checkpoint without an MLM head gets a
     * freshly initialised one ({@link #mlmHeadInitialised()}).
     *
     * @throws CheckpointException if a file is missing or corrupt, the architecture is not
     *     supported, or the weights do not fit the config
     */
    public static MaskedLanguageModel importHuggingFace(Path dir) {
        return org.plm4j.model.io.HuggingFaceReader.read(dir);
    }

    /**
     * An independent copy: same configuration, seed, weights and lineage, in its own native memory
     * (close it separately). Continued pretraining and fine-tuning start from a copy so the
     * checkpoint they were given stays usable.
     */
    public MaskedLanguageModel copy() {
        checkOpen();
        Map<String, float[]> data = new LinkedHashMap<>();
        params.forEach((name, a) -> data.put(name, a.toFloatArray()));
        MaskedLanguageModel m = new MaskedLanguageModel(config, seed, data);
        m.lineage = lineage;
        return m;
    }

    /**
     * Overwrites this model's weights with {@code other}'s.
     *
     * @throws CheckpointException if the architectures differ
     */
    public void copyWeightsFrom(MaskedLanguageModel other) {
        checkOpen();
        // in-place writes to leaves that require gradients are refused while the thread records
        // (PyTorch's default on every new thread, e.g. a notebook cell's)
        EngineSetup.noGradOnThisThread();
        if (!sameArchitecture(config, other.config)) {
            throw new CheckpointException("cannot copy weights of " + other.config + " into " + config
                    + ": the architectures differ");
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            e.getValue().set(other.params.get(e.getKey()).toFloatArray());
        }
    }

    /** How the embedding rows of tokens added to a vocabulary are initialised. */
    public enum NewRows {
        /** The mean of the embeddings of the old pieces that spell the new token (random if there are none). */
        MEAN_OF_PIECES,
        /** Drawn like a fresh model's weights (truncated normal, {@code initializerRange}). */
        RANDOM
    }

    /**
     * A new model for a grown vocabulary (Imamura &amp; Sumita 2022): ids below the old vocabulary
     * size keep their embedding rows and MLM output bias, all other weights are copied, and each
     * added token {@code newTokenizer.token(id)} gets a new row initialised per {@code rows}: with
     * {@link NewRows#MEAN_OF_PIECES} the mean of the old rows (and biases) of the pieces that
     * {@code oldTokenizer} splits its surface form into ({@code ##} prefix removed; special and
     * unknown pieces ignored). Old ids give exactly the old outputs. This model is unchanged; close
     * both.
     *
     * @throws IllegalArgumentException if the new tokenizer does not extend the old one (it must
     *     keep every old id and have at least as many ids as this model's vocabulary)
     */
    public MaskedLanguageModel withGrownVocabulary(org.plm4j.tokenizer.Tokenizer oldTokenizer,
                                                   org.plm4j.tokenizer.Tokenizer newTokenizer, NewRows rows,
                                                   long seed) {
        checkOpen();
        return VocabularyGrowth.grow(this, oldTokenizer, newTokenizer, rows, seed);
    }

    /** Whether two configurations have the same tensors (preset names and dropout rates may differ). */
    public static boolean sameArchitecture(EncoderConfig a, EncoderConfig b) {
        return shapes(a).equals(shapes(b));
    }

    /**
     * Where these weights came from, oldest first: one step per source, pretraining, adaptation or
     * vocabulary change; saved in {@code config.json} as {@code plm4j_lineage}.
     */
    public Lineage lineage() {
        return lineage;
    }

    /**
     * Whether the MLM head is untrained: it was freshly initialised when a checkpoint without one
     * was loaded (a lineage entry of kind {@value #MLM_HEAD_INITIALISED}) and no training has been
     * recorded since. Continued pretraining should warm such a head up before training the encoder.
     */
    public boolean mlmHeadInitialised() {
        return !lineage.isEmpty() && MLM_HEAD_INITIALISED.equals(lineage.get(lineage.size() - 1).kind());
    }

    /** Records that a run changed these weights: {@link #lineage()} becomes the old lineage followed by {@code step}. */
    public void recordLineage(Lineage.Step step) {
        lineage = lineage.then(step);
    }

    /**
     * Loads a checkpoint written by {@link #save(Path)}.
     *
     * @throws CheckpointException if files are missing, corrupt, or hold another architecture
     */
    public static MaskedLanguageModel load(Path dir) {
        return org.plm4j.model.io.Checkpoints.load(dir);
    }

    /** The checkpoint directory this model was loaded from, if it was loaded (lineage for run records). */
    public java.util.Optional<Path> loadedFrom() {
        return java.util.Optional.ofNullable(loadedFrom);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this MaskedLanguageModel is closed");
        }
    }

    /** Frees the weights' native memory; the model cannot be used afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    @Override
    public String toString() {
        return String.format("MaskedLanguageModel[%s preset: vocab %d, hidden %d, %d layers, %d heads, ffn %d, "
                        + "%d positions; %,d parameters (%.1f MB fp32)]",
                config.preset(), config.vocabSize(), config.hiddenSize(), config.layers(), config.heads(),
                config.intermediateSize(), config.maxPositions(), parameterCount(), parameterCount() * 4 / 1e6);
    }

    static Engine engine() {
        return EngineSetup.engine();
    }
}
