package org.plm4j.kernel.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.plm4j.extension.magic.MagicCatalog;
import org.plm4j.kernel.engine.JShellEngine;

/**
 * Every Java snippet of the README and the Java call in every magic's {@code --help} compiles
 * against today's API, through the kernel's own JShell engine with the plm4j jars on its class
 * path.
 *
 * <p>A snippet is compiled, not run (several train models): its statements become the body of a
 * JShell method, which JShell compiles without executing. The variables a snippet uses without
 * declaring them (the README's fragments continue each other; a help's call names the magic's
 * options) become the method's parameters, typed by {@link #FREE_VARIABLES}; JShell reports them
 * as unresolved, so a variable missing there fails the test by name. A bare expression shown for
 * its rendering ({@code pca;}) is compiled as the value of a local variable. Lines inside
 * comments (alternatives such as {@code // --adapt dapt: ...}) are not compiled. Every snippet
 * sees the imports a notebook would use: all plm4j packages, {@code java.util} and
 * {@code java.nio.file}.
 */
class DocumentedJavaCompilesTest {

    static final Path README = Path.of("../../README.md");

    /** The magics whose help is checked; a magic added to the extension without help fails below. */
    static final List<String> MAGICS = MagicCatalog.names();

    /** Types of the variables the snippets take from their context. */
    static final Map<String, String> FREE_VARIABLES = new LinkedHashMap<>();

    static {
        // README fragments
        FREE_VARIABLES.put("emb", "Embeddings");
        FREE_VARIABLES.put("vectors", "float[][]");
        FREE_VARIABLES.put("tokenizer", "WordPieceTokenizer");
        FREE_VARIABLES.put("split", "CorpusSplit");
        FREE_VARIABLES.put("domainCorpus", "Corpus");
        FREE_VARIABLES.put("spanishCorpus", "Corpus");
        FREE_VARIABLES.put("corpus", "Corpus");
        FREE_VARIABLES.put("heldOut", "Corpus");
        FREE_VARIABLES.put("model", "MaskedLanguageModel");
        FREE_VARIABLES.put("checkpoint", "MaskedLanguageModel");
        FREE_VARIABLES.put("general", "MaskedLanguageModel");
        FREE_VARIABLES.put("dapt", "MaskedLanguageModel");
        FREE_VARIABLES.put("anyTextClassifier", "TextClassifier");
        FREE_VARIABLES.put("classifier", "TextClassifier");
        FREE_VARIABLES.put("paraphrasedTest", "LabeledTexts");
        FREE_VARIABLES.put("config", "FineTuneConfig");
        FREE_VARIABLES.put("engine", "BackTranslator");
        FREE_VARIABLES.put("task", "LabeledDataset");
        // magic options named in the help's Java call
        FREE_VARIABLES.put("embeddings", "Embeddings");
        FREE_VARIABLES.put("labels", "String[]");
        FREE_VARIABLES.put("seed", "long");
        FREE_VARIABLES.put("epochs", "int");
        FREE_VARIABLES.put("batch", "int");
        FREE_VARIABLES.put("maxLength", "int");
        FREE_VARIABLES.put("steps", "int");
        FREE_VARIABLES.put("seq", "int");
        FREE_VARIABLES.put("vocab", "int");
        FREE_VARIABLES.put("minFrequency", "int");
        FREE_VARIABLES.put("lr", "float"); // PretrainConfig takes a float, FineTuneConfig a double
        FREE_VARIABLES.put("gamma", "double");
        FREE_VARIABLES.put("nu", "double");
        FREE_VARIABLES.put("headFraction", "double");
        FREE_VARIABLES.put("cased", "boolean");
        FREE_VARIABLES.put("keepAccents", "boolean");
        FREE_VARIABLES.put("out", "String");
        FREE_VARIABLES.put("file", "String");
        FREE_VARIABLES.put("texts", "List<String>");
        FREE_VARIABLES.put("labelOfEach", "List<String>");
        FREE_VARIABLES.put("evalEvery", "int");
        FREE_VARIABLES.put("accumulate", "int");
        FREE_VARIABLES.put("patience", "int");
        FREE_VARIABLES.put("checkpointEvery", "int");
        FREE_VARIABLES.put("headWarmup", "int");
        FREE_VARIABLES.put("wholeWord", "boolean");
        FREE_VARIABLES.put("lineByLine", "boolean");
        FREE_VARIABLES.put("keepCheckpoints", "boolean");
        FREE_VARIABLES.put("run", "String");
        FREE_VARIABLES.put("tasks", "String");
        FREE_VARIABLES.put("words", "int");
    }

    private static JShellEngine engine;
    private static JShell jshell;
    private static int counter;

    /** A named piece of documented Java. */
    record Doc(String where, String code) {
        @Override
        public String toString() {
            return where;
        }
    }

