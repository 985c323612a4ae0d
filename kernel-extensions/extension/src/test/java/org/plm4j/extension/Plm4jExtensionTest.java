package org.plm4j.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChartBuilder;

/**
 * The extension against a kernel that is nothing but jjava-jupyter's {@link BaseKernel} — what an
 * upstream JJava kernel offers an extension. If the extension needed anything of the plm4j kernel,
 * this would not compile or not install.
 */
class Plm4jExtensionTest {

    /** The smallest possible kernel on the base library, with no plm4j kernel classes. */
    static final class BareKernel extends BaseKernel {
        BareKernel() {
            super("bare", "0", null, List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
                    new Renderer(), null, new MagicsRegistry(), true, new StringStyler.Builder().build());
        }

        @Override
        public Object evalRaw(String source) {
            throw new UnsupportedOperationException("not a real kernel");
        }

        @Override
        public DisplayData inspect(String code, int at, boolean extraDetail) {
            return null;
        }

        @Override
        public ReplacementOptions complete(String code, int at) {
            return null;
        }

        @Override
        public String isComplete(String code) {
            return IS_COMPLETE_MAYBE;
        }
    }

    @Test
    void isFoundByServiceLoaderAsTheBaseLibraryLooksForExtensions() {
        var found = ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::type).toList();
        assertTrue(found.contains(Plm4jExtension.class), "ServiceLoader found " + found);
    }

    @Test
    void installsMagicsAndRenderersIntoABareBaseKernel() {
        BareKernel kernel = new BareKernel();
        new Plm4jExtension().install(kernel);
        assertTrue(kernel.getMagicsRegistry().getLineMagicNames().containsAll(List.of("pretrain", "tokenizer", "dataset", "pca", "backtranslate", "finetune", "evaluate", "embed")),
                "line magics: " + kernel.getMagicsRegistry().getLineMagicNames());
        var chart = new XYChartBuilder().width(100).height(80).title("t").build();
        chart.addSeries("s", new double[] {1, 2}, new double[] {2, 1});
        DisplayData png = kernel.getRenderer().render(chart);
        assertNotNull(png.getData(MIMEType.IMAGE_PNG));
    }

    @Test
    void magicHelpIsDisplayedAndShowsTheJavaCall() throws Exception {
        BareKernel kernel = new BareKernel();
        new Plm4jExtension().install(kernel);
        // no cell is running, so the display is dropped; the magic must still answer without error
        Object value = kernel.getMagicsRegistry().evalLineMagic(kernel, "pretrain", List.of("--help"));
        assertEquals(null, value);
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("pretrain").contains("PretrainPlan.builder()"));
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("pca").contains("Pca.fit("));
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("tokenizer").contains("Trainer.train("));
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("dataset").contains("Datasets."));
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("backtranslate").contains("Augmenter.of("));
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("finetune").contains("FineTuner.builder()"));
        assertTrue(org.plm4j.extension.magic.MagicCatalog.help("evaluate").contains("ClassificationEvaluation.of("));
    }

    @Test
    void extensionClassesReferenceNoPlm4jKernelClass() throws IOException {
        var location = Plm4jExtension.class.getProtectionDomain().getCodeSource().getLocation();
        var root = java.nio.file.Path.of(java.net.URI.create(location.toString()));
        try (var files = java.nio.file.Files.walk(root)) {
            for (var f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String bytes = new String(java.nio.file.Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertTrue(!bytes.contains("org/plm4j/kernel/"), f + " references the plm4j kernel");
            }
        }
    }
}
