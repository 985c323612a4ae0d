package org.plm4j.backtranslate;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A round trip source &rarr; pivot &rarr; source: the language pair translated {@link #forward()}
 * and the pair translated back {@link #backward()}, with the Debian package that provides both
 * for Apertium. Pair names are engine mode names, which differ between Apertium packages
 * ({@code eng-spa} but {@code en-gl}, {@code en-eo}).
 *
 * <p>The constants are the English pivots Debian's Apertium packages offer in both directions.
 * {@code apertium-eu-en}, {@code apertium-isl-eng} and {@code apertium-mkd-eng} translate into
 * English only and cannot serve as pivots from English.
 *
 * @param name short name used by the magic and in reports ({@code spa})
 * @param forward the source &rarr; pivot pair ({@code eng-spa})
 * @param backward the pivot &rarr; source pair ({@code spa-eng})
 * @param debianPackage the package that installs both pairs for Apertium
 */
public record Pivot(String name, String forward, String backward, String debianPackage) {

    /** English &rarr; Spanish &rarr; English ({@code apertium-eng-spa}), the default. */
    public static final Pivot SPA = new Pivot("spa", "eng-spa", "spa-eng", "apertium-eng-spa");
    /** English &rarr; Catalan &rarr; English ({@code apertium-eng-cat}). */
    public static final Pivot CAT = new Pivot("cat", "eng-cat", "cat-eng", "apertium-eng-cat");
    /** English &rarr; Galician &rarr; English ({@code apertium-en-gl}; modes {@code en-gl}, {@code gl-en}). */
    public static final Pivot GLG = new Pivot("glg", "en-gl", "gl-en", "apertium-en-gl");
    /** English &rarr; Esperanto &rarr; English ({@code apertium-eo-en}; modes {@code en-eo}, {@code eo-en}). */
    public static final Pivot EPO = new Pivot("epo", "en-eo", "eo-en", "apertium-eo-en");
    /** English &rarr; Serbo-Croatian &rarr; English ({@code apertium-hbs-eng}). */
    public static final Pivot HBS = new Pivot("hbs", "eng-hbs", "hbs-eng", "apertium-hbs-eng");

    private static final java.util.Map<String, String> ISO_639_1 = java.util.Map.of(
            "es", "spa", "ca", "cat", "gl", "glg", "eo", "epo", "sh", "hbs");

    /** The default pivot, {@link #SPA}. */
    public static final Pivot DEFAULT = SPA;

    /** All built-in pivots, default first. */
    public static final List<Pivot> BUILT_IN = List.of(SPA, CAT, GLG, EPO, HBS);

    public Pivot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        Objects.requireNonNull(debianPackage, "debianPackage");
    }

    /**
     * The built-in pivot called {@code name} (case-insensitive; {@code spa}, {@code cat},
     * {@code glg}, {@code epo}, {@code hbs}, or the two-letter code {@code es}, {@code ca},
     * {@code gl}, {@code eo}, {@code sh}).
     *
     * @throws IllegalArgumentException naming the known pivots if there is none
     */
    public static Pivot of(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        n = ISO_639_1.getOrDefault(n, n);
        for (Pivot p : BUILT_IN) {
            if (p.name.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pivot '" + name + "'; built-in pivots: "
                + String.join(", ", BUILT_IN.stream().map(Pivot::name).toList())
                + " (or new Pivot(name, forwardMode, backwardMode, debianPackage) for another installed pair)");
    }

    /** The built-in pivot whose forward or backward mode is {@code pair}, for install hints. */
    static String packageFor(String pair) {
        for (Pivot p : BUILT_IN) {
            if (p.forward.equals(pair) || p.backward.equals(pair) || pair.startsWith(p.forward + "_")
                    || pair.startsWith(p.backward + "_")) {
                return p.debianPackage;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " (" + forward + " / " + backward + ")";
    }
}
