package org.plm4j.extension.magic;

import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.plm4j.embed.Embeddings;
import org.plm4j.extension.session.Session;
import org.plm4j.pca.CountMatrix;
import org.plm4j.pca.GiniPca;
import org.plm4j.pca.GiniPcaConfig;
import org.plm4j.pca.GiniPcaResult;
import org.plm4j.pca.GlmPca;
import org.plm4j.pca.GlmPcaConfig;
import org.plm4j.pca.GlmPcaResult;
import org.plm4j.pca.Kernel;
import org.plm4j.pca.KernelPca;
import org.plm4j.pca.KernelPcaResult;
import org.plm4j.pca.Pca;
import org.plm4j.pca.PcaConfig;
import org.plm4j.pca.PcaResult;

/**
 * {@code %pca}: principal components of embeddings (or any matrix variable) from a notebook line.
 * A thin parser over {@link Pca#fit(double[][], PcaConfig)} and
 * {@link KernelPca#fit(double[][], Kernel, int)}: it shows the explained-variance table, the
 * scree chart (truncation marked) and a 2-D scatter coloured by label, and binds the result
 * ({@link PcaResult} or {@link KernelPcaResult}) with {@code --as}. {@code --method gini} calls
 * {@link GiniPca#fit(double[][], GiniPcaConfig)}; {@code --method glm-poisson | glm-nb} calls
 * {@link GlmPca#fit(double[][], GlmPcaConfig)} on a {@link CountMatrix} or a double[][] of counts.
 */
public final class PcaMagic extends OptionsMagic {

    static final MagicOptions OPTIONS = MagicOptions.builder("pca", "principal component analysis of embeddings")
            .option("data", "VAR", null, "an Embeddings, double[][] or float[][] variable (rows are samples); "
                    + "for glm-*: a CountMatrix or double[][] of counts")
            .option("method", "pca|gini|glm-poisson|glm-nb", "pca", "classical PCA, Gini PCA (robust to outliers), "
                    + "or GLM-PCA of counts (Poisson or negative binomial)")
            .option("components", "K|FRACTION|optimal", PcaConfig.DEFAULT_COMPONENTS,
                    "an integer k, a fraction of variance to keep (0.9), or 'optimal' (Gavish-Donoho threshold); "
                    + "gini and glm-* take an integer")
            .option("nu", "NU", GiniPcaConfig.DEFAULT_NU, "gini: the generalised Gini parameter (> 1)")
            .option("theta", "T", GlmPcaConfig.DEFAULT_THETA, "glm-nb: the negative binomial dispersion")
            .option("solver", "full|randomized|auto", "auto", "exact, randomized (Halko et al.), or chosen by size")
            .flag("whiten", "transform to unit-variance coordinates")
            .option("seed", "N", PcaConfig.DEFAULT_SEED, "seed of the randomized solver (and of GLM-PCA's start)")
            .option("kernel", "rbf|poly", null, "kernel PCA instead of linear PCA (a few thousand rows)")
            .option("gamma", "G", null, "kernel gamma (default 1/d)")
            .option("degree", "D", Kernel.DEFAULT_DEGREE, "polynomial kernel degree")
            .option("coef0", "C", Kernel.DEFAULT_COEF0, "polynomial kernel coef0")
            .option("labels", "VAR", null, "a List<String> or String[] variable colouring the scatter (default: the Embeddings' labels)")
            .option("as", "NAME", null, "bind the PcaResult (KernelPcaResult, GiniPcaResult, GlmPcaResult) to this variable")
            .javaCall("""
                    PcaResult pca = Pca.fit(embeddings, PcaConfig.parse("10")  // or PcaConfig.of(10), keepVariance(0.9), optimal()
                            .toBuilder().optMethod(PcaConfig.Method.AUTO)         // FULL, RANDOMIZED
                            .optWhiten(false).build());
                    pca;                                // table + scree chart (truncation marked)
                    pca.scatter(embeddings.matrix(), embeddings.labels().toArray(String[]::new));
                    KernelPcaResult kpca = KernelPca.fit(embeddings.matrix(), Kernel.rbf(gamma), 2);  // --kernel rbf|poly
                    kpca.scatter(labels);
                    GiniPcaResult gini = GiniPca.fit(embeddings.matrix(),                     // --method gini
                            GiniPcaConfig.builder().optComponents(2).optNu(nu).build());
                    gini.scatter(embeddings.matrix(), labels);
                    CountMatrix counts = CountMatrix.of(corpus, tokenizer);                   // document-term counts
                    GlmPcaResult glm = GlmPca.fit(counts.counts(),                            // --method glm-poisson
                            GlmPcaConfig.poisson(2).toBuilder().optSeed(seed).build());       // glm-nb: negativeBinomial(2, theta)
                    glm;                                // components with their top terms + deviance trace
                    glm.scatter(labels);""")
            .build();

