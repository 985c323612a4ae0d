package org.plm4j.pretrain;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.plm4j.model.CheckpointException;
import org.plm4j.model.EncoderConfig;
import org.plm4j.model.Lineage;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.train.TrainingLoop;

/**
 * A resumable training checkpoint: model weights, AdamW moments, the step, the data-order and
 * masking position, the settings, the history so far and the lineage.
 *
 * <p>Layout under a run's {@code outputDir}:
 * <pre>
 * checkpoints/latest                 text file naming the newest complete checkpoint, e.g. "step-000200"
 * checkpoints/step-000200/model/     config.json + model.safetensors ({@link MaskedLanguageModel#load})
 * checkpoints/step-000200/optimizer.safetensors
 * checkpoints/step-000200/trainer_state.json
 * </pre>
 * A checkpoint is written into a temporary directory, renamed to {@code step-N}, and only then
 * does {@code latest} (replaced atomically) point to it; older checkpoints are deleted after that,
 * unless {@link PretrainConfig#keepCheckpoints()} keeps the whole series ({@link #all(Path)}).
 * A process killed at any moment therefore leaves {@code latest} naming a complete checkpoint.
 *
 * <p>Resume with
 * <pre>{@code
 * TrainingCheckpoint ck = TrainingCheckpoint.latest(outputDir);
 * try (MaskedLanguageModel model = ck.loadModel()) {
 *     PretrainResult r = Pretrainer.builder().setModel(model).setTokenizer(tokenizer).setData(split)
         .optResumeFrom(ck).optListener(listener).run();
 * }
 * }</pre>
 */
public final class TrainingCheckpoint {

    /** Folder of the checkpoints under a run's output directory. */
    public static final String DIR = "checkpoints";
    /** File naming the newest complete checkpoint. */
    public static final String LATEST = "latest";
    static final String STATE_FILE = "trainer_state.json";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String MODEL_DIR = "model";
    static final int FORMAT_VERSION = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    /** Test hook: runs after the files of a checkpoint are written and before it is committed. */
    static volatile Runnable beforeCommit = () -> {};

    /** What trainer_state.json holds (plain fields for Gson). */
    static final class State {
        int formatVersion = FORMAT_VERSION;
        int step;
        long batchesDrawn;
        int optimizerSteps;
        Map<String, Object> pretrainConfig;
        Map<String, Object> modelConfig;
        String adaptation;
        String trainCorpus;
        String trainSha256;
        String heldOutSha256;
        long tokens;
        long trainNanos;
        double[][] rows;
        double[] initialEval;
        double[] lastEval;
        double bestEvalLoss = Double.POSITIVE_INFINITY;
        int evalsWithoutImprovement;
        boolean stoppedEarly;
    }

    private final Path dir;
    private final State state;
    private final PretrainConfig config;

