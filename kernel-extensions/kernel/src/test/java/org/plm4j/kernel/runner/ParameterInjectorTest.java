package org.plm4j.kernel.runner;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterInjectorTest {

    @Test
    void literalsAreTypedByTheirText() {
        assertEquals("3", ParameterInjector.literal("3"));
        assertEquals("-12", ParameterInjector.literal("-12"));
        assertEquals("10000000000L", ParameterInjector.literal("10000000000"));
        assertEquals("0.5", ParameterInjector.literal("0.5"));
        assertEquals("1e-3", ParameterInjector.literal("1e-3"));
        assertEquals("true", ParameterInjector.literal("true"));
        assertEquals("\"wordnet\"", ParameterInjector.literal("wordnet"));
        assertEquals("\"say \\\"hi\\\"\\\\n\"", ParameterInjector.literal("say \"hi\"\\n"));
    }

    @Test
    void declaredParametersAreAssignedWithTheirTypeOthersDeclared() {
        String params = "int epochs = 1;\nString corpus = \"foldoc\";\ndouble lr = 1e-4;";
        Map<String, String> values = new LinkedHashMap<>();
        values.put("epochs", "3");
        values.put("corpus", "123");
        values.put("lr", "2");
        values.put("seed", "42");
        assertEquals("// Injected parameters\nint epochs = 3;\nString corpus = \"123\";\ndouble lr = 2;\nvar seed = 42;\n",
                ParameterInjector.injectionCode(params, values));
    }

    @Test
    void injectedCellGoesRightAfterTheParametersCell() {
        JsonObject nb = JsonParser.parseString("{\"cells\":["
                + "{\"cell_type\":\"markdown\",\"metadata\":{},\"source\":\"# T\"},"
                + "{\"cell_type\":\"code\",\"metadata\":{\"tags\":[\"parameters\"]},\"outputs\":[],\"source\":[\"int n = 1;\\n\"]},"
                + "{\"cell_type\":\"code\",\"metadata\":{},\"outputs\":[],\"source\":\"n * 2\"}]}").getAsJsonObject();
        assertEquals(2, ParameterInjector.inject(nb, Map.of("n", "5")));
        JsonObject injected = nb.getAsJsonArray("cells").get(2).getAsJsonObject();
        assertEquals("// Injected parameters\nint n = 5;\n", injected.get("source").getAsString());
        assertEquals("injected-parameters", injected.getAsJsonObject("metadata").getAsJsonArray("tags").get(0).getAsString());
        // a second run replaces the injected cell instead of adding another
        ParameterInjector.inject(nb, Map.of("n", "6"));
        assertEquals(4, nb.getAsJsonArray("cells").size());
    }

    @Test
    void malformedParametersAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterInjector.parse("epochs"));
        assertEquals("parameter `epochs` is not name=value, e.g. -p epochs=3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParameterInjector.parse("2x=1"));
        assertEquals(Map.entry("msg", "a=b"), ParameterInjector.parse("msg=a=b"));
    }
}