    @BeforeAll
    static void start() throws IOException {
        engine = new JShellEngine();
        jshell = engine.jshell();
        List<String> imports = new ArrayList<>(List.of("java.util", "java.nio.file"));
        imports.addAll(plm4jPackages());
        for (String p : imports) {
            List<SnippetEvent> ev = jshell.eval("import " + p + ".*;");
            assertEquals(Snippet.Status.VALID, ev.get(0).status(), "import " + p);
        }
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Packages under org.plm4j with public classes in the lib and extension class path entries. */
    static Set<String> plm4jPackages() throws IOException {
        Set<String> packages = new LinkedHashSet<>();
        for (String entry : JShellEngine.runtimeClasspath()) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && p.getFileName().toString().matches("plm4j-(lib|extension).*\\.jar")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
                    jar.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith("org/plm4j/")
                            && n.endsWith(".class") && !n.contains("$")).forEach(n -> packages.add(
                                    n.substring(0, n.lastIndexOf('/')).replace('/', '.')));
                }
            } else if (Files.isDirectory(p.resolve("org/plm4j")) && (entry.contains("/lib/") || entry.contains("/extension/"))) {
                try (Stream<Path> s = Files.walk(p.resolve("org/plm4j"))) {
                    s.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                            .forEach(f -> packages.add(p.relativize(f.getParent()).toString().replace('/', '.')));
                }
            }
        }
        assertTrue(packages.contains("org.plm4j.pretrain") && packages.contains("org.plm4j.extension.magic"),
                "lib and extension classes on the class path: " + packages);
        return packages;
    }

    static List<Doc> readmeSnippets() throws IOException {
        List<Doc> docs = new ArrayList<>();
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        String heading = "";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#")) {
                heading = lines.get(i).replaceFirst("^#+\\s*", "");
            }
            if (lines.get(i).strip().equals("```java")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                docs.add(new Doc("README.md line " + start + " (" + heading + ")", code.toString()));
            }
        }
        assertTrue(docs.size() >= 8, "Java blocks found in the README: " + docs.size());
        return docs;
    }

    static List<Doc> magicJavaCalls() {
        List<Doc> docs = new ArrayList<>();
        for (String magic : MAGICS) {
            String help = MagicCatalog.help(magic);
            int at = help.indexOf("\nThe same from Java:\n");
            assertTrue(at >= 0, "%" + magic + " --help shows no Java call:\n" + help);
            docs.add(new Doc("%" + magic + " --help", help.substring(at + "\nThe same from Java:\n".length())));
        }
        return docs;
    }

    static Stream<Doc> documentedJava() throws IOException {
        return Stream.concat(readmeSnippets().stream(), magicJavaCalls().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedJava")
    void compilesAgainstTodaysApi(Doc doc) {
        String body = methodBody(doc);
        String name = "documented" + (++counter);
        MethodSnippet first = declare(name, "", body, doc);
        List<String> unresolved = jshell.unresolvedDependencies(first).toList();
        List<String> params = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String u : unresolved) {
            String var = u.startsWith("variable ") ? u.substring("variable ".length()) : null;
            if (var != null && FREE_VARIABLES.containsKey(var)) {
                params.add(FREE_VARIABLES.get(var) + " " + var);
            } else {
                unknown.add(u);
            }
        }
        jshell.drop(first);
        assertTrue(unknown.isEmpty(), doc + " uses " + unknown + ", declared nowhere in it (a type that no longer "
                + "exists, or a context variable to add to FREE_VARIABLES)\n" + body);
        MethodSnippet m = declare(name, String.join(", ", params), body, doc);
        assertEquals(Snippet.Status.VALID, jshell.status(m), doc + ": " + jshell.unresolvedDependencies(m).toList());
        jshell.drop(m);
    }

    private static MethodSnippet declare(String name, String params, String body, Doc doc) {
        String source = "void " + name + "(" + params + ") throws Exception {\n" + body + "}";
        List<SnippetEvent> events = jshell.eval(source);
        assertEquals(1, events.size(), doc + ": " + events);
        SnippetEvent e = events.get(0);
        if (e.status() == Snippet.Status.REJECTED || !(e.snippet() instanceof MethodSnippet)) {
            String diags = jshell.diagnostics(e.snippet()).map(d -> {
                long line = source.substring(0, (int) Math.max(0, d.getStartPosition())).lines().count();
                return "  line " + line + " of the snippet: " + d.getMessage(java.util.Locale.ROOT);
            }).collect(Collectors.joining("\n"));
            fail(doc + " does not compile:\n" + diags + "\n--- compiled as ---\n" + source);
        }
        return (MethodSnippet) e.snippet();
    }

    private static final Pattern BARE_VALUE = Pattern.compile("[\\p{Alpha}_][\\w.]*");

    /**
     * The snippet as a method body: imports go to the session, each statement stays, and a bare
     * value (JShell shows it) becomes a local variable's initializer.
     */
    static String methodBody(Doc doc) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        StringBuilder body = new StringBuilder();
        String rest = doc.code();
        int locals = 0;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String piece = info.source();
            if (piece == null || info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                fail(doc + " ends with incomplete Java: " + rest);
            }
            rest = info.remaining();
            String code = withoutComments(piece).strip();
            if (code.isEmpty()) {
                continue;
            }
            if (code.startsWith("import ")) {
                List<SnippetEvent> ev = jshell.eval(code);
                assertEquals(Snippet.Status.VALID, ev.get(0).status(), doc + ": " + code);
                continue;
            }
            String expr = code.endsWith(";") ? code.substring(0, code.length() - 1).strip() : code;
            Matcher bare = BARE_VALUE.matcher(expr);
            if (bare.matches()) {
                body.append("Object shown").append(++locals).append(" = ").append(expr).append(";\n");
            } else {
                body.append(code.endsWith(";") || code.endsWith("}") ? code : code + ";").append('\n');
            }
        }
        assertFalse(body.isEmpty(), doc + " has no Java");
        return body.toString();
    }

    /** {@code code} with its line comments removed (string literals in the snippets hold no "//"). */
    static String withoutComments(String code) {
        return code.lines().map(l -> {
            int c = l.indexOf("//");
            return c < 0 ? l : l.substring(0, c);
        }).collect(Collectors.joining("\n"));
    }
}
