package org.plm4j.model.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.MaskedLanguageModel;

/**
 * Converts an fp32 ONNX export of a Hugging Face {@code BertModel} (as made by
 * {@code torch.onnx.export} / optimum, e.g. sentence-transformers' all-MiniLM-L6-v2) into a
 * Hugging Face model directory ({@code config.json} + {@code model.safetensors}, BertModel layout,
 * no MLM head).
 *
 * <p>The export keeps Hugging Face names for embeddings, biases and LayerNorms, but the linear
 * weights become anonymous initializers stored transposed ({@code [in, out]}). Each is the second
 * input of a {@code MatMul} whose only consumer is an {@code Add} with a named {@code ….bias}
 * initializer: the walk names each weight after its bias. The head count appears in no tensor
 * shape; it is read from the constants of the {@code Reshape} that splits the first key
 * projection into heads, and the LayerNorm epsilon from the embeddings' LayerNorm subgraph.
 */
public final class OnnxBertReader {

    // ONNX protobuf field numbers (onnx.proto3)
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_TENSOR = 5;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

    private record Tensor(String name, long[] dims, int dataType, ByteBuffer buf, int start, int stop,
                          float[] floatData, long[] int64Data) {
        long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        float[] floats() {
            if (dataType != FLOAT) {
                throw new CheckpointException("initializer '" + name + "' has ONNX data type " + dataType
                        + ", expected FLOAT (1); plm4j converts fp32 exports only");
            }
            int n = Math.toIntExact(size());
            if (floatData != null && floatData.length == n) {
                return floatData;
            }
            if (stop - start != 4L * n) {
                throw new CheckpointException("initializer '" + name + "' has " + (stop - start) + " bytes of data, "
                        + "expected " + 4L * n + "; the ONNX file is damaged");
            }
            float[] out = new float[n];
            buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(start).slice().order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(out);
            return out;
        }

        long[] longs() {
            if (int64Data != null && int64Data.length > 0) {
                return int64Data;
            }
            ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[(stop - start) / 8];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getLong(start + 8 * i);
            }
            return out;
        }
    }

    private record Node(String op, List<String> inputs, List<String> outputs, Tensor value) {}

    private OnnxBertReader() {
    }

    /**
     * Converts {@code onnx} into a Hugging Face BertModel directory at {@code out}, written
     * atomically (a temporary sibling moved into place).
     *
     * @param lineage written into {@code config.json} as {@code plm4j_lineage} (where the weights came from)
     * @param extraFiles further files of the directory by name (e.g. {@code tokenizer.json})
     * @throws CheckpointException if the file is truncated or not an fp32 BERT export; {@code out}
     *     is then left as it was
     */
    public static void convert(Path onnx, Path out, List<Map<String, String>> lineage, Map<String, byte[]> extraFiles) {
        Map<String, Tensor> init = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new CheckpointException(onnx + " is larger than 2 GB; plm4j reads ONNX files without external data only");
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            parse(buf, init, nodes, onnx);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + onnx + ": " + e.getMessage(), e);
        } catch (Protobuf.Truncated e) {
            throw new CheckpointException(onnx + " is truncated or not an ONNX model (" + e.getMessage()
                    + "); delete it and install it again", e);
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Object> config = walk(init, nodes, weights, shapes, onnx);
        config.put("plm4j_lineage", lineage);
        try {
            AtomicDirectory.write(out, tmp -> {
                Files.writeString(tmp.resolve(MaskedLanguageModel.CONFIG_FILE), Checkpoints.GSON.toJson(config),
                        StandardCharsets.UTF_8);
                Safetensors.write(tmp.resolve(MaskedLanguageModel.WEIGHTS_FILE), weights, shapes);
                for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) {
                    Files.write(tmp.resolve(f.getKey()), f.getValue());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the converted model to " + out + ": " + e.getMessage(), e);
        }
    }

    private static void parse(ByteBuffer buf, Map<String, Tensor> init, List<Node> nodes, Path onnx) {
        Protobuf.Fields model = new Protobuf.Fields(buf, 0, buf.limit());
        boolean graphSeen = false;
        while (model.next()) {
            if (model.number == MODEL_GRAPH && model.wireType == Protobuf.LENGTH_DELIMITED) {
                graphSeen = true;
                Protobuf.Fields graph = model.message();
                while (graph.next()) {
                    if (graph.wireType != Protobuf.LENGTH_DELIMITED) {
                        continue;
                    }
                    if (graph.number == GRAPH_INITIALIZER) {
                        Tensor t = tensor(buf, graph.message());
                        init.put(t.name, t);
                    } else if (graph.number == GRAPH_NODE) {
                        nodes.add(node(buf, graph.message()));
                    }
                }
            }
        }
        if (!graphSeen || init.isEmpty()) {
            throw new CheckpointException(onnx + " holds no ONNX graph with initializers; it is truncated or not an "
                    + "ONNX model, delete it and install it again");
        }
    }

    private static Tensor tensor(ByteBuffer buf, Protobuf.Fields f) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        int start = 0;
        int stop = 0;
        float[] floatData = null;
        long[] int64 = null;
        while (f.next()) {
            switch (f.number) {
                case TENSOR_DIMS -> {
                    if (f.wireType == Protobuf.VARINT) {
                        dims.add(f.varint);
                    } else {
                        for (long d : f.packedVarints()) {
                            dims.add(d);
                        }
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = (int) f.varint;
                case TENSOR_NAME -> name = f.string();
                case TENSOR_RAW_DATA -> {
                    start = f.start;
                    stop = f.stop;
                }
                case TENSOR_FLOAT_DATA -> {
                    if (f.wireType == Protobuf.LENGTH_DELIMITED) {
                        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                        floatData = new float[(f.stop - f.start) / 4];
                        for (int i = 0; i < floatData.length; i++) {
                            floatData[i] = b.getFloat(f.start + 4 * i);
                        }
                    } else if (f.wireType == Protobuf.FIXED32) {
                        floatData = new float[] {f.fixed32Float()};
                    }
                }
                case TENSOR_INT64_DATA -> int64 = f.wireType == Protobuf.VARINT ? new long[] {f.varint} : f.packedVarints();
                default -> { }
            }
        }
        return new Tensor(name, dims.stream().mapToLong(Long::longValue).toArray(), dataType, buf, start, stop,
                floatData, int64);
    }

    private static Node node(ByteBuffer buf, Protobuf.Fields f) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String op = "";
        Tensor value = null;
        while (f.next()) {
            switch (f.number) {
                case NODE_INPUT -> in.add(f.string());
                case NODE_OUTPUT -> out.add(f.string());
                case NODE_OP_TYPE -> op = f.string();
                case NODE_ATTRIBUTE -> {
                    Protobuf.Fields a = f.message();
                    String attr = "";
                    Tensor t = null;
                    while (a.next()) {
                        if (a.number == ATTRIBUTE_NAME) {
                            attr = a.string();
                        } else if (a.number == ATTRIBUTE_TENSOR && a.wireType == Protobuf.LENGTH_DELIMITED) {
                            t = tensor(buf, a.message());
                        }
                    }
                    if ("value".equals(attr)) {
                        value = t;
                    }
                }
                default -> { }
            }
        }
        return new Node(op, in, out, value);
    }

    private static Map<String, Object> walk(Map<String, Tensor> init, List<Node> nodes, Map<String, float[]> weights,
                                            Map<String, long[]> shapes, Path onnx) {
        Map<String, List<Node>> consumers = new HashMap<>();
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) {
            n.inputs.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
            n.outputs.forEach(o -> producer.put(o, n));
        }
        String word = "embeddings.word_embeddings.weight";
        for (String required : new String[] {word, "embeddings.position_embeddings.weight",
                "embeddings.LayerNorm.weight", "encoder.layer.0.attention.self.key.bias"}) {
            if (!init.containsKey(required)) {
                throw new CheckpointException(onnx + " has no initializer '" + required + "'; it is not an ONNX export "
                        + "of a Hugging Face BertModel");
            }
        }
        if (nodes.stream().noneMatch(n -> n.op.equals("Erf"))) {
            throw new CheckpointException(onnx + " has no Erf node; plm4j converts BERT exports with the exact "
                    + "(erf) GELU only");
        }
        // named tensors: every float initializer with a Hugging Face name
        for (Tensor t : init.values()) {
            if (t.dataType == FLOAT && (t.name.startsWith("embeddings.") || t.name.startsWith("encoder."))) {
                weights.put(t.name, t.floats());
                shapes.put(t.name, t.dims);
            }
        }
        // anonymous MatMul weights: named after the bias of the Add that consumes the product
        int named = 0;
        for (Node mm : nodes) {
            if (!mm.op.equals("MatMul") || mm.inputs.size() != 2 || !init.containsKey(mm.inputs.get(1))) {
                continue;
            }
            Tensor w = init.get(mm.inputs.get(1));
            List<Node> next = consumers.getOrDefault(mm.outputs.get(0), List.of());
            String bias = next.size() != 1 || !next.get(0).op.equals("Add") ? null
                    : next.get(0).inputs.stream().filter(i -> init.containsKey(i) && i.endsWith(".bias"))
                            .findFirst().orElse(null);
            if (bias == null || w.dims.length != 2) {
                throw new CheckpointException("in " + onnx + " the MatMul weight '" + w.name + "' is not followed by "
                        + "a single Add with a named bias; the graph is not a BertModel export plm4j can name");
            }
            String name = bias.substring(0, bias.length() - "bias".length()) + "weight";
            int in = (int) w.dims[0];
            int out = (int) w.dims[1];
            float[] t = w.floats();
            float[] transposed = new float[t.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    transposed[o * in + i] = t[i * out + o];
                }
            }
            weights.put(name, transposed);
            shapes.put(name, new long[] {out, in});
            named++;
        }
        TreeSet<Integer> layers = new TreeSet<>();
        for (String n : weights.keySet()) {
            Matcher m = LAYER.matcher(n);
            if (m.lookingAt()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        int layerCount = layers.size();
        if (named != 6 * layerCount) {
            throw new CheckpointException(onnx + " has " + named + " named MatMul weights for " + layerCount
                    + " layers, expected " + 6 * layerCount + " (query, key, value, output, intermediate, output "
                    + "per layer); the graph is not a BertModel export plm4j can name");
        }
        long[] emb = init.get(word).dims;
        int hidden = (int) emb[1];
        int heads = heads(init, producer, consumers, hidden, onnx);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("BertModel"));
        c.put("model_type", "bert");
        c.put("vocab_size", emb[0]);
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", layerCount);
        c.put("num_attention_heads", heads);
        c.put("intermediate_size", init.get("encoder.layer.0.intermediate.dense.bias").dims[0]);
        c.put("hidden_act", "gelu");
        c.put("max_position_embeddings", init.get("embeddings.position_embeddings.weight").dims[0]);
        c.put("type_vocab_size", init.containsKey("embeddings.token_type_embeddings.weight")
                ? init.get("embeddings.token_type_embeddings.weight").dims[0] : 0);
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        // shortest decimal of the float (1e-12, not 9.99e-13)
        c.put("layer_norm_eps", Double.parseDouble(Float.toString((float) layerNormEps(init, producer, onnx))));
        c.put("initializer_range", 0.02);
        c.put("position_embedding_type", "absolute");
        c.put("pad_token_id", 0);
        return c;
    }

    /** Heads per layer: the constants of the Reshape that splits layer 0's key projection into heads. */
    private static int heads(Map<String, Tensor> init, Map<String, Node> producer, Map<String, List<Node>> consumers,
                             int hidden, Path onnx) {
        for (String proj : new String[] {"key", "query", "value"}) {
            String bias = "encoder.layer.0.attention.self." + proj + ".bias";
            for (Node add : consumers.getOrDefault(bias, List.of())) {
                for (Node reshape : consumers.getOrDefault(add.outputs.get(0), List.of())) {
                    if (!reshape.op.equals("Reshape") || reshape.inputs.size() < 2) {
                        continue;
                    }
                    List<Long> constants = new ArrayList<>();
                    String shapeInput = reshape.inputs.get(1);
                    Node shapeNode = producer.get(shapeInput);
                    if (init.containsKey(shapeInput)) {
                        for (long v : init.get(shapeInput).longs()) {
                            constants.add(v);
                        }
                    } else if (shapeNode != null && shapeNode.op.equals("Constant") && shapeNode.value != null) {
                        for (long v : shapeNode.value.longs()) {
                            constants.add(v);
                        }
                    } else if (shapeNode != null && shapeNode.op.equals("Concat")) {
                        for (String in : shapeNode.inputs) {
                            Node c = producer.get(in);
                            Tensor t = c != null && c.op.equals("Constant") ? c.value : init.get(in);
                            if (t != null && t.dataType == INT64) {
                                for (long v : t.longs()) {
                                    constants.add(v);
                                }
                            }
                        }
                    }
                    // the shape is [batch, length, heads, headSize]; the last two known constants
                    int n = constants.size();
                    if (n >= 2 && constants.get(n - 2) > 0 && constants.get(n - 2) * constants.get(n - 1) == hidden) {
                        return Math.toIntExact(constants.get(n - 2));
                    }
                }
            }
        }
        throw new CheckpointException("cannot find the attention head count in " + onnx + ": no Reshape of layer 0's "
                + "key projection with constant [heads, headSize] whose product is the hidden size " + hidden);
    }

    /** LayerNorm epsilon: the constant added to the variance in the embeddings' LayerNorm (1e-12 if not found). */
    private static double layerNormEps(Map<String, Tensor> init, Map<String, Node> producer, Path onnx) {
        // Mul(normalised, gamma) <- Div(centred, Sqrt(Add(variance, eps)))
        for (Node n : producer.values()) {
            if (!n.op.equals("Mul") || !n.inputs.contains("embeddings.LayerNorm.weight")) {
                continue;
            }
            Node div = producer.get(n.inputs.get(0).equals("embeddings.LayerNorm.weight") ? n.inputs.get(1) : n.inputs.get(0));
            Node sqrt = div == null || div.inputs.size() < 2 ? null : producer.get(div.inputs.get(1));
            Node add = sqrt == null || !sqrt.op.equals("Sqrt") ? null : producer.get(sqrt.inputs.get(0));
            if (add == null || !add.op.equals("Add")) {
                continue;
            }
            for (String in : add.inputs) {
                Node c = producer.get(in);
                Tensor t = c != null && c.op.equals("Constant") ? c.value : init.get(in);
                if (t != null && t.dataType == FLOAT && t.size() == 1) {
                    return t.floats()[0];
                }
            }
        }
        return 1e-12;
    }
}
