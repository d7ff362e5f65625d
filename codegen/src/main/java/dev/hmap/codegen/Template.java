// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small, strict template language, so that templates read as the Java they emit:
 * <ul>
 *   <li>{@code {{name}}} inserts a variable. A line holding nothing but variables that render empty is
 *       dropped, so an empty hook leaves no blank line behind.</li>
 *   <li>{@code {{#flag}}...{{/flag}}} keeps its body when the boolean {@code flag} is true,
 *       {@code {{^flag}}...{{/flag}}} when it is false.</li>
 *   <li>{@code {{#list}}...{{/list}}} renders its body once per element of a list of variable maps, each
 *       element's variables layered over the enclosing ones.</li>
 *   <li>{@code {{>name}}} renders the partial template {@code name}; {@code {{>$var}}} the partial whose
 *       name the variable holds (nothing when it is empty).</li>
 * </ul>
 * A tag alone on its line takes the line with it. A name the variables do not define, an unclosed
 * section or a section over a value of the wrong type is an error, so a typo cannot silently emit broken
 * code. (Blind text substitution, as in some primitive-collection generators, is what this avoids.)
 */
public final class Template {
    private static final Pattern TAG = Pattern.compile("\\{\\{([#^/>]?)(\\$?[\\w-]+)}}");

    private final List<Node> nodes;

    private Template(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** Parses {@code text}; partials are looked up by name when rendered. */
    public static Template parse(String text) {
        List<Node> root = new ArrayList<>();
        Parser p = new Parser(text);
        p.parseInto(root, null);
        return new Template(root);
    }

    /** Renders a template without partials. */
    public static String render(String template, Map<String, Object> vars) {
        return parse(template).render(vars, name -> {
            throw new IllegalArgumentException("no partial " + name);
        });
    }

    /** Renders with {@code vars}, loading partials through {@code partials}. */
    public String render(Map<String, Object> vars, Function<String, Template> partials) {
        StringBuilder out = new StringBuilder();
        renderNodes(nodes, new Scope(vars, null), partials, out);
        return out.toString();
    }

    // ------------------------------------------------------------------ tree

    private sealed interface Node permits Text, Var, Section, Partial {}

    private record Text(String s) implements Node {}

    /** A variable; {@code lineAlone}: nothing else but other such variables stands on its line. */
    private record Var(String name, boolean lineAlone) implements Node {}

    private record Section(String name, boolean inverted, List<Node> body) implements Node {}

    private record Partial(String name, String indent) implements Node {}

    private static final class Parser {
        private final String t;
        private final Matcher m;
        private int pos;

        Parser(String t) {
            this.t = t;
            this.m = TAG.matcher(t);
        }

        /** Parses until {@code {{/close}}} (or the end when close is null). */
        void parseInto(List<Node> out, String close) {
            while (m.find(pos)) {
                String kind = m.group(1), name = m.group(2);
                int start = m.start(), end = m.end();
                boolean standalone = !kind.isEmpty() && standalone(start, end);
                int textEnd = standalone ? lineStart(start) : start;
                if (textEnd > pos) out.add(new Text(t.substring(pos, textEnd)));
                pos = standalone ? lineEnd(end) : end;
                switch (kind) {
                    case "" -> out.add(new Var(name, varsAloneOnLine(start)));
                    case "/" -> {
                        if (!name.equals(close)) throw new IllegalArgumentException("unexpected {{/" + name + "}}"
                                + (close == null ? "" : ", expected {{/" + close + "}}"));
                        return;
                    }
                    case ">" -> out.add(new Partial(name, standalone ? t.substring(lineStart(start), start) : ""));
                    default -> {
                        List<Node> body = new ArrayList<>();
                        parseInto(body, name);
                        out.add(new Section(name, kind.equals("^"), body));
                    }
                }
            }
            if (close != null) throw new IllegalArgumentException("section {{" + close + "}} is not closed");
            if (pos < t.length()) out.add(new Text(t.substring(pos)));
            pos = t.length();
            if (t.contains("{{")) checkNoStrayBraces();
        }

        private void checkNoStrayBraces() {
            String rest = TAG.matcher(t).replaceAll("");
            int i = rest.indexOf("{{");
            if (i >= 0) throw new IllegalArgumentException("broken template tag near: "
                    + rest.substring(i, Math.min(rest.length(), i + 40)));
        }

        private int lineStart(int i) {
            return t.lastIndexOf('\n', i - 1) + 1;
        }

        private int lineEnd(int i) {
            int nl = t.indexOf('\n', i);
            return nl < 0 ? t.length() : nl + 1;
        }

        /** Whether only white space surrounds the tag [start, end) on its line. */
        private boolean standalone(int start, int end) {
            return t.substring(lineStart(start), start).isBlank()
                    && t.substring(end, lineEnd(end)).isBlank();
        }

        /** Whether the line of the variable at start holds only white space and {{variables}}. */
        private boolean varsAloneOnLine(int start) {
            String line = t.substring(lineStart(start), lineEnd(start));
            return Pattern.compile("\\{\\{\\$?[\\w-]+}}").matcher(line).replaceAll("").isBlank();
        }
    }

    // ------------------------------------------------------------------ rendering

    private record Scope(Map<String, Object> vars, Scope parent) {
        Object get(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) return s.vars.get(name);
            }
            throw new IllegalArgumentException("template variable {{" + name + "}} is not defined");
        }
    }

    private static void renderNodes(List<Node> nodes, Scope scope, Function<String, Template> partials,
                                    StringBuilder out) {
        int lineFrom = out.lastIndexOf("\n") + 1; // where the line being written starts in out
        boolean lineHasEmptyVar = false, lineHasOther = false;
        for (Node n : nodes) {
            switch (n) {
                case Text(String s) -> {
                    int nl = s.indexOf('\n');
                    if (nl < 0) {
                        if (!s.isBlank()) lineHasOther = true;
                        out.append(s);
                        continue;
                    }
                    // The current line ends inside this text: drop it if only empty variables stood on it.
                    String head = s.substring(0, nl + 1);
                    if (!head.isBlank()) lineHasOther = true;
                    out.append(head);
                    if (lineHasEmptyVar && !lineHasOther) out.setLength(lineFrom);
                    String tail = s.substring(nl + 1);
                    int last = tail.lastIndexOf('\n');
                    out.append(tail, 0, last + 1);
                    lineFrom = out.length();
                    out.append(tail, last + 1, tail.length());
                    lineHasEmptyVar = false;
                    lineHasOther = !tail.substring(last + 1).isBlank();
                }
                case Var(String name, boolean alone) -> {
                    String v = String.valueOf(scope.get(name));
                    if (v.isEmpty() && alone) lineHasEmptyVar = true;
                    else lineHasOther = true;
                    out.append(indentContinuation(v, out, lineFrom));
                }
                case Section(String name, boolean inverted, List<Node> body) -> {
                    Object v = scope.get(name);
                    if (v instanceof Boolean b) {
                        if (b != inverted) renderNodes(body, scope, partials, out);
                    } else if (v instanceof List<?> list) {
                        if (inverted) {
                            if (list.isEmpty()) renderNodes(body, scope, partials, out);
                        } else {
                            for (Object e : list) renderNodes(body, new Scope(asVars(name, e), scope), partials, out);
                        }
                    } else {
                        throw new IllegalArgumentException("section {{" + name + "}} needs a boolean or a list, not " + v);
                    }
                    lineFrom = out.lastIndexOf("\n") + 1;
                }
                case Partial(String name, String indent) -> {
                    String partial = name.startsWith("$") ? String.valueOf(scope.get(name.substring(1))) : name;
                    if (partial.isEmpty()) continue;
                    StringBuilder sub = new StringBuilder();
                    renderNodes(partials.apply(partial).nodes, scope, partials, sub);
                    out.append(indent.isEmpty() ? sub : indentLines(sub.toString(), indent));
                    lineFrom = out.lastIndexOf("\n") + 1;
                }
            }
        }
    }

    /** A multi-line value continues at the indentation of the line it is inserted in. */
    private static String indentContinuation(String v, StringBuilder out, int lineFrom) {
        if (v.indexOf('\n') < 0) return v;
        int i = lineFrom;
        while (i < out.length() && out.charAt(i) == ' ') i++;
        String indent = " ".repeat(i - lineFrom);
        return v.replace("\n", "\n" + indent).replace("\n" + indent + "\n", "\n\n");
    }

    private static String indentLines(String s, String indent) {
        StringBuilder b = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            if (!b.isEmpty()) b.append('\n');
            if (!line.isEmpty()) b.append(indent).append(line);
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asVars(String section, Object element) {
        if (element instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("list section {{" + section + "}} needs maps of variables, not " + element);
    }

    /** Variables for a list element: pairs of name and value. */
    public static Map<String, Object> vars(Object... namesAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }
}
