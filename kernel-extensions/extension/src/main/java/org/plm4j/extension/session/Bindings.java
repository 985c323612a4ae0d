package org.plm4j.extension.session;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands a Java object from a magic to the notebook's code: the magic parks the value under a
 * fresh key, then evaluates {@code Type name = (Type) Bindings.take(key);} in the session. Cell
 * code and the extension share this class because the kernel loads both through one class loader.
 */
public final class Bindings {

    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();

    private Bindings() {
    }

    /** Parks {@code value}; returns the key for {@link #take(String)}. */
    public static String park(Object value) {
        String key = UUID.randomUUID().toString();
        PARKED.put(key, value);
        return key;
    }

    /** Forgets the value parked under {@code key}, if still there. */
    public static void discard(String key) {
        PARKED.remove(key);
    }

    /** Returns and forgets the value parked under {@code key}. */
    public static Object take(String key) {
        Object v = PARKED.remove(key);
        if (v == null) {
            throw new IllegalStateException("no value is parked under " + key + " (already taken?)");
        }
        return v;
    }
}
