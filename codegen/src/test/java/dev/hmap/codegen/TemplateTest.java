// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TemplateTest {
    @Test
    void substitutesAndKeepsSections() {
        Map<String, Object> v = Map.of("k", "long", "map", true, "set", false);
        assertEquals("long get(long key);\n", Template.render("{{k}} get({{k}} key);\n", v));
        assertEquals("a\nb\n", Template.render("a\n{{#map}}\nb\n{{/map}}\n{{#set}}\nc\n{{/set}}\n", v));
        assertEquals("x(long v, y)", Template.render("x({{#map}}{{k}} v, {{/map}}{{^map}}no, {{/map}}y)", v));
    }

    @Test
    void listsLayerTheirVariablesOverTheEnclosingOnes() {
        Map<String, Object> v = Map.of("k", "long", "ms", List.of(Template.vars("n", "get"), Template.vars("n", "put")));
        assertEquals("  get(long)\n  put(long)\n", Template.render("{{#ms}}\n  {{n}}({{k}})\n{{/ms}}\n", v));
        assertEquals("none\n", Template.render("{{^ms}}\nnone\n{{/ms}}\n", Map.of("ms", List.of())));
    }

    @Test
    void aLineOfEmptyHooksIsDroppedAndMultiLineValuesKeepTheIndentation() {
        Map<String, Object> v = Map.of("empty", "", "two", "a();\nb();");
        assertEquals("{\n}\n", Template.render("{\n    {{empty}}\n}\n", v));
        assertEquals("{\n    a();\n    b();\n}\n", Template.render("{\n    {{two}}\n}\n", v));
        assertEquals("x = ;\n", Template.render("x = {{empty}};\n", v), "an empty hook inside code stays");
    }

    @Test
    void partialsAreRenderedInPlaceWithTheirIndentation() {
        Template t = Template.parse("class A {\n    {{>body}}\n    {{>$which}}\n}\n");
        Map<String, Template> partials = Map.of("body", Template.parse("int {{k}};\n"), "other", Template.parse("long y;\n"));
        assertEquals("class A {\n    int x;\n    long y;\n}\n",
                t.render(Map.of("k", "x", "which", "other"), partials::get));
        assertEquals("class A {\n    int x;\n}\n", t.render(Map.of("k", "x", "which", ""), partials::get),
                "a partial named by an empty variable renders nothing");
    }

    @Test
    void rejectsUnknownNamesAndBrokenTags() {
        Map<String, Object> v = Map.of("k", "long", "map", true);
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{nope}}", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{#map}} open", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{#k}}x{{/k}}", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{ k }", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{#map}}x{{/set}}", v));
    }
}
