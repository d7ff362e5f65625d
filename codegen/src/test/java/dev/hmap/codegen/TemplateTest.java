package dev.hmap.codegen;

import org.junit.jupiter.api.Test;

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
    void rejectsUnknownNamesAndBrokenTags() {
        Map<String, Object> v = Map.of("k", "long", "map", true);
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{nope}}", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{#map}} open", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{#k}}x{{/k}}", v));
        assertThrows(IllegalArgumentException.class, () -> Template.render("{{ k }", v));
    }
}
