package dev.hmap.codegen;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small, strict template language: {@code {{name}}} inserts a variable,
 * {@code {{#flag}}...{{/flag}}} keeps its body when the flag is true, {@code {{^flag}}...{{/flag}}} when
 * false. A name the variables do not define is an error, so a typo cannot silently emit broken code.
 * (Blind text substitution, as in some primitive-collection generators, is what this avoids.)
 */
public final class Template {
    private static final Pattern SECTION = Pattern.compile("\\{\\{([#^])(\\w+)}}");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{(\\w+)}}");

    private Template() {}

    public static String render(String template, Map<String, Object> vars) {
        String out = sections(template, vars);
        Matcher m = VARIABLE.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!vars.containsKey(name)) throw new IllegalArgumentException("template variable {{" + name + "}} is not defined");
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(vars.get(name))));
        }
        m.appendTail(sb);
        String result = sb.toString();
        if (result.contains("{{")) throw new IllegalArgumentException("unbalanced template tag near: "
                + result.substring(result.indexOf("{{"), Math.min(result.length(), result.indexOf("{{") + 40)));
        return result;
    }

    private static String sections(String t, Map<String, Object> vars) {
        Matcher m = SECTION.matcher(t);
        if (!m.find()) return t;
        String name = m.group(2);
        boolean invert = m.group(1).equals("^");
        String close = "{{/" + name + "}}";
        int end = t.indexOf(close, m.end());
        if (end < 0) throw new IllegalArgumentException("section {{" + m.group(1) + name + "}} is not closed");
        Object flag = vars.get(name);
        if (!(flag instanceof Boolean b)) throw new IllegalArgumentException("section {{" + name + "}} needs a boolean variable");
        String body = t.substring(m.end(), end);
        // A section tag alone on its line takes its line break with it.
        int after = end + close.length();
        if (after < t.length() && t.charAt(after) == '\n' && (m.start() == 0 || t.charAt(m.start() - 1) == '\n')) after++;
        if (body.startsWith("\n") && (m.start() == 0 || t.charAt(m.start() - 1) == '\n')) body = body.substring(1);
        String kept = (b != invert) ? body : "";
        return t.substring(0, m.start()) + sections(kept, vars) + sections(t.substring(after), vars);
    }
}
