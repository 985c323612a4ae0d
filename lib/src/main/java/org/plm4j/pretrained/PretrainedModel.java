package org.plm4j.pretrained;

import java.nio.file.Path;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;

/**
 * A pretrained encoder with its tokenizer, as {@link Pretrained#load} returns it. Closing it
 * closes both (native memory).
 *
 * @param name the catalogue name, or the directory's name for a model loaded from a path
 * @param model the encoder (its MLM head may be freshly initialised: {@link MaskedLanguageModel#mlmHeadInitialised()})
 * @param tokenizer the tokenizer the model was trained with
 * @param directory the Hugging Face model directory the weights were read from
 */
public record PretrainedModel(String name, MaskedLanguageModel model, Tokenizer tokenizer, Path directory)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }

    @Override
    public String toString() {
        return "PretrainedModel[" + name + ": " + model + (model.mlmHeadInitialised() ? ", MLM head freshly initialised" : "")
                + "; tokenizer " + tokenizer.vocabSize() + " ids; " + directory + "]";
    }
}
