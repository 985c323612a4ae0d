package org.plm4j.extension.magic;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.plm4j.embed.Embeddings;
import org.plm4j.extension.session.Session;
import org.plm4j.pca.Pca;
import org.plm4j.pca.PcaConfig;
import org.plm4j.pca.PcaResult;

/**
 * {@code %pca}: principal components of embeddings (or any matrix variable) from a notebook line.
 * A thin parser over {@link Pca#fit(double[][], PcaConfig)}: it shows the explained-variance
 * table, the scree chart and a 2-D scatter coloured by label, and binds the result with
 * {@code --as}.
 */
public final class PcaMagic implements LineMagic<Void, BaseKernel> {

    static final MagicOptions OPTIONS = MagicOptions.builder("pca", "principal component analysis of embeddings")
            .option("data", "VAR", null, "an Embeddings, double[][] or float[][] variable (rows are samples)")
            .option("components", "K", PcaConfig.DEFAULT_COMPONENTS, "components to keep")
            .option("labels", "VAR", null, "a List<String> or String[] variable colouring the scatter (default: the Embeddings' labels)")
            .option("as", "NAME", null, "bind the PcaResult to this variable")
            .javaCall("""
                    PcaResult pca = Pca.fit(embeddings.matrix(), PcaConfig.of(components));
                    pca.toTable();                      // explained variance per component
                    pca.screeChart();
                    pca.scatter(embeddings.matrix(), embeddings.labels().toArray(String[]::new));""")
            .build();

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        MagicOptions.Parsed p = OPTIONS.parse(args);
        if (p.flag("help")) {
            kernel.display(new DisplayData(OPTIONS.help()));
            return null;
        }
        Session session = new Session(kernel);
        String dataVar = p.identifier("data");
        if (dataVar == null) {
            throw p.error("--data is required: the name of an Embeddings, double[][] or float[][] variable");
        }
        Object data = session.variable(dataVar)
                .orElseThrow(() -> p.error("--data " + dataVar + ": no such variable in this session"));
        double[][] matrix;
        String[] labels = null;
        if (data instanceof Embeddings e) {
            matrix = e.matrix();
            if (e.hasLabels()) {
                labels = e.labels().toArray(String[]::new);
            }
        } else if (data instanceof double[][] m) {
            matrix = m;
        } else if (data instanceof float[][] f) {
            matrix = toDouble(f);
        } else {
            throw p.error("--data " + dataVar + " holds a " + data.getClass().getName()
                    + "; pass Embeddings, double[][] or float[][]");
        }
        String labelsVar = p.identifier("labels");
        if (labelsVar != null) {
            labels = labels(session, labelsVar, matrix.length, p);
        }

        PcaResult pca = Pca.fit(matrix, PcaConfig.of(p.integer("components")));
        kernel.display(kernel.getRenderer().render(pca.toTable()));
        kernel.display(kernel.getRenderer().render(pca.screeChart()));
        if (pca.components() >= 2) {
            String[] l = labels != null ? labels : new String[matrix.length];
            if (labels == null) {
                java.util.Arrays.fill(l, "all");
            }
            kernel.display(kernel.getRenderer().render(pca.scatter(matrix, l)));
        }
        String as = p.identifier("as");
        if (as != null) {
            session.bind(as, pca, PcaResult.class);
        }
        return null;
    }

    private static String[] labels(Session session, String var, int rows, MagicOptions.Parsed p) {
        Object v = session.variable(var).orElseThrow(() -> p.error("--labels " + var + ": no such variable in this session"));
        String[] labels;
        if (v instanceof String[] a) {
            labels = a;
        } else if (v instanceof List<?> list) {
            labels = list.stream().map(String::valueOf).toArray(String[]::new);
        } else {
            throw p.error("--labels " + var + " holds a " + v.getClass().getName() + "; pass a List<String> or String[]");
        }
        if (labels.length != rows) {
            throw p.error("--labels " + var + " has " + labels.length + " labels for " + rows + " rows of data");
        }
        return labels;
    }

    private static double[][] toDouble(float[][] f) {
        double[][] d = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            d[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) {
                d[i][j] = f[i][j];
            }
        }
        return d;
    }
}