    private TrainingCheckpoint(Path dir, State state) {
        this.dir = dir;
        this.state = state;
        try {
            this.config = PretrainConfig.fromMap(state.pretrainConfig);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir.resolve(STATE_FILE) + " holds invalid settings: " + e.getMessage(), e);
        }
    }

    /**
     * The newest complete checkpoint in {@code dir}: a run's output directory, its
     * {@code checkpoints} folder, or one {@code step-N} checkpoint directory.
     *
     * @throws CheckpointException if there is none or it is corrupt
     */
    public static TrainingCheckpoint latest(Path dir) {
        Path d = dir.toAbsolutePath();
        if (Files.isRegularFile(d.resolve(STATE_FILE))) {
            return read(d);
        }
        Path root = Files.isDirectory(d.resolve(DIR)) ? d.resolve(DIR) : d;
        Path latest = root.resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            throw new CheckpointException("no training checkpoint in " + d + ": expected " + DIR + "/" + LATEST
                    + " (written when PretrainConfig.optCheckpointEvery(k) and optOutputDir(dir) are set)");
        }
        try {
            String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
            return read(root.resolve(name));
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + latest + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every complete checkpoint in {@code dir} (a run's output directory or its {@code checkpoints}
     * folder), by increasing step: the whole series when the run kept it
     * ({@link PretrainConfig#keepCheckpoints()}), otherwise the newest only.
     *
     * @throws CheckpointException if there is none or one is corrupt
     */
    public static List<TrainingCheckpoint> all(Path dir) {
        Path d = dir.toAbsolutePath();
        Path root = Files.isDirectory(d.resolve(DIR)) ? d.resolve(DIR) : d;
        List<TrainingCheckpoint> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(root)) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith("step-")).toList()) {
                out.add(read(p));
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list the checkpoints in " + root + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new CheckpointException("no training checkpoint in " + d + ": expected " + DIR + "/step-N folders"
                    + " (written when PretrainConfig.optCheckpointEvery(k) and optOutputDir(dir) are set;"
                    + " optKeepCheckpoints(true) keeps the whole series)");
        }
        out.sort(Comparator.comparingInt(TrainingCheckpoint::step));
        return List.copyOf(out);
    }

    private static TrainingCheckpoint read(Path d) {
        Path stateFile = d.resolve(STATE_FILE);
        if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(d.resolve(OPTIMIZER_FILE))
                || !Files.isDirectory(d.resolve(MODEL_DIR))) {
            throw new CheckpointException("incomplete training checkpoint " + d + ": expected " + STATE_FILE + ", "
                    + OPTIMIZER_FILE + " and " + MODEL_DIR + "/");
        }
        State s;
        try {
            s = GSON.fromJson(Files.readString(stateFile, StandardCharsets.UTF_8), State.class);
        } catch (IOException | JsonParseException e) {
            throw new CheckpointException(stateFile + " is not a readable trainer state (" + e.getMessage()
                    + "); the checkpoint is corrupt", e);
        }
        if (s == null || s.pretrainConfig == null || s.modelConfig == null || s.rows == null) {
            throw new CheckpointException(stateFile + " is not a plm4j trainer state; the checkpoint is corrupt");
        }
        if (s.formatVersion != FORMAT_VERSION) {
            throw new CheckpointException(stateFile + " has format version " + s.formatVersion + ", this plm4j reads "
                    + FORMAT_VERSION);
        }
        return new TrainingCheckpoint(d, s);
    }

    /** The checkpoint directory ({@code .../checkpoints/step-N}). */
    public Path path() {
        return dir;
    }

    /** Completed optimiser steps. */
    public int step() {
        return state.step;
    }

    /** The run's settings. */
    public PretrainConfig config() {
        return config;
    }

    /** The model architecture. */
    public EncoderConfig modelConfig() {
        return EncoderConfig.fromHuggingFaceMap(state.modelConfig);
    }

    /** The kind of run (pretrain, dapt, tapt). */
    public Adaptation adaptation() {
        return state.adaptation == null ? Adaptation.PRETRAIN : Adaptation.valueOf(state.adaptation);
    }

    /**
     * This run's step of the lineage as of this checkpoint (its kind, training texts, their checksum
     * and the steps done): the model's own lineage gains it only when the run ends.
     */
    public Lineage.Step lineageStep() {
        return Lineage.Step.training(adaptation().key(), state.trainCorpus, state.trainSha256, state.step);
    }

    /** Loads the checkpoint's model (the caller closes it). */
    public MaskedLanguageModel loadModel() {
        return MaskedLanguageModel.load(dir.resolve(MODEL_DIR));
    }

    State state() {
        return state;
    }

    Path optimizerFile() {
        return dir.resolve(OPTIMIZER_FILE);
    }

    /**
     * Writes a checkpoint of {@code state} atomically under {@code outputDir/checkpoints}; older ones are
     * deleted unless {@code keepOlder} (leftovers of interrupted writes always are).
     */
    static Path write(Path outputDir, State state, MaskedLanguageModel model, TrainingLoop loop, boolean keepOlder) {
        Path root = outputDir.toAbsolutePath().resolve(DIR);
        String name = String.format("step-%06d", state.step);
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, "." + name + ".tmp-");
            model.save(tmp.resolve(MODEL_DIR));
            loop.saveOptimizer(tmp.resolve(OPTIMIZER_FILE));
            Files.writeString(tmp.resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
            beforeCommit.run();
            Path target = root.resolve(name);
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            move(tmp, target);
            Path latestTmp = Files.createTempFile(root, ".latest-", ".tmp");
            Files.writeString(latestTmp, name, StandardCharsets.UTF_8);
            move(latestTmp, root.resolve(LATEST));
            List<Path> old = new ArrayList<>();
            try (Stream<Path> list = Files.list(root)) {
                list.filter(p -> !p.getFileName().toString().equals(name) && !p.getFileName().toString().equals(LATEST))
                        .filter(p -> !keepOlder || p.getFileName().toString().startsWith("."))
                        .forEach(old::add);
            }
            for (Path p : old) {
                deleteRecursively(p);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the training checkpoint " + root.resolve(name) + ": "
                    + e.getMessage() + "; the previous checkpoint is kept", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public String toString() {
        return "TrainingCheckpoint[" + dir + ", step " + state.step + " of " + config.steps() + "]";
    }
}
