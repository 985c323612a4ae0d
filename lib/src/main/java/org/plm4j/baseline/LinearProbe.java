package org.plm4j.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.plm4j.embed.EmbedOptions;
import org.plm4j.embed.Embedder;
import org.plm4j.model.MaskedLanguageModel;
import org.plm4j.tokenizer.Tokenizer;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * A linear probe: the encoder stays frozen, texts become mean-pooled embeddings
 * ({@link Embedder}), standardised with the training mean and standard deviation of each
 * dimension, and a Tribuo multinomial logistic regression is trained on them. It measures how
 * linearly separable the task is in the pretrained representation.
 *
 * <p>The probe keeps a reference to the model and tokenizer to embed the texts it predicts; it
 * does not own them, so the model must stay open while the probe is used (the caller closes it).
 * Same model, data and seed give identical predictions.
 */
public final class LinearProbe implements TextClassifier {

    /** Passes of the logistic regression over the training embeddings. */
    public static final int DEFAULT_EPOCHS = 20;
    /** AdaGrad's initial learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.5;

    private final MaskedLanguageModel model;
    private final Tokenizer tokenizer;
    private final LogisticRegression regression;
    private final List<String> labels;
    private final double[] mean;
    private final double[] scale;
    private final String[] featureNames;
    private final EmbedOptions options;

    private LinearProbe(MaskedLanguageModel model, Tokenizer tokenizer, LogisticRegression regression,
            List<String> labels, double[] mean, double[] scale, String[] featureNames, EmbedOptions options) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.regression = regression;
        this.labels = labels;
        this.mean = mean;
        this.scale = scale;
        this.featureNames = featureNames;
        this.options = options;
    }

    /**
     * Embeds {@code train} with the frozen {@code model} and fits the probe
     * ({@link #DEFAULT_EPOCHS} epochs, learning rate {@link #DEFAULT_LEARNING_RATE}).
     *
     * @throws IllegalArgumentException if {@code train} is empty or has fewer than two labels
     */
    public static LinearProbe fit(MaskedLanguageModel model, Tokenizer tokenizer, LabeledTexts train, long seed) {
        return fit(model, tokenizer, train, EmbedOptions.defaults(), seed);
    }

    /**
     * {@link #fit(MaskedLanguageModel, Tokenizer, LabeledTexts, long)} embedding with {@code options}
     * (for example {@code optMaxLength}: the probe then sees the same truncated input as a fine-tuned
     * model, and long texts cost no more than that); predictions embed the same way.
     */
    public static LinearProbe fit(MaskedLanguageModel model, Tokenizer tokenizer, LabeledTexts train,
                                  EmbedOptions options, long seed) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(train, "train");
        if (train.labels().size() < 2) {
            throw new IllegalArgumentException("the training set '" + train.name() + "' has " + train.labels().size()
                    + " label(s) " + train.labels() + "; a classifier needs at least two");
        }
        double[][] x = Embedder.embed(model, tokenizer, train.texts(), null, options).matrix();
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j]);
            scale[j] = sd > 1e-12 ? 1.0 / sd : 1.0;
        }
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format("dim%05d", j);
        }
        LinearProbe shell = new LinearProbe(model, tokenizer, null, train.labels(), mean, scale, names, options);
        List<LogisticRegression.Row> rows = shell.rows(x);
        LogisticRegression lr = LogisticRegression.train(train.name(), rows, train.labelOfEach(), train.labels(),
                DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, seed);
        return new LinearProbe(model, tokenizer, lr, train.labels(), mean, scale, names, options);
    }

    private List<LogisticRegression.Row> rows(double[][] x) {
        List<LogisticRegression.Row> rows = new ArrayList<>(x.length);
        for (double[] v : x) {
            double[] z = new double[v.length];
            for (int j = 0; j < v.length; j++) {
                z[j] = (v[j] - mean[j]) * scale[j];
            }
            rows.add(new LogisticRegression.Row(featureNames, z));
        }
        return rows;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Prediction predict(String text) {
        return predict(List.of(text)).get(0);
    }

    /** Embeds all texts in batches, then classifies each embedding. */
    @Override
    public List<Prediction> predict(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        double[][] x = Embedder.embed(model, tokenizer, texts, null, options).matrix();
        return LogisticRegression.predictAll(regression, rows(x), null);
    }

    @Override
    public String name() {
        return "linear probe";
    }

    /** The trained Tribuo model (with Tribuo's provenance: trainer, seed, data). */
    public Model<Label> tribuo() {
        return regression.model();
    }

    @Override
    public String toString() {
        return "LinearProbe[" + labels.size() + " labels, " + featureNames.length + " dimensions]";
    }
}
