package org.plm4j.extension.magic;

import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.embed.EmbedOptions;
import org.plm4j.embed.Embedder;
import org.plm4j.embed.Embeddings;
import org.plm4j.extension.session.Session;
import org.plm4j.pretrained.Pretrained;
import org.plm4j.pretrained.PretrainedModel;

/**
 * {@code %embed}: sentence embeddings of texts from a notebook line. A thin parser over
 * {@link Pretrained#load} and {@link Embedder#embed(PretrainedModel, List, List, EmbedOptions)}: it
 * shows the cosine-similarity heat map and nearest-neighbour table of the result and binds the
 * {@link Embeddings} with {@code --as} (for {@code %pca --data}).
 */
public final class EmbedMagic extends OptionsMagic {

    static final MagicOptions OPTIONS = MagicOptions.builder("embed", "sentence embeddings (mean pooling) of texts")
            .option("model", "NAME|DIR|VAR", Pretrained.ALL_MINILM_L6_V2,
                    "a pretrained model by name, a Hugging Face directory, or a PretrainedModel variable")
            .option("data", "VAR", null, "a List<String>, String[] or LabeledTexts variable (labels are kept)")
            .flag("normalize", "scale each vector to unit length (cosine similarity = dot product)")
            .option("batch", "N", EmbedOptions.DEFAULT_BATCH_SIZE, "texts per forward pass")
            .option("max-length", "N", 0, "longest input in tokens, 0: the model's maximum")
            .option("as", "NAME", null, "bind the Embeddings to this variable")
            .javaCall("""
                    PretrainedModel pm = Pretrained.load("all-MiniLM-L6-v2");   // or Pretrained.load(Path.of(dir))
                    Embeddings e = Embedder.embed(pm, texts, labelOfEach,       // labels may be null
                            EmbedOptions.builder().optNormalize(true).optBatchSize(batch).optMaxLength(maxLength).build());
                    e.nearestNeighbours(3);                                     // shown: heat map + nearest neighbours
                    pm.close();""")
            .build();

    public EmbedMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        String dataVar = p.identifier("data");
        if (dataVar == null) {
            throw p.error("--data is required: the name of a List<String>, String[] or LabeledTexts variable");
        }
        Object data = session.variable(dataVar)
                .orElseThrow(() -> p.error("--data " + dataVar + ": no such variable in this session"));
        List<String> texts;
        List<String> labels = null;
        if (data instanceof LabeledTexts t) {
            texts = t.texts();
            labels = t.labelOfEach();
        } else if (data instanceof String[] a) {
            texts = List.of(a);
        } else if (data instanceof List<?> l && l.stream().allMatch(o -> o instanceof String)) {
            texts = l.stream().map(String.class::cast).toList();
        } else {
            throw p.error("--data " + dataVar + " holds a " + data.getClass().getName()
                    + "; pass a List<String>, String[] or LabeledTexts");
        }
        EmbedOptions options;
        try {
            options = EmbedOptions.builder().optNormalize(p.flag("normalize")).optBatchSize(p.integer("batch"))
                    .optMaxLength(p.integer("max-length")).build();
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        String spec = p.required("model");
        Object existing = session.variable(spec).orElse(null);
        Embeddings embeddings;
        if (existing instanceof PretrainedModel pm) {
            embeddings = embed(pm, texts, labels, options, p);
        } else if (existing != null) {
            throw p.error("--model " + spec + " holds a " + existing.getClass().getName()
                    + "; pass a PretrainedModel variable, a catalogue name or a model directory");
        } else {
            try (PretrainedModel pm = new SessionResolver(session, "embed").pretrainedUnlessVariable(spec)) {
                embeddings = embed(pm, texts, labels, options, p);
            }
        }
        kernel.display(kernel.getRenderer().render(embeddings));
        String as = p.identifier("as");
        if (as != null) {
            session.bind(as, embeddings, Embeddings.class);
        }
    }

    private static Embeddings embed(PretrainedModel pm, List<String> texts, List<String> labels, EmbedOptions options,
                                    MagicOptions.Parsed p) {
        try {
            return Embedder.embed(pm, texts, labels, options);
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
    }
}
