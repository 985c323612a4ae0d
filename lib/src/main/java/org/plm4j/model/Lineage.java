package org.plm4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a model's weights came from, oldest step first: an immutable list of structured steps
 * (a pretrained source, pretraining, DAPT, TAPT, back-translation, vocabulary extension,
 * fine-tuning). Models carry it in their {@code config.json}; run records carry it as their
 * {@code lineage}. Operations return new values.
 *
 * @param steps the steps, oldest first
 */
public record Lineage(List<Lineage.Step> steps) implements Iterable<Lineage.Step> {

    /** No history: a freshly initialised model. */
    public static final Lineage EMPTY = new Lineage(List.of());

    /**
     * One step.
     *
     * @param kind what happened, e.g. {@code pretrained}, {@code pretrain}, {@code dapt}, {@code tapt},
     *     {@code backtranslate}, {@code vocabulary-extension}, {@code finetune}
     * @param source what it drew on: a corpus name, Maven coordinates, a dataset ("" when none)
     * @param sha256 the checksum of that source ("" when none)
     * @param steps optimiser steps it ran, or -1 when not a training step
     * @param details anything else, by snake_case key (e.g. {@code onnx_sha256}, {@code added})
     */
    public record Step(String kind, String source, String sha256, long steps, Map<String, String> details) {

        /** Checks the kind and copies the details (unmodifiable, in order). */
        public Step {
            if (kind == null || kind.isBlank()) {
                throw new IllegalArgumentException("a lineage step needs a kind (e.g. pretrain, dapt, finetune)");
            }
            source = source == null ? "" : source;
            sha256 = sha256 == null ? "" : sha256;
            details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        /** A training step over a source with its checksum. */
        public static Step training(String kind, String source, String sha256, long steps) {
            return new Step(kind, source, sha256, steps, Map.of());
        }

        /** This step with one more detail. */
        public Step withDetail(String key, String value) {
            Map<String, String> d = new LinkedHashMap<>(details);
            d.put(key, value);
            return new Step(kind, source, sha256, steps, d);
        }

        /** The step as a flat string map (kind, source, sha256, steps, then the details). */
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kind", kind);
            if (!source.isEmpty()) {
                m.put("source", source);
            }
            if (!sha256.isEmpty()) {
                m.put("sha256", sha256);
            }
            if (steps >= 0) {
                m.put("steps", Long.toString(steps));
            }
            m.putAll(details);
            return m;
        }

        /**
         * Reads {@link #toMap()} output; also the maps of checkpoints written before this type
         * existed, which named the source {@code corpus}.
         */
        public static Step fromMap(Map<String, ?> m) {
            Map<String, String> details = new LinkedHashMap<>();
            m.forEach((k, v) -> details.put(k, v == null ? "" : String.valueOf(v)));
            String kind = details.remove("kind");
            String source = details.containsKey("source") ? details.remove("source") : details.remove("corpus");
            String sha = details.remove("sha256");
            String steps = details.remove("steps");
            long n = -1;
            if (steps != null && !steps.isEmpty()) {
                try {
                    n = (long) Double.parseDouble(steps);
                } catch (NumberFormatException e) {
                    details.put("steps", steps);
                }
            }
            return new Step(kind == null ? "unknown" : kind, source, sha, n, details);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(kind);
            if (!source.isEmpty()) {
                sb.append(' ').append(source);
            }
            if (!sha256.isEmpty()) {
                sb.append(" @").append(sha256, 0, Math.min(12, sha256.length()));
            }
            if (steps >= 0) {
                sb.append(", ").append(steps).append(" steps");
            }
            details.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    /** Copies the list (unmodifiable). */
    public Lineage {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A lineage of these steps. */
    public static Lineage of(Step... steps) {
        return new Lineage(List.of(steps));
    }

    /** This lineage followed by {@code step}. */
    public Lineage then(Step step) {
        List<Step> all = new ArrayList<>(steps);
        all.add(step);
        return new Lineage(all);
    }

    /** This lineage followed by all steps of {@code later}. */
    public Lineage then(Lineage later) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(later.steps);
        return new Lineage(all);
    }

    /** Number of steps. */
    public int size() {
        return steps.size();
    }

    /** Whether there are no steps. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The step at {@code index} (0 = oldest). */
    public Step get(int index) {
        return steps.get(index);
    }

    /** The kinds in order, e.g. {@code [pretrained, dapt, finetune]}. */
    public List<String> kinds() {
        return steps.stream().map(Step::kind).toList();
    }

    /** The steps as maps, for JSON. */
    public List<Map<String, String>> toMaps() {
        return steps.stream().map(Step::toMap).toList();
    }

    /** Reads {@link #toMaps()} output. */
    public static Lineage fromMaps(List<? extends Map<String, ?>> maps) {
        return new Lineage(maps.stream().map(Step::fromMap).toList());
    }

    @Override
    public Iterator<Step> iterator() {
        return steps.iterator();
    }

    @Override
    public String toString() {
        return steps.isEmpty() ? "(no lineage: initialised from scratch)"
                : steps.stream().map(Step::toString).collect(Collectors.joining(" → "));
    }
}
