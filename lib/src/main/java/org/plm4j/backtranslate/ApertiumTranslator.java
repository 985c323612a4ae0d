package org.plm4j.backtranslate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plm4j.record.Versions;

/**
 * The rule-based Apertium engine, driven through its {@code apertium} command (Debian package
 * {@code apertium} plus one package per language pair, e.g. {@code apertium-eng-spa}).
 *
 * <p><b>Batching and alignment.</b> Texts go to the command many at a time, one text per
 * paragraph: each text on its own line followed by a blank line. Apertium's plain-text
 * deformatter ends a sentence at every blank line, so no word moves between neighbouring texts
 * during reordering (with single newlines it does: {@code "the big\ncar is here"} comes back as
 * {@code "El coche\ngrande es aquí"}). As each text starts a sentence, Apertium capitalises its
 * first letter; it is lower-cased again when the source's first letter was lower case. Line breaks and other control characters inside a text
 * become spaces; surrounding whitespace is removed; blank texts translate to {@code ""} without
 * reaching the engine. Markup-like characters ({@code <b>}, {@code &amp;}, {@code [}, {@code ^},
 * {@code $}, {@code \}, {@code {}) are escaped by Apertium's deformatter and come back as they
 * were. The output is split at blank lines and its count checked; on any mismatch the batch is
 * halved and retried down to single texts, so the result is aligned or an exception, never
 * misaligned.
 *
 * <p><b>Context.</b> Apertium's structural-transfer stage keeps its variables from one sentence
 * to the next within a process, so a text can get a different inflection in a batch than alone
 * (measured: 28 of 30 sampled WordNet glosses identical; {@code "directed"} became
 * {@code "Dirigido"} instead of {@code "Dirigió"} after a text with {@code "rather than"}). Words
 * never move between texts. Put a {@link CachedTranslator} in front to make reruns repeat the
 * first result exactly.
 *
 * <p><b>Parallelism.</b> A batch is cut into equal chunks of at most {@link #chunkSize()} texts
 * and at least {@link #processes()} chunks, translated by that many concurrent processes. One
 * Apertium pipeline already runs its ten or so stages on different cores, so the default is one
 * process per two cores (see {@link #DEFAULT_PROCESSES} and {@code ./plm4j bench backtranslate --all}).
 *
 * <p><b>Failures.</b> A process that exits abnormally (killed, crashed), or gives no output for a
 * single non-empty text (a pipeline stage died while the last one exited normally), is retried up to
 * {@link #retries()} times for its chunk, then {@link BackTranslationException} says which pair,
 * the exit status and the end of its error output. A process that exceeds {@link #timeout()} is
 * killed and reported at once. A missing command or language pair is reported with the
 * {@code apt-get install} line that fixes it.
 *
 * <p>Instances are immutable and thread-safe; build with {@link #builder()} or take the defaults
 * with {@link #create()}.
 */
public final class ApertiumTranslator implements BackTranslator {

    /** The command run by default (looked up on {@code PATH}). */
    public static final String DEFAULT_COMMAND = "apertium";
    /**
     * Concurrent processes per batch by default: half the cores, at least one. One Apertium pipeline
     * keeps about two cores busy (its stages run concurrently); on two cores a second process was
     * measured no faster ({@code ./plm4j bench backtranslate --all}).
     */
    public static final int DEFAULT_PROCESSES = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Most texts sent to one process call by default. */
    public static final int DEFAULT_CHUNK_SIZE = 5000;
    /** Time one process call may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** Retries of a chunk whose process died, by default. */
    public static final int DEFAULT_RETRIES = 2;
    /** Unknown-word marks are removed by default. */
    public static final UnknownWords DEFAULT_UNKNOWN_WORDS = UnknownWords.STRIP;
    /** The Debian package named in install hints when the pair's own package is not known. */
    public static final String DEFAULT_PACKAGE = Pivot.DEFAULT.debianPackage();