    public PcaMagic() {
        super(OPTIONS);
    }

    @Override
    void run(BaseKernel kernel, Session session, MagicOptions.Parsed p) {
        String dataVar = p.identifier("data");
        if (dataVar == null) {
            throw p.error("--data is required: the name of an Embeddings, double[][] or float[][] variable");
        }
        Object data = session.variable(dataVar)
                .orElseThrow(() -> p.error("--data " + dataVar + ": no such variable in this session"));
        String analysis = p.string("method").toLowerCase(Locale.ROOT);
        if (analysis.startsWith("glm-")) {
            runGlm(kernel, session, p, dataVar, data, analysis);
            return;
        }
        if (!analysis.equals("pca") && !analysis.equals("gini")) {
            throw p.error("--method " + p.string("method") + ": use pca, gini, glm-poisson or glm-nb");
        }
        double[][] matrix;
        float[][] floats = null;
        String[] labels = null;
        if (data instanceof Embeddings e) {
            floats = e.vectors();
            matrix = e.matrix();
            if (e.hasLabels()) {
                labels = e.labels().toArray(String[]::new);
            }
        } else if (data instanceof double[][] m) {
            matrix = m;
        } else if (data instanceof float[][] f) {
            floats = f;
            matrix = toDouble(f);
        } else {
            throw p.error("--data " + dataVar + " holds a " + data.getClass().getName()
                    + "; pass Embeddings, double[][] or float[][]");
        }
        String labelsVar = p.identifier("labels");
        if (labelsVar != null) {
            labels = labels(session, labelsVar, matrix.length, p);
        }
        String[] l = labels;
        if (l == null) {
            l = new String[matrix.length];
            java.util.Arrays.fill(l, "all");
        }
        String as = p.identifier("as");

        if (analysis.equals("gini")) {
            GiniPcaResult gini;
            try {
                gini = GiniPca.fit(matrix, GiniPcaConfig.builder().optComponents(integerComponents(p, "Gini PCA"))
                        .optNu(p.real("nu")).build());
            } catch (IllegalArgumentException e) {
                throw p.error(e.getMessage());
            }
            kernel.display(kernel.getRenderer().render(gini.toTable()));
            if (gini.components() >= 2) {
                kernel.display(kernel.getRenderer().render(gini.scatter(matrix, l)));
            }
            if (as != null) {
                session.bind(as, gini, GiniPcaResult.class);
            }
            return;
        }

        String kernelName = p.string("kernel");
        if (kernelName != null) {
            double gamma = p.has("gamma") ? p.real("gamma") : Double.NaN;
            Kernel k = switch (kernelName.toLowerCase(Locale.ROOT)) {
                case "rbf" -> Kernel.rbf(gamma);
                case "poly", "polynomial" -> Kernel.poly(p.integer("degree"), gamma, p.real("coef0"));
                default -> throw p.error("--kernel " + kernelName + ": use rbf or poly");
            };
            KernelPcaResult kpca = KernelPca.fit(matrix, k, integerComponents(p, "kernel PCA"));
            kernel.display(kernel.getRenderer().render(kpca.toTable()));
            if (kpca.components() >= 2) {
                kernel.display(kernel.getRenderer().render(kpca.scatter(l)));
            }
            if (as != null) {
                session.bind(as, kpca, KernelPcaResult.class);
            }
            return;
        }

        PcaConfig config;
        try {
            config = PcaConfig.parse(p.string("components"));
        } catch (IllegalArgumentException e) {
            throw p.error("--components: " + e.getMessage());
        }
        PcaConfig.Method method = switch (p.string("solver").toLowerCase(Locale.ROOT)) {
            case "full" -> PcaConfig.Method.FULL;
            case "randomized" -> PcaConfig.Method.RANDOMIZED;
            case "auto" -> config.truncation() == PcaConfig.Truncation.FIXED ? PcaConfig.Method.AUTO : PcaConfig.Method.FULL;
            default -> throw p.error("--solver " + p.string("solver") + ": use full, randomized or auto");
        };
        try {
            config = config.toBuilder().optMethod(method).optWhiten(p.flag("whiten"))
                    .optRandomized(config.oversampling(), config.powerIterations(), p.longValue("seed")).build();
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        PcaResult pca = floats != null ? Pca.fit(floats, config) : Pca.fit(matrix, config);
        kernel.display(kernel.getRenderer().render(pca.toTable()));
        kernel.display(kernel.getRenderer().render(pca.screeChart()));
        if (pca.components() >= 2) {
            kernel.display(kernel.getRenderer().render(pca.scatter(matrix, l)));
        }
        if (as != null) {
            session.bind(as, pca, PcaResult.class);
        }
    }

    /** {@code --method glm-poisson | glm-nb}: GLM-PCA of a CountMatrix or a double[][] of counts. */
    private static void runGlm(BaseKernel kernel, Session session, MagicOptions.Parsed p, String dataVar, Object data,
            String method) {
        double[][] counts;
        if (data instanceof CountMatrix cm) {
            counts = cm.counts();
        } else if (data instanceof double[][] m) {
            counts = m;
        } else {
            throw p.error("--data " + dataVar + " holds a " + data.getClass().getName()
                    + "; GLM-PCA takes a CountMatrix (CountMatrix.of(corpus, tokenizer)) or a double[][] of counts");
        }
        GlmPcaConfig.Family family;
        try {
            family = GlmPcaConfig.Family.parse(method);
        } catch (IllegalArgumentException e) {
            throw p.error("--method " + method + ": use pca, gini, glm-poisson or glm-nb");
        }
        GlmPcaResult glm;
        try {
            GlmPcaConfig.Builder b = GlmPcaConfig.builder().setFamily(family)
                    .optComponents(integerComponents(p, "GLM-PCA")).optSeed(p.longValue("seed"));
            glm = GlmPca.fit(counts, (family == GlmPcaConfig.Family.NEGATIVE_BINOMIAL ? b.optTheta(p.real("theta")) : b)
                    .build());
        } catch (IllegalArgumentException e) {
            throw p.error(e.getMessage());
        }
        kernel.display(kernel.getRenderer().render(glm));
        if (glm.components() >= 2) {
            String labelsVar = p.identifier("labels");
            String[] labels = labelsVar == null ? null : labels(session, labelsVar, counts.length, p);
            kernel.display(kernel.getRenderer().render(glm.scatter(labels)));
        }
        String as = p.identifier("as");
        if (as != null) {
            session.bind(as, glm, GlmPcaResult.class);
        }
    }

    private static int integerComponents(MagicOptions.Parsed p, String what) {
        String spec = p.string("components");
        if (!spec.matches("\\d+")) {
            throw p.error("--components " + spec + ": " + what + " takes an integer number of components");
        }
        return Integer.parseInt(spec);
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
