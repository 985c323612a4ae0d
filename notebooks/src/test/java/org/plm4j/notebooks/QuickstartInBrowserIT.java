package org.plm4j.notebooks;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.plm4j.kernel.runner.NotebookRunner;
import org.plm4j.kernel.runner.ParameterInjector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The quickstart in a real browser: {@code ./plm4j notebook} serves a copy of {@code 00-quickstart.ipynb} (small
 * parameters injected) from a temporary directory, and Debian's headless {@code chromium}, driven through
 * {@code chromium-driver}, opens it in Notebook 6, checks it is not dirty, runs all cells and checks what
 * rendered. The committed notebook is only read. Every process the test starts (Jupyter, the kernel, chromium,
 * chromedriver) is ended on every path, and the test fails if one is left.
 */
class QuickstartInBrowserIT {

    private static final String NOTEBOOK = "00-quickstart.ipynb";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int STEPS = 20;
    /** Small enough to run in about a minute on 2 busy cores. */
    private static final Map<String, String> SMALL_RUN = Map.of("steps", String.valueOf(STEPS),
            "vocabSize", "1000", "sequenceLength", "32", "batchSize", "16");
    private static final Duration SERVER_START = Duration.ofSeconds(60);
    private static final Duration KERNEL_READY = Duration.ofSeconds(60);
    private static final Duration RUN_ALL = Duration.ofSeconds(150);

    @Test
    @Timeout(value = 280, unit = TimeUnit.SECONDS)
    void quickstartOpensCleanRunsAllCellsAndRendersChartTableAndFinishedProgress(@TempDir Path tmp) throws Throwable {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertTrue(Files.isExecutable(p), p + " is missing: apt-get install chromium chromium-driver"
                    + " (./plm4j test installs them)");
        }
        Path root = root();
        Path original = root.resolve("notebooks").resolve(NOTEBOOK);
        byte[] committed = Files.readAllBytes(original);
        Path served = Files.createDirectories(tmp.resolve("notebooks"));
        JsonObject copy = NotebookRunner.read(original);
        ParameterInjector.inject(copy, SMALL_RUN);
        NotebookRunner.write(copy, served.resolve(NOTEBOOK));

