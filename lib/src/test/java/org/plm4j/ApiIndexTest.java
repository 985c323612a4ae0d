package org.plm4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * lib/API.md, the one-page index of the public API, names exactly the public top-level types of lib
 * (the internals package {@code org.plm4j.internal} is not API).
 */
class ApiIndexTest {

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:final |abstract |sealed )*(?:class|interface|record|enum) (\\w+)", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern HEADING = Pattern.compile("^## `?([\\w.]+)`?", Pattern.MULTILINE);
    private static final Pattern ENTRY = Pattern.compile("^- `(\\w+)`");

    @Test
    void theApiIndexListsEveryPublicTypeAndNothingElse() throws IOException {
        Set<String> inSources = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String s = Files.readString(f);
                Matcher t = PUBLIC_TYPE.matcher(s);
                Matcher p = PACKAGE.matcher(s);
                if (t.find() && p.find() && !p.group(1).equals("org.plm4j.internal")) {
                    inSources.add(p.group(1) + "." + t.group(1));
                }
            }
        }
        Set<String> inIndex = new TreeSet<>();
        String pkg = null;
        for (String line : Files.readAllLines(Path.of("API.md"))) {
            Matcher h = HEADING.matcher(line);
            if (h.find()) {
                pkg = h.group(1);
                continue;
            }
            Matcher e = ENTRY.matcher(line);
            if (e.find() && pkg != null) {
                inIndex.add(pkg + "." + e.group(1));
            }
        }
        Set<String> missing = new TreeSet<>(inSources);
        missing.removeAll(inIndex);
        Set<String> stale = new TreeSet<>(inIndex);
        stale.removeAll(inSources);
        assertTrue(missing.isEmpty() && stale.isEmpty(), "lib/API.md is out of step with the sources; public types"
                + " missing from it: " + missing + "; listed but not public (or gone): " + stale);
    }
}
