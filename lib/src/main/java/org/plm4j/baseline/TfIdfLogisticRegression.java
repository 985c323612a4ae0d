package org.plm4j.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.plm4j.classify.Prediction;
import org.plm4j.classify.TextClassifier;
import org.plm4j.corpus.LabeledTexts;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * The classic text-classification baseline: TF-IDF word n-grams (see {@link TfIdfConfig} for the
 * exact features) into Tribuo's multinomial logistic regression trained by AdaGrad. Immutable.
 *
 * <p>A text with no term of the training vocabulary gets the training class frequencies (what
 * {@link MajorityClassifier} predicts). Same data and configuration (including the seed) give
 * identical predictions.
 */
public final class TfIdfLogisticRegression implements TextClassifier {

    private final TfIdfConfig config;
    private final TfIdfVectorizer vectorizer;
    private final LogisticRegression regression;
    private final List<String> labels;
    private final Prediction prior;

    private TfIdfLogisticRegression(TfIdfConfig config, TfIdfVectorizer vectorizer, LogisticRegression regression,
            List<String> labels, Prediction prior) {
        this.config = config;
        this.vectorizer = vectorizer;
        this.regression = regression;
        this.labels = labels;
        this.prior = prior;
    }

    /** {@link #fit(LabeledTexts, TfIdfConfig)} with {@link TfIdfConfig#defaults()}. */
    public static TfIdfLogisticRegression fit(LabeledTexts train) {
        return fit(train, TfIdfConfig.defaults());
    }

    /**
     * Fits the vocabulary and idf on {@code train}'s texts, then the logistic regression.
     *
     * @throws IllegalArgumentException if {@code train} is empty, has fewer than two labels, or no
     *     text keeps a term (try a lower {@code minDocumentFrequency})
     */
    public static TfIdfLogisticRegression fit(LabeledTexts train, TfIdfConfig config) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(config, "config");
        if (train.labels().size() < 2) {
            throw new IllegalArgumentException("the training set '" + train.name() + "' has " + train.labels().size()
                    + " label(s) " + train.labels() + "; a classifier needs at least two");
        }
        TfIdfVectorizer vectorizer = TfIdfVectorizer.fit(train.texts(), config);
        List<LogisticRegression.Row> rows = new ArrayList<>(train.size());
        for (String t : train.texts()) {
            rows.add(vectorizer.transform(t));
        }
        LogisticRegression lr = LogisticRegression.train(train.name(), rows, train.labelOfEach(), train.labels(),
                config.epochs(), config.learningRate(), config.seed());
        return new TfIdfLogisticRegression(config, vectorizer, lr, train.labels(), MajorityClassifier.prior(train));
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Prediction predict(String text) {
        Prediction p = regression.predict(vectorizer.transform(text));
        return p == null ? prior : p;
    }

    @Override
    public String name() {
        return "TF-IDF + LR";
    }

    /** The configuration this classifier was fitted with. */
    public TfIdfConfig config() {
        return config;
    }

    /** Number of TF-IDF features (terms kept). */
    public int vocabularySize() {
        return vectorizer.vocabularySize();
    }

    /** The terms kept, sorted. */
    public List<String> vocabulary() {
        return vectorizer.vocabulary();
    }

    /** The trained Tribuo model (with Tribuo's provenance: trainer, seed, data). */
    public Model<Label> tribuo() {
        return regression.model();
    }

    @Override
    public String toString() {
        return "TfIdfLogisticRegression[" + labels.size() + " labels, " + vocabularySize() + " terms, " + config + "]";
    }
}
