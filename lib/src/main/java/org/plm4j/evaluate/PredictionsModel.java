package org.plm4j.evaluate;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;

/**
 * The smallest Tribuo {@link Model} that lets {@link org.tribuo.classification.evaluation.LabelEvaluator}
 * evaluate predictions made elsewhere: it carries only the label domain (the classifier's labels,
 * over which Tribuo macro-averages) and the classifier's name in its provenance. It cannot predict.
 */
final class PredictionsModel extends Model<Label> {

    private static final long serialVersionUID = 1L;

    private PredictionsModel(String name, ModelProvenance provenance, ImmutableOutputInfo<Label> labels) {
        super(name, provenance, new ImmutableFeatureMap(List.of()), labels, false);
    }

    /** A model whose output domain is exactly {@code labels}, recording {@code classifier} as its name. */
    static PredictionsModel of(String classifier, List<String> labels) {
        MutableOutputInfo<Label> info = new LabelFactory().generateInfo();
        for (String l : labels) {
            info.observe(new Label(l));
        }
        Map<String, Provenance> instance = Map.of("classifier", new StringProvenance("classifier", classifier));
        ModelProvenance provenance = new ModelProvenance(PredictionsModel.class.getName(), OffsetDateTime.now(),
                new EmptyDatasetProvenance(), new EmptyTrainerProvenance(), instance);
        return new PredictionsModel(classifier, provenance, info.generateImmutableOutputInfo());
    }

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        throw new UnsupportedOperationException("this model only carries the label domain of predictions made by '"
                + getName() + "'; predict with that classifier");
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Map.of();
    }

    @Override
    public Optional<org.tribuo.Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
        return new PredictionsModel(newName, newProvenance, getOutputIDInfo());
    }
}
