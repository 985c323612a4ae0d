package org.plm4j.pretrained;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plm4j.model.CheckpointException;
import org.plm4j.tokenizer.JsonTokenizer;
import org.plm4j.tokenizer.Tokenizer;
import org.plm4j.tokenizer.WordPieceConfig;
import org.plm4j.tokenizer.WordPieceTokenizer;

/** The tokenizer beside a Hugging Face model: {@code tokenizer.json} (WordPiece or other), else {@code vocab.txt}. */
final class TokenizerFiles {

    private TokenizerFiles() {
    }

    static Tokenizer load(Path dir) {
        Path json = dir.resolve("tokenizer.json");
        Path vocab = dir.resolve("vocab.txt");
        try {
            if (Files.isRegularFile(json)) {
                JsonObject model = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                        .getAsJsonObject().getAsJsonObject("model");
                String type = model == null || !model.has("type") ? "" : model.get("type").getAsString();
                return "WordPiece".equals(type) ? WordPieceTokenizer.load(json) : JsonTokenizer.load(json);
            }
            if (Files.isRegularFile(vocab)) {
                return fromVocab(dir, vocab);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException("cannot read the tokenizer in " + dir + ": " + e.getMessage(), e);
        }
        throw new CheckpointException("no tokenizer in " + dir + ": expected tokenizer.json or vocab.txt beside "
                + "config.json (copy the model's own tokenizer files there; a tokenizer trained elsewhere would give "
                + "the weights the wrong ids)");
    }

    private static Tokenizer fromVocab(Path dir, Path vocab) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (String line : Files.readAllLines(vocab, StandardCharsets.UTF_8)) {
            tokens.add(line.strip());
        }
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isEmpty()) {
            tokens.remove(tokens.size() - 1);
        }
        boolean lower = true;
        Path cfg = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfg)) {
            JsonElement e = JsonParser.parseString(Files.readString(cfg, StandardCharsets.UTF_8)).getAsJsonObject()
                    .get("do_lower_case");
            if (e != null && !e.isJsonNull()) {
                lower = e.getAsBoolean();
            }
        }
        WordPieceConfig config = WordPieceConfig.builder().optVocabSize(tokens.size()).optLowercase(lower)
                .optStripAccents(lower).build();
        return WordPieceTokenizer.of(config, tokens);
    }
}
