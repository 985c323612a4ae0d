package org.plm4j.model.io;

import org.plm4j.model.Lineage;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ai.djl.ndarray.types.Shape;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.MaskedLanguageModel;

/**
 * plm4j's own checkpoint: {@code config.json} (Hugging Face {@code BertConfig} keys plus
 * {@code plm4j_seed} and {@code plm4j_lineage}) and {@code model.safetensors} under plm4j's
 * tensor names (fused QKV). {@link MaskedLanguageModel#save} and {@link MaskedLanguageModel#load}
 * delegate here.
 */
public final class Checkpoints {

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final String ARCHITECTURE = "BertForMaskedLM";

    private Checkpoints() {
    }

    /** Writes {@code model} into {@code dir} through a temporary sibling directory (see {@link MaskedLanguageModel#save}). */
    public static void save(MaskedLanguageModel model, Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            Map<String, float[]> data = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            model.parameters().forEach((name, a) -> {
                data.put(name, a.toFloatArray());
                shapes.put(name, a.getShape().getShape());
            });
            Map<String, Object> cfg = model.config().toHuggingFaceMap();
            cfg.put("plm4j_seed", model.seed());
            cfg.put("plm4j_lineage", model.lineage().toMaps());
            AtomicDirectory.write(abs, tmp -> {
                Files.writeString(tmp.resolve(MaskedLanguageModel.CONFIG_FILE), GSON.toJson(cfg), StandardCharsets.UTF_8);
                Safetensors.write(tmp.resolve(MaskedLanguageModel.WEIGHTS_FILE), data, shapes);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a checkpoint written by {@link #save}.
     *
     * @throws CheckpointException if files are missing, corrupt, or hold another architecture
     */
    public static MaskedLanguageModel load(Path dir) {
        Path abs = dir.toAbsolutePath();
        Path cfgFile = abs.resolve(MaskedLanguageModel.CONFIG_FILE);
        Path weights = abs.resolve(MaskedLanguageModel.WEIGHTS_FILE);
        if (!Files.isRegularFile(cfgFile) || !Files.isRegularFile(weights)) {
            String hint = "";
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
                    + MaskedLanguageModel.CONFIG_FILE + " and " + MaskedLanguageModel.WEIGHTS_FILE
                    + " (written by MaskedLanguageModel.save)" + hint);
        }
        Map<String, Object> m = readJson(cfgFile);
        Object arch = m.get("architectures");
        if (arch == null || !arch.toString().contains(ARCHITECTURE) || !"bert".equals(m.get("model_type"))) {
            throw new CheckpointException(cfgFile + " describes architectures=" + arch + ", model_type="
                    + m.get("model_type") + "; plm4j loads only " + ARCHITECTURE + " checkpoints it wrote"
                    + " (Hugging Face checkpoints: MaskedLanguageModel.importHuggingFace or Pretrained.load)");
        }
        EncoderConfig config;
        try {
            config = EncoderConfig.fromHuggingFaceMap(m);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("cannot read " + cfgFile + ": " + e.getMessage(), e);
        }
        long seed = m.get("plm4j_seed") instanceof Number n ? n.longValue() : -1L;
        Map<String, Shape> expected = MaskedLanguageModel.tensorShapes(config);
        Map<String, float[]> data = new LinkedHashMap<>();
        try (Safetensors.Reader r = new Safetensors.Reader(weights, "the checkpoint is corrupt, save it again")) {
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                Safetensors.Entry entry = r.entries().get(e.getKey());
                if (entry == null) {
                    throw new CheckpointException(weights + " has no tensor '" + e.getKey()
                            + "'; it was written for another architecture than " + config);
                }
                if (!new Shape(entry.shape()).equals(e.getValue()) || !"F32".equals(entry.dtype())) {
                    throw new CheckpointException("tensor '" + e.getKey() + "' in " + weights + " is "
                            + entry.dtype() + " " + new Shape(entry.shape()) + ", expected F32 " + e.getValue()
                            + " for " + config);
                }
                data.put(e.getKey(), r.floats(e.getKey()));
            }
            if (r.entries().size() != expected.size()) {
                throw new CheckpointException(weights + " holds " + r.entries().size() + " tensors, expected "
                        + expected.size() + " for " + config + "; it was written for another architecture");
            }
        }
        return MaskedLanguageModel.of(config, data, seed, Lineage.fromMaps(lineage(m)), abs);
    }

    /** The {@code plm4j_lineage} entries of a config map (empty when absent). */
    static List<Map<String, String>> lineage(Map<String, Object> m) {
        List<Map<String, String>> out = new ArrayList<>();
        if (m.get("plm4j_lineage") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> e) {
                    Map<String, String> entry = new LinkedHashMap<>();
                    e.forEach((k, v) -> entry.put(String.valueOf(k), String.valueOf(v)));
                    out.add(Collections.unmodifiableMap(entry));
                }
            }
        }
        return out;
    }

    /** A JSON object file as a map; an unreadable or empty file fails naming it. */
    static Map<String, Object> readJson(Path file) {
        try {
            Map<String, Object> m = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, Object>>() {}.getType());
            if (m == null) {
                throw new CheckpointException(file + " is empty");
            }
            return m;
        } catch (IOException | JsonParseException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