    /** Version of the batching scheme and post-processing; part of the cache identity. */
    static final int SCHEME_VERSION = 2;

    private static final Pattern PAIR = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\r\\n|[\\r\\n\\u000B\\f\\u0085\\u2028\\u2029]|[\\p{Cc}&&[^\\t]]");
    private static final Pattern MARK = Pattern.compile("(?<![\\p{L}\\p{N}_*#@])[*#@]([\\p{L}\\p{N}][\\p{L}\\p{N}_'-]*)");
    private static final Map<String, String> PACKAGE_VERSIONS = new ConcurrentHashMap<>();

    private final String command;
    private final int processes;
    private final int chunkSize;
    private final Duration timeout;
    private final int retries;
    private final UnknownWords unknownWords;
    private final Map<String, Boolean> checkedPairs = new ConcurrentHashMap<>();

    private ApertiumTranslator(Builder b) {
        this.command = b.command;
        this.processes = b.processes;
        this.chunkSize = b.chunkSize;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.unknownWords = b.unknownWords;
    }

    /** An engine with every default: {@code apertium} on {@code PATH}, marks stripped. */
    public static ApertiumTranslator create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every option has its default in a {@code DEFAULT_*} constant of the class. */
    public static final class Builder {
        private String command = DEFAULT_COMMAND;
        private int processes = DEFAULT_PROCESSES;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private UnknownWords unknownWords = DEFAULT_UNKNOWN_WORDS;

        private Builder() {
        }

        /** The {@code apertium} command: a name looked up on {@code PATH} or a path to it. */
        public Builder optCommand(String command) {
            this.command = Objects.requireNonNull(command, "command");
            return this;
        }

        /** Concurrent processes per batch (1 or more). */
        public Builder optProcesses(int processes) {
            this.processes = processes;
            return this;
        }

        /** Most texts per process call (1 or more); smaller chunks retry faster, larger ones start fewer processes. */
        public Builder optChunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Time one process call may take before it is killed. */
        public Builder optTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Retries of a chunk whose process died (0 or more). */
        public Builder optRetries(int retries) {
            this.retries = retries;
            return this;
        }