        // last resort if the JVM is stopped mid-test (e.g. Maven's fork timeout)
        Thread hook = new Thread(() -> Processes.kill(leftovers(tmp)));
        Runtime.getRuntime().addShutdownHook(hook);
        Throwable failure = null;
        try {
            runInBrowser(root, served, tmp, copy.getAsJsonObject("metadata"));
        } catch (Throwable t) {
            failure = t;
        }
        String left = endLeftovers(tmp);
        Runtime.getRuntime().removeShutdownHook(hook);
        if (failure != null) {
            if (left != null) {
                failure.addSuppressed(new AssertionError(left));
            }
            throw failure;
        }
        assertEquals(null, left);
        assertArrayEquals(committed, Files.readAllBytes(original), NOTEBOOK + " changed on disk during the test");
    }

    private static void runInBrowser(Path root, Path served, Path tmp, JsonObject storedMetadata) throws Exception {
        try (NotebookServer server = NotebookServer.start(root, served, tmp, SERVER_START)) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                    .withLogFile(tmp.resolve("chromedriver.log").toFile()).build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1400,3600", "--user-data-dir=" + tmp.resolve("chromium"));
            WebDriver driver = new ChromeDriver(service, options);
            try {
                checkInBrowser(driver, server, storedMetadata);
            } catch (Throwable t) {
                screenshot(driver, root, "quickstart-in-browser-failure.png");
                throw t;
            } finally {
                driver.quit();
            }
        }
    }

    private static void checkInBrowser(WebDriver driver, NotebookServer server, JsonObject storedMetadata) throws Exception {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        driver.get(server.notebookUrl(NOTEBOOK));
        // Notebook 6 sets info_reply and fires kernel_ready (which may mark the notebook dirty) in one go
        await(js, KERNEL_READY, "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded"
                        + " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.info_reply"
                        + " && Jupyter.notebook.kernel.info_reply.language_info);",
                () -> "the notebook did not open with a ready kernel; Jupyter's log:\n" + server.logTail());
        Thread.sleep(1000);
        Object dirty = js.executeScript("return Jupyter.notebook.dirty;");
        String saveStatus = String.valueOf(js.executeScript(
                "var s = document.querySelector('.autosave_status'); return s ? s.textContent : '';"));
        String metadataNow = String.valueOf(js.executeScript("return JSON.stringify(Jupyter.notebook.metadata);"));
        assertEquals(Boolean.FALSE, dirty, "the notebook is dirty right after opening (status '" + saveStatus
                + "'); stored metadata " + storedMetadata + ", after the kernel started " + metadataNow);
        assertFalse(saveStatus.contains("unsaved"), "save status right after opening: " + saveStatus);

        WebDriverWait menu = new WebDriverWait(driver, Duration.ofSeconds(10));
        menu.until(ExpectedConditions.elementToBeClickable(By.id("celllink"))).click();
        menu.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#run_all_cells > a"))).click();
        awaitAllCellsRun(js);

        long pngs = (Long) js.executeScript("return Jupyter.notebook.get_cells().filter(function (c) { return c.output_area; })"
                + ".reduce(function (n, c) { return n + c.output_area.outputs.filter(function (o) {"
                + " return o.data && o.data['image/png']; }).length; }, 0);");
        // HTML outputs (e.g. a PCA result's) may embed PNGs too: every PNG image must have rendered
        @SuppressWarnings("unchecked")
        List<Long> widths = (List<Long>) js.executeScript("return Array.prototype.map.call("
                + "document.querySelectorAll('img[src^=\"data:image/png\"]'),"
                + " function (i) { return i.complete ? i.naturalWidth : 0; });");
        assertTrue(pngs > 0, "the kernel sent no image/png output");
        assertTrue(widths.size() >= pngs && widths.stream().allMatch(w -> w > 0),
                pngs + " image/png outputs, PNG images in the page with their natural widths: " + widths);

        long tableRows = (Long) js.executeScript(
                "return document.querySelectorAll('.output_html table tr, .jp-RenderedHTMLCommon table tr').length;");
        assertTrue(tableRows >= 2, "no HTML table with a header and a row rendered (" + tableRows + " rows)");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> bars = (List<Map<String, Object>>) js.executeScript(
                "return Array.prototype.map.call(document.querySelectorAll('.plm4j-progress'), function (d) {"
                        + " var p = d.querySelector('progress');"
                        + " return {value: p ? p.value : -1, max: p ? p.max : -1, text: d.textContent}; });");
        assertFalse(bars.isEmpty(), "no live progress display (.plm4j-progress) in the page");
        for (Map<String, Object> bar : bars) {
            double value = ((Number) bar.get("value")).doubleValue(), max = ((Number) bar.get("max")).doubleValue();
            assertTrue(max > 0 && value == max, "a progress display did not reach its total: " + bar.get("text"));
        }
        assertTrue(bars.stream().anyMatch(b -> String.valueOf(b.get("text")).contains(STEPS + " / " + STEPS)),
                "no progress display shows " + STEPS + " / " + STEPS + ": " + bars);

        js.executeScript("document.querySelector('.plm4j-progress').scrollIntoView();");
        screenshot(driver, root(), "quickstart-in-browser.png");
    }

    /** Waits until every code cell has an execution count; fails at the first error output or at the deadline. */
    private static void awaitAllCellsRun(JavascriptExecutor js) throws InterruptedException {
        String state = "return Jupyter.notebook.get_cells().map(function (c, i) {"
                + " if (c.cell_type !== 'code') return null;"
                + " var errors = c.output_area.outputs.filter(function (o) { return o.output_type === 'error'; })"
                + "   .map(function (o) { return o.ename + ': ' + o.evalue; });"
                + " var n = c.input_prompt_number;"
                + " return {index: i, prompt: n === undefined || n === null ? '' : String(n),"
                + "   error: errors.join('; '), source: c.get_text().split('\\n')[0]};"
                + "}).filter(function (x) { return x; });";
        long start = System.nanoTime(), deadline = start + RUN_ALL.toNanos();
        List<Map<String, Object>> cells = List.of();
        while (System.nanoTime() < deadline) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> now = (List<Map<String, Object>>) js.executeScript(state);
            cells = now;
            for (Map<String, Object> c : cells) {
                if (!String.valueOf(c.get("error")).isEmpty()) {
                    fail("cell " + c.get("index") + " (" + c.get("source") + ") failed: " + c.get("error"));
                }
            }
            if (!cells.isEmpty() && cells.stream().allMatch(c -> String.valueOf(c.get("prompt")).matches("\\d+"))) {
                System.out.printf("all %d code cells ran in %.1f s%n", cells.size(), (System.nanoTime() - start) / 1e9);
                return;
            }
            Thread.sleep(500);
        }
        List<String> waiting = new ArrayList<>();
        for (Map<String, Object> c : cells) {
            if (!String.valueOf(c.get("prompt")).matches("\\d+")) {
                waiting.add("cell " + c.get("index") + " [" + c.get("prompt") + "] (" + c.get("source") + ")");
            }
        }
        fail("after " + RUN_ALL.toSeconds() + " s these cells had not run (first is the one running): " + waiting);
    }

    private static void await(JavascriptExecutor js, Duration timeout, String condition, Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(js.executeScript(condition))) {
                return;
            }
            Thread.sleep(250);
        }
        fail("after " + timeout.toSeconds() + " s: " + message.get());
    }

    private static void screenshot(WebDriver driver, Path root, String name) {
        try {
            Path target = Files.createDirectories(root.resolve("notebooks/target"));
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("screenshot: " + target.resolve(name));
        } catch (Exception e) {
            System.err.println("no screenshot " + name + ": " + e);
        }
    }

    /** Processes still running from this test: this JVM's children, and any process naming the test's directory. */
    private static List<ProcessHandle> leftovers(Path tmp) {
        LinkedHashSet<ProcessHandle> found = new LinkedHashSet<>(ProcessHandle.current().descendants().toList());
        found.addAll(Processes.withCommandLineContaining(tmp.toString()));
        return new ArrayList<>(found);
    }

    /** Gives the test's processes 10 s to exit, kills the rest; returns a description of those, or null. */
    private static String endLeftovers(Path tmp) throws InterruptedException {
        boolean interrupted = Thread.interrupted(); // a JUnit timeout must not skip the clean-up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = leftovers(tmp);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            left = leftovers(tmp);
        }
        String described = left.isEmpty() ? null : Processes.describe(left);
        Processes.kill(left);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return described == null ? null : "processes left running after the test (now killed):\n" + described;
    }

    private static Path root() {
        String env = System.getenv("PLM4J_ROOT");
        return (env != null ? Path.of(env) : Path.of("..")).toAbsolutePath().normalize();
    }
}
