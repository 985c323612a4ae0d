package org.plm4j.model;

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
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

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
 * {@link #huggingFaceTensors(NDManager)} splits them. A checkpoint directory holds
 * {@code config.json} (Hugging Face keys) and {@code model.safetensors}.
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

    private static final String ARCHITECTURE = "BertForMaskedLM";
    private static final float MASK_NEGATIVE = -1e9f;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final EncoderConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Layer[] layers;
    private final long seed;
    private Path loadedFrom;
    private final java.util.List<Map<String, String>> lineage = new java.util.ArrayList<>();
    private boolean closed;

    private record Layer(NDArray qkvW, NDArray qkvB, NDArray outW, NDArray outB, NDArray ln1G, NDArray ln1B,
                         NDArray ffn1W, NDArray ffn1B, NDArray ffn2W, NDArray ffn2B, NDArray ln2G, NDArray ln2B) {}

    private MaskedLanguageModel(EncoderConfig config, long seed, Map<String, float[]> initial) {
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
            init.put(name, data);
        }
        return new MaskedLanguageModel(config, seed, init);
    }

    /** Tensor names and shapes of a model with this configuration, in a fixed order. */
    static Map<String, Shape> shapes(EncoderConfig c) {
        int h = c.hiddenSize();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("bert.embeddings.word_embeddings.weight", new Shape(c.vocabSize(), h));
        s.put("bert.embeddings.position_embeddings.weight", new Shape(c.maxPositions(), h));
        s.put("bert.embeddings.token_type_embeddings.weight", new Shape(c.typeVocabSize(), h));
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

    private NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, boolean training,
                                 SplittableRandom rng) {
        NDArray x = embeddings(inputIds, training, rng);
        return encoderLayers(x, attentionMask, 0, config.layers(), training, rng);
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
        return embeddings(inputIds, training, null);
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
        return encoderLayers(x, attentionMask, from, to, training, null);
    }

    private NDArray embeddings(NDArray inputIds, boolean training, SplittableRandom rng) {
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
        NDArray positions = m.arange(0, t, 1, DataType.INT64);
        NDArray types = m.zeros(new Shape(1), DataType.INT64);
        NDArray x = emb(inputIds, "bert.embeddings.word_embeddings.weight")
                .add(emb(positions, "bert.embeddings.position_embeddings.weight"))
                .add(emb(types, "bert.embeddings.token_type_embeddings.weight"));
        x = layerNorm(x, params.get("bert.embeddings.LayerNorm.weight"), params.get("bert.embeddings.LayerNorm.bias"));
        return dropout(x, config.dropout(), training, rng);
    }

    private NDArray encoderLayers(NDArray x, NDArray attentionMask, int from, int to, boolean training,
                                  SplittableRandom rng) {
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
            NDList qkv = Linear.linear(x, layer.qkvW, layer.qkvB).head().split(3, 2);
            NDArray q = qkv.get(0).reshape(b, t, nh, dh).transpose(0, 2, 1, 3).mul(scale);
            NDArray k = qkv.get(1).reshape(b, t, nh, dh).transpose(0, 2, 1, 3);
            NDArray v = qkv.get(2).reshape(b, t, nh, dh).transpose(0, 2, 1, 3);
            NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).add(additive).softmax(-1);
            probs = dropout(probs, config.attentionDropout(), training, rng);
            NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, h);
            NDArray attnOut = dropout(Linear.linear(context, layer.outW, layer.outB).head(), config.dropout(), training, rng);
            x = layerNorm(attnOut.add(x), layer.ln1G, layer.ln1B);
            NDArray inter = Activation.gelu(Linear.linear(x, layer.ffn1W, layer.ffn1B).head());
            NDArray ffnOut = dropout(Linear.linear(inter, layer.ffn2W, layer.ffn2B).head(), config.dropout(), training, rng);
            x = layerNorm(ffnOut.add(x), layer.ln2G, layer.ln2B);
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
        NDArray logp = maskedLmLogits(hidden, maskedPositions).logSoftmax(-1);
        long m = labels.getShape().get(0);
        return logp.gather(labels.reshape(m, 1), 1).mean().neg();
    }

    private NDArray emb(NDArray ids, String weight) {
        return Embedding.embedding(ids, params.get(weight), SparseFormat.DENSE).head();
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), gamma, beta, config.layerNormEps()).head();
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
     * Writes {@code config.json} and {@code model.safetensors} into {@code dir}. The files are
     * written to a temporary sibling directory first and then moved into place, so an
     * interrupted save leaves the previous checkpoint intact.
     */
    public void save(Path dir) {
        checkOpen();
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
            Map<String, Object> cfg = config.toHuggingFaceMap();
            cfg.put("plm4j_seed", seed);
            cfg.put("plm4j_lineage", lineage);
            Files.writeString(tmp.resolve(CONFIG_FILE), GSON.toJson(cfg), StandardCharsets.UTF_8);
            NDList list = new NDList();
            params.values().forEach(list::add);
            try (OutputStream os = Files.newOutputStream(tmp.resolve(WEIGHTS_FILE))) {
                list.encode(os, NDList.Encoding.SAFETENSORS);
            }
            moveIntoPlace(tmp, abs);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + abs + ": " + e.getMessage(), e);
        }
    }

    private static void moveIntoPlace(Path tmp, Path abs) throws IOException {
        Path parent = abs.getParent();
        {
            Path old = null;
            if (Files.exists(abs)) {
                old = parent.resolve("." + abs.getFileName() + ".old-" + System.nanoTime());
                Files.move(abs, old);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs);
            }
            if (old != null) {
                deleteRecursively(old);
            }
        }
    }

    /**
     * Exports {@code config.json} (Hugging Face {@code BertConfig} keys, {@code BertForMaskedLM})
     * and {@code model.safetensors} with the exact tensor names of Hugging Face's
     * {@code BertForMaskedLM} (separate query/key/value, {@code cls.predictions.decoder.weight}
     * tied to the word embeddings), so that {@code BertForMaskedLM.from_pretrained(dir)} reads it.
     * Written to a temporary sibling directory and moved into place: an interrupted export leaves
     * a previous one intact.
     */
    public void exportHuggingFace(Path dir) {
        checkOpen();
        Path abs = dir.toAbsolutePath();
        try (NDManager tmpManager = manager.newSubManager()) {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp-");
            Map<String, Object> cfg = config.toHuggingFaceMap();
            Files.writeString(tmp.resolve(CONFIG_FILE), GSON.toJson(cfg), StandardCharsets.UTF_8);
            NDList list = new NDList();
            huggingFaceTensors(tmpManager).values().forEach(list::add);
            try (OutputStream os = Files.newOutputStream(tmp.resolve(WEIGHTS_FILE))) {
                list.encode(os, NDList.Encoding.SAFETENSORS);
            }
            moveIntoPlace(tmp, abs);
        } catch (IOException e) {
            throw new UncheckedIOException("could not export the model to " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Imports a Hugging Face {@code BertForMaskedLM} directory ({@code config.json} +
     * {@code model.safetensors}), e.g. one written by {@link #exportHuggingFace(Path)}: query, key
     * and value are fused, extra tensors such as {@code position_ids} are ignored.
     *
     * @throws CheckpointException if a file is missing or corrupt, or the weights do not fit the config
     */
    public static MaskedLanguageModel importHuggingFace(Path dir) {
        Path cfgFile = dir.resolve(CONFIG_FILE);
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(cfgFile) || !Files.isRegularFile(weights)) {
            throw new CheckpointException("no Hugging Face BERT model in " + dir.toAbsolutePath() + ": expected "
                    + CONFIG_FILE + " and " + WEIGHTS_FILE + " (PyTorch .bin weights are not read; save with "
                    + "safe_serialization=True)");
        }
        EncoderConfig config = readConfig(cfgFile);
        Map<String, Shape> expected = shapes(config);
        Map<String, float[]> data = new LinkedHashMap<>();
        int h = config.hiddenSize();
        try (NDManager tmp = EngineSetup.engine().newBaseManager(); InputStream is = Files.newInputStream(weights)) {
            Map<String, NDArray> byName = decode(tmp, is, weights, "the file is corrupt, write it again");
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                String name = e.getKey();
                if (name.contains(".attention.self.qkv.")) {
                    String prefix = name.substring(0, name.indexOf("qkv."));
                    String suffix = name.substring(name.indexOf("qkv.") + 4);
                    float[] all = new float[Math.toIntExact(e.getValue().size())];
                    int off = 0;
                    for (String part : new String[] {"query", "key", "value"}) {
                        Shape ps = suffix.startsWith("weight") ? new Shape(h, h) : new Shape(h);
                        float[] d = tensor(byName, prefix + part + "." + suffix, ps, weights, config);
                        System.arraycopy(d, 0, all, off, d.length);
                        off += d.length;
                    }
                    data.put(name, all);
                } else {
                    data.put(name, tensor(byName, name, e.getValue(), weights, config));
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + weights + ": " + e.getMessage(), e);
        }
        MaskedLanguageModel model = new MaskedLanguageModel(config, -1, data);
        model.loadedFrom = dir.toAbsolutePath();
        return model;
    }

    private static EncoderConfig readConfig(Path cfgFile) {
        try {
            Map<String, Object> m = GSON.fromJson(Files.readString(cfgFile, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, Object>>() {}.getType());
            if (m == null) {
                throw new CheckpointException(cfgFile + " is empty");
            }
            Object arch = m.get("architectures");
            if (!"bert".equals(m.get("model_type"))) {
                throw new CheckpointException(cfgFile + " describes architectures=" + arch + ", model_type="
                        + m.get("model_type") + "; plm4j reads only BERT (model_type bert) checkpoints");
            }
            return EncoderConfig.fromHuggingFaceMap(m);
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException("cannot read " + cfgFile + ": " + e.getMessage(), e);
        }
    }

    /** The tensors of a safetensors stream by name; an unreadable file fails naming it and {@code remedy}. */
    private static Map<String, NDArray> decode(NDManager tmp, InputStream is, Path weights, String remedy) {
        NDList list;
        try {
            list = NDList.decode(tmp, is);
        } catch (RuntimeException e) {
            throw new CheckpointException(weights + " is not a readable safetensors file (" + e.getMessage()
                    + "); " + remedy, e);
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray a : list) {
            byName.put(a.getName(), a);
        }
        return byName;
    }

    private static float[] tensor(Map<String, NDArray> byName, String name, Shape shape, Path weights,
                                  EncoderConfig config) {
        NDArray a = byName.get(name);
        if (a == null) {
            throw new CheckpointException(weights + " has no tensor '" + name
                    + "'; it was written for another architecture than " + config);
        }
        if (!a.getShape().equals(shape) || a.getDataType() != DataType.FLOAT32) {
            throw new CheckpointException("tensor '" + name + "' in " + weights + " is " + a.getDataType() + " "
                    + a.getShape() + ", expected FLOAT32 " + shape + " for " + config);
        }
        return a.toFloatArray();
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
        m.lineage.addAll(lineage);
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
     *     keep every old id and be larger than this model's vocabulary... or equal)
     */
    public MaskedLanguageModel withGrownVocabulary(org.plm4j.tokenizer.Tokenizer oldTokenizer,
                                                   org.plm4j.tokenizer.Tokenizer newTokenizer, NewRows rows,
                                                   long seed) {
        checkOpen();
        int oldV = config.vocabSize();
        int newV = newTokenizer.vocabSize();
        if (newV < oldV) {
            throw new IllegalArgumentException("the new tokenizer has " + newV + " ids, fewer than the model's "
                    + oldV + "; a vocabulary can only grow");
        }
        for (int i = 0; i < Math.min(oldTokenizer.vocabSize(), oldV); i++) {
            if (!oldTokenizer.token(i).equals(newTokenizer.token(i))) {
                throw new IllegalArgumentException("id " + i + " is '" + oldTokenizer.token(i) + "' in the old and '"
                        + newTokenizer.token(i) + "' in the new tokenizer; extend the vocabulary by appending");
            }
        }
        int h = config.hiddenSize();
        Map<String, float[]> data = new LinkedHashMap<>();
        params.forEach((k, v) -> data.put(k, v.toFloatArray()));
        float[] emb = java.util.Arrays.copyOf(data.get("bert.embeddings.word_embeddings.weight"), newV * h);
        float[] bias = java.util.Arrays.copyOf(data.get("cls.predictions.bias"), newV);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int id = oldV; id < newV; id++) {
            String surface = newTokenizer.token(id);
            if (surface.startsWith("##")) {
                surface = surface.substring(2);
            }
            int[] pieces = rows == NewRows.MEAN_OF_PIECES
                    ? java.util.Arrays.stream(oldTokenizer.encode(surface))
                            .filter(p -> p < oldV && !oldTokenizer.isSpecial(p) && p != oldTokenizer.unkId()).toArray()
                    : new int[0];
            if (pieces.length > 0) {
                for (int p : pieces) {
                    for (int j = 0; j < h; j++) {
                        emb[id * h + j] += emb[p * h + j] / pieces.length;
                    }
                    bias[id] += bias[p] / pieces.length;
                }
            } else {
                for (int j = 0; j < h; j++) {
                    double z;
                    do {
                        z = rng.nextGaussian();
                    } while (Math.abs(z) > 2.0);
                    emb[id * h + j] = (float) (z * config.initializerRange());
                }
            }
        }
        data.put("bert.embeddings.word_embeddings.weight", emb);
        data.put("cls.predictions.bias", bias);
        EncoderConfig grown = config.toBuilder().setVocabSize(newV).build();
        MaskedLanguageModel m = new MaskedLanguageModel(grown, this.seed, data);
        m.lineage.addAll(lineage);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("kind", "vocabulary-extension");
        entry.put("added", Integer.toString(newV - oldV));
        entry.put("rows", rows.name());
        m.lineage.add(java.util.Collections.unmodifiableMap(entry));
        return m;
    }

    /** Whether two configurations have the same tensors (preset names and dropout rates may differ). */
    public static boolean sameArchitecture(EncoderConfig a, EncoderConfig b) {
        return shapes(a).equals(shapes(b));
    }

    /**
     * Where these weights came from, oldest first: one map per pretraining or adaptation run
     * ({@code kind}: pretrain, dapt, tapt; {@code corpus}; {@code sha256}; {@code steps}); saved in
     * {@code config.json} as {@code plm4j_lineage}.
     */
    public java.util.List<Map<String, String>> lineage() {
        return java.util.List.copyOf(lineage);
    }

    /** Appends a lineage entry (called by the pretrainer when a run completes). */
    public void appendLineage(Map<String, String> entry) {
        lineage.add(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entry)));
    }

    /**
     * Loads a checkpoint written by {@link #save(Path)}.
     *
     * @throws CheckpointException if files are missing, corrupt, or hold another architecture
     */
    public static MaskedLanguageModel load(Path dir) {
        Path cfgFile = dir.resolve(CONFIG_FILE);
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(cfgFile) || !Files.isRegularFile(weights)) {
            String hint = "";
            Path abs = dir.toAbsolutePath();
            if (abs.getParent() != null && Files.isDirectory(abs.getParent())) {
                try (Stream<Path> siblings = Files.list(abs.getParent())) {
                    hint = siblings.filter(p -> p.getFileName().toString().startsWith("." + abs.getFileName() + ".old-"))
                            .findFirst().map(p -> "; a save was interrupted, the previous checkpoint is in " + p)
                            .orElse("");
                } catch (IOException e) {
                    // no hint
                }
            }
            throw new CheckpointException("no plm4j checkpoint in " + abs + ": expected "
                    + CONFIG_FILE + " and " + WEIGHTS_FILE + " (written by MaskedLanguageModel.save)" + hint);
        }
        EncoderConfig config;
        long seed;
        java.util.List<Map<String, String>> savedLineage = new java.util.ArrayList<>();
        try {
            Map<String, Object> m = GSON.fromJson(Files.readString(cfgFile, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, Object>>() {}.getType());
            if (m == null) {
                throw new CheckpointException(cfgFile + " is empty");
            }
            Object arch = m.get("architectures");
            if (arch == null || !arch.toString().contains(ARCHITECTURE) || !"bert".equals(m.get("model_type"))) {
                throw new CheckpointException(cfgFile + " describes architectures=" + arch + ", model_type="
                        + m.get("model_type") + "; plm4j loads only " + ARCHITECTURE + " checkpoints it wrote");
            }
            config = EncoderConfig.fromHuggingFaceMap(m);
            seed = m.get("plm4j_seed") instanceof Number n ? n.longValue() : -1L;
            if (m.get("plm4j_lineage") instanceof java.util.List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> e) {
                        Map<String, String> entry = new LinkedHashMap<>();
                        e.forEach((k, v) -> entry.put(String.valueOf(k), String.valueOf(v)));
                        savedLineage.add(java.util.Collections.unmodifiableMap(entry));
                    }
                }
            }
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException("cannot read " + cfgFile + ": " + e.getMessage(), e);
        }
        Map<String, Shape> expected = shapes(config);
        Map<String, float[]> data = new LinkedHashMap<>();
        try (NDManager tmp = EngineSetup.engine().newBaseManager();
             InputStream is = Files.newInputStream(weights)) {
            Map<String, NDArray> byName = decode(tmp, is, weights, "the checkpoint is corrupt, save it again");
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                NDArray a = byName.get(e.getKey());
                if (a == null) {
                    throw new CheckpointException(weights + " has no tensor '" + e.getKey()
                            + "'; it was written for another architecture than " + config);
                }
                if (!a.getShape().equals(e.getValue()) || a.getDataType() != DataType.FLOAT32) {
                    throw new CheckpointException("tensor '" + e.getKey() + "' in " + weights + " is "
                            + a.getDataType() + " " + a.getShape() + ", expected FLOAT32 " + e.getValue()
                            + " for " + config);
                }
                data.put(e.getKey(), a.toFloatArray());
            }
            if (byName.size() != expected.size()) {
                throw new CheckpointException(weights + " holds " + byName.size() + " tensors, expected "
                        + expected.size() + " for " + config + "; it was written for another architecture");
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + weights + ": " + e.getMessage(), e);
        }
        MaskedLanguageModel model = new MaskedLanguageModel(config, seed, data);
        model.loadedFrom = dir.toAbsolutePath();
        model.lineage.addAll(savedLineage);
        return model;
    }

    /** The checkpoint directory this model was loaded from, if it was loaded (lineage for run records). */
    public java.util.Optional<Path> loadedFrom() {
        return java.util.Optional.ofNullable(loadedFrom);
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
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