        /** Strip or keep Apertium's {@code *}, {@code @}, {@code #} marks. */
        public Builder optUnknownWords(UnknownWords unknownWords) {
            this.unknownWords = Objects.requireNonNull(unknownWords, "unknownWords");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option and the value found
         */
        public ApertiumTranslator build() {
            if (command.isBlank()) {
                throw new IllegalArgumentException("command must not be blank; use \"" + DEFAULT_COMMAND + "\" or a path");
            }
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be >= 1, got " + processes);
            }
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be >= 0, got " + retries);
            }
            return new ApertiumTranslator(this);
        }
    }

    @Override
    public String name() {
        return "apertium";
    }

    public String command() {
        return command;
    }

    public int processes() {
        return processes;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public Duration timeout() {
        return timeout;
    }

    public int retries() {
        return retries;
    }

    public UnknownWords unknownWords() {
        return unknownWords;
    }

    /**
     * {@code apertium/PACKAGE=VERSION/marks=strip|keep/scheme=N}, the version read with
     * {@code dpkg-query} ({@code unknown} when dpkg does not know the package); for a pair outside
     * {@link Pivot#BUILT_IN} {@code apertium/mode:PAIR=unversioned/...}.
     */
    @Override
    public String identity(String pair) {
        String pkg = Pivot.packageFor(pair);
        String version = pkg == null ? "unversioned" : PACKAGE_VERSIONS.computeIfAbsent(pkg, Versions::debianPackage);
        return "apertium/" + (pkg == null ? "mode:" + pair : pkg) + "=" + version + "/marks=" + unknownWords.name().toLowerCase(java.util.Locale.ROOT)
                + "/scheme=" + SCHEME_VERSION;
    }

    @Override
    public List<String> translate(List<String> texts, String pair) {
        return translate(texts, pair, TranslationProgress.NONE);
    }

    /** Translates, reporting texts done as the process writes them out. */
    @Override
    public List<String> translate(List<String> texts, String pair, TranslationProgress progress) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(pair, "pair");
        if (!PAIR.matcher(pair).matches()) {
            throw new IllegalArgumentException("language pair must look like eng-spa (letters, digits, '-', '_'), got '" + pair + "'");
        }
        String[] out = new String[texts.size()];
        List<Integer> index = new ArrayList<>(texts.size());
        List<String> work = new ArrayList<>(texts.size());
        for (int i = 0; i < out.length; i++) {
            String clean = clean(Objects.requireNonNull(texts.get(i), () -> "text is null"));
            if (clean.isEmpty()) {
                out[i] = "";
            } else {
                index.add(i);
                work.add(clean);
            }
        }
        Tracker tracker = new Tracker(progress, texts.size());
        tracker.add(texts.size() - work.size());
        if (work.isEmpty()) {
            return List.of(out);
        }
        checkPair(pair);
        List<String> translated = translateAll(work, pair, tracker);
        for (int j = 0; j < work.size(); j++) {
            out[index.get(j)] = translated.get(j);
        }
        return List.of(out);
    }

    /** Texts done over all chunks of one call, reported one call at a time. */
    private static final class Tracker {
        private final TranslationProgress progress;
        private final long total;
        private long done;

        Tracker(TranslationProgress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        synchronized void add(long n) {
            if (n != 0) {
                done += n;
                progress.onProgress(done, total);
            }
        }
    }

    private List<String> translateAll(List<String> work, String pair, Tracker tracker) {
        int n = work.size();
        int chunks = Math.min(n, Math.max(processes, (n + chunkSize - 1) / chunkSize));
        if (chunks > processes) {
            chunks = (chunks + processes - 1) / processes * processes;
        }
        chunks = Math.min(n, chunks);
        List<List<String>> parts = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            parts.add(work.subList((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
        }
        if (parts.size() == 1) {
            return translateChunk(parts.get(0), pair, tracker);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(processes, parts.size()), r -> {
            Thread t = new Thread(r, "apertium-" + pair);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<String>>> futures = new ArrayList<>(parts.size());
            for (List<String> part : parts) {
                futures.add(pool.submit(() -> translateChunk(part, pair, tracker)));
            }
            List<String> all = new ArrayList<>(n);
            for (Future<List<String>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new BackTranslationException("apertium " + pair + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackTranslationException("interrupted while translating with apertium " + pair, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Translates one chunk with retries; on a count mismatch halves it until aligned. */
    private List<String> translateChunk(List<String> chunk, String pair, Tracker tracker) {
        String lastFailure = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
            String output;
            try {
                output = run(chunk, pair, tracker, reported);
            } catch (ProcessDiedException e) {
                tracker.add(-reported.get());
                lastFailure = e.getMessage();
                continue;
            }
            List<String> parts = split(output, chunk.size());
            if (parts == null || parts.stream().anyMatch(String::isBlank)) { // inputs are never blank
                tracker.add(-reported.get());
                if (chunk.size() == 1) {
                    if (output.isBlank()) { // a stage died and the pipeline's last stage exited normally
                        lastFailure = "no output for a non-empty text";
                        continue;
                    }
                    tracker.add(1);
                    return List.of(finish(output.strip().replaceAll("\\s*\\n\\s*", " "), chunk.get(0)));
                }
                int h = chunk.size() / 2;
                List<String> all = new ArrayList<>(translateChunk(chunk.subList(0, h), pair, tracker));
                all.addAll(translateChunk(chunk.subList(h, chunk.size()), pair, tracker));
                return all;
            }
            tracker.add(chunk.size() - reported.get());
            List<String> result = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                result.add(finish(parts.get(i), chunk.get(i)));
            }
            return result;
        }
        throw new BackTranslationException("apertium " + pair + " failed " + (retries + 1) + " time(s) on a chunk of "
                + chunk.size() + " text(s): " + lastFailure + ". Try translating fewer texts at once (optChunkSize), check "
                + "free memory, or run `echo 'The cat sat.' | " + command + " " + pair + "` by hand to see the error.");
    }

    /** The output split into {@code n} paragraphs, or null if it does not have exactly that shape. */
    static List<String> split(String output, int n) {
        int end = output.length();
        while (end > 0 && output.charAt(end - 1) == '\n') {
            end--;
        }
        String[] parts = output.substring(0, end).split("\n\n", -1);
        if (parts.length != n) {
            return null;
        }
        for (String p : parts) {
            if (p.indexOf('\n') >= 0) {
                return null;
            }
        }
        return Arrays.asList(parts);
    }

    private String finish(String translated, String source) {
        String t = translated.strip().replaceAll("\\s{2,}", " ");
        return matchInitialCase(unknownWords == UnknownWords.STRIP ? stripMarks(t, source) : t, source);
    }

    /**
     * Lower-cases the first letter of the translation when the source starts with a lower-case
     * letter: each text is sent as its own paragraph, which Apertium capitalises as a sentence start.
     */
    static String matchInitialCase(String translated, String source) {
        if (translated.isEmpty() || source.isEmpty()) {
            return translated;
        }
        int s = source.codePointAt(0);
        int t = translated.codePointAt(0);
        if (Character.isLowerCase(s) && Character.isUpperCase(t)
                && (translated.length() == Character.charCount(t) || !Character.isUpperCase(translated.codePointAt(Character.charCount(t))))) {
            return new StringBuilder(translated.length()).appendCodePoint(Character.toLowerCase(t))
                    .append(translated, Character.charCount(t), translated.length()).toString();
        }
        return translated;
    }

    /** Removes {@code *}, {@code #}, {@code @} before a word unless the source has that marked word too. */
    static String stripMarks(String translated, String source) {
        Matcher m = MARK.matcher(translated);
        StringBuilder b = new StringBuilder(translated.length());
        while (m.find()) {
            String token = m.group();
            m.appendReplacement(b, Matcher.quoteReplacement(source.contains(token) ? token : m.group(1)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Line breaks and control characters become spaces; surrounding whitespace is removed. */
    static String clean(String text) {
        return LINE_BREAKS.matcher(text).replaceAll(" ").strip();
    }

    private static final class ProcessDiedException extends Exception {
        private static final long serialVersionUID = 1L;

        ProcessDiedException(String message) {
            super(message);
        }
    }

    /**
     * One process call; {@code reported} counts the paragraphs already reported to {@code tracker}
     * (fewer than the chunk; the caller settles the rest or takes them back).
     */
    private String run(List<String> chunk, String pair, Tracker tracker, java.util.concurrent.atomic.AtomicInteger reported)
            throws ProcessDiedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        if (unknownWords == UnknownWords.STRIP) {
            cmd.add("-u");
        }
        cmd.add(pair);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw missingCommand(pair, e);
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream os = p.getOutputStream()) {
                StringBuilder b = new StringBuilder(1 << 16);
                for (String t : chunk) {
                    b.append(t).append("\n\n");
                    if (b.length() > 1 << 16) {
                        os.write(b.toString().getBytes(StandardCharsets.UTF_8));
                        b.setLength(0);
                    }
                }
                os.write(b.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the process closed its input (it died); the exit status tells what happened
            }
        }, daemonExecutor());
        CompletableFuture<String> err = readAsync(p.getErrorStream());
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readCounting(p.getInputStream(), chunk.size() - 1,
                () -> {
                    reported.incrementAndGet();
                    tracker.add(1);
                }), daemonExecutor());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BackTranslationException("apertium " + pair + " took longer than " + timeout.toSeconds()
                        + " s on a chunk of " + chunk.size() + " text(s) and was stopped; raise the timeout "
                        + "(ApertiumTranslator.builder().optTimeout(...)) or lower optChunkSize");
            }
            int exit = p.exitValue();
            String stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            writer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exit != 0) {
                throw new ProcessDiedException("exit status " + exit + (exit > 128 ? " (killed by signal " + (exit - 128) + ")" : "")
                        + (stderr.isBlank() ? "" : ", error output: " + tail(stderr)));
            }
            return stdout;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackTranslationException("interrupted while translating with apertium " + pair, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new ProcessDiedException("its output could not be read: " + e);
        } finally {
            if (p.isAlive()) { // the calling thread was stopped (a notebook interrupt): leave no process behind
                p.destroyForcibly();
            }
        }
    }

    private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "apertium-io");
        t.setDaemon(true);
        return t;
    });

    private static ExecutorService daemonExecutor() {
        return IO;
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, daemonExecutor());
    }

    /** Reads all of {@code in}, calling {@code onParagraph} at each blank line, at most {@code max} times. */
    private static String readCounting(InputStream in, int max, Runnable onParagraph) {
        try (in) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(1 << 16);
            byte[] buf = new byte[1 << 14];
            int calls = 0;
            int prev = -1;
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r && calls < max; i++) {
                    if (buf[i] == '\n' && prev == '\n') {
                        onParagraph.run();
                        calls++;
                        prev = -1;
                    } else {
                        prev = buf[i];
                    }
                }
                all.write(buf, 0, r);
            }
            return all.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 400 ? t : "…" + t.substring(t.length() - 400);
    }

    /** Checks once per pair that the command runs and lists the pair ({@code apertium -l}). */
    private void checkPair(String pair) {
        if (checkedPairs.containsKey(pair)) {
            return;
        }
        Set<String> modes = listModes(pair);
        if (!modes.contains(pair)) {
            String pkg = Pivot.packageFor(pair);
            throw new BackTranslationException("Apertium has no language pair '" + pair + "' (installed: "
                    + (modes.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(modes))) + "). "
                    + (pkg != null ? "Install it with: sudo apt-get install -y " + pkg
                    : "Install the package that provides it (apt-cache search apertium lists them), e.g. sudo apt-get install -y "
                            + DEFAULT_PACKAGE + " for eng-spa/spa-eng"));
        }
        checkedPairs.put(pair, Boolean.TRUE);
    }

    private Set<String> listModes(String pair) {
        ProcessBuilder pb = new ProcessBuilder(command, "-l").redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw missingCommand(pair, e);
        }
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BackTranslationException("`" + command + " -l` did not answer within 30 s");
            }
            Set<String> modes = new java.util.HashSet<>();
            for (String line : out.split("\n")) {
                String m = line.strip();
                if (PAIR.matcher(m).matches()) {
                    modes.add(m);
                }
            }
            return modes;
        } catch (IOException e) {
            throw new BackTranslationException("cannot run `" + command + " -l`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackTranslationException("interrupted while listing Apertium's language pairs", e);
        }
    }

    private BackTranslationException missingCommand(String pair, IOException e) {
        String pkg = packageFor(pair);
        return new BackTranslationException("the Apertium command '" + command + "' was not found or cannot run ("
                + e.getMessage() + "); back-translation with " + pair + " needs it. Install it with: sudo apt-get install -y "
                + pkg + " (this pulls in the apertium command)", e);
    }

    private static String packageFor(String pair) {
        String pkg = Pivot.packageFor(pair);
        return pkg != null ? pkg : DEFAULT_PACKAGE;
    }

    @Override
    public String toString() {
        return "ApertiumTranslator[" + command + ", processes=" + processes + ", chunkSize=" + chunkSize
                + ", timeout=" + timeout.toSeconds() + "s, retries=" + retries + ", unknownWords=" + unknownWords + "]";
    }
}
