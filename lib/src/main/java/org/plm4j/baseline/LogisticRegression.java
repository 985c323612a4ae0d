package org.plm4j.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plm4j.classify.Prediction;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The logistic regression shared by the baselines: Tribuo's {@link LinearSGDTrainer} with the
 * multinomial log loss ({@link LogMulticlass}) and AdaGrad, one example per step, seeded. Features
 * arrive as sparse rows (names and values); {@link #predict} returns probabilities in label order.
 */
final class LogisticRegression {

    /**
     * Tribuo's SGD trainers log two INFO lines per fit (examples, label ids); in a notebook that
     * buries the results. Only that logger is turned down (kept here so the setting is not
     * garbage-collected with it); Tribuo's warnings still show.
     */
    private static final java.util.logging.Logger TRIBUO_SGD_LOG =
            java.util.logging.Logger.getLogger("org.tribuo.common.sgd.AbstractSGDTrainer");


    /** AdaGrad's epsilon, as in Tribuo's {@code LogisticRegressionTrainer}. */
    static final double ADAGRAD_EPSILON = 0.1;

    private final Model<Label> model;
    private final List<String> labels;

    private LogisticRegression(Model<Label> model, List<String> labels) {
        this.model = model;
        this.labels = labels;
    }

    /** A sparse feature row: names (unique) with their values. */
    record Row(String[] names, double[] values) {
        boolean isEmpty() {
            return names.length == 0;
        }
    }

    static LogisticRegression train(String dataName, List<Row> rows, List<String> labelOfEach, List<String> labels,
            int epochs, double learningRate, long seed) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(dataName, factory), factory);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (!r.isEmpty()) {
                data.add(new ArrayExample<>(new Label(labelOfEach.get(i)), r.names(), r.values()));
            }
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("no training text of '" + dataName + "' has a feature; "
                    + "the texts are empty or every term is below the minimum document frequency");
        }
        TRIBUO_SGD_LOG.setLevel(java.util.logging.Level.WARNING);
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(),
                new AdaGrad(learningRate, ADAGRAD_EPSILON), epochs, -1, 1, seed);
        return new LogisticRegression(trainer.train(data), List.copyOf(labels));
    }

    Model<Label> model() {
        return model;
    }

    /** Probabilities of {@code row} in label order; null if the row has no feature the model knows. */
    Prediction predict(Row row) {
        if (row.isEmpty() || !knowsAFeature(row)) {
            return null;
        }
        Example<Label> example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, row.names(), row.values());
        Map<String, Label> scores = model.predict(example).getOutputScores();
        double[] p = new double[labels.size()];
        for (int i = 0; i < p.length; i++) {
            Label l = scores.get(labels.get(i));
            p[i] = l == null ? 0.0 : l.getScore();
        }
        return Prediction.of(labels, p);
    }

    private boolean knowsAFeature(Row row) {
        for (String n : row.names()) {
            if (model.getFeatureIDMap().getID(n) >= 0) {
                return true;
            }
        }
        return false;
    }

    static List<Prediction> predictAll(LogisticRegression lr, List<Row> rows, Prediction fallback) {
        List<Prediction> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Prediction p = lr.predict(r);
            out.add(p == null ? fallback : p);
        }
        return out;
    }
}
