// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API's methods as data: every {@link Op} of the spec by every {@link KeyForm} of its key kind, each
 * with its signature, its Javadoc and the expression the implementation returns. The templates render
 * the list twice, as the interface's declarations and as the implementation's methods, so neither holds
 * a hand-copied method per form.
 */
final class Api {
    private Api() {}

    static List<Map<String, Object>> methods(MapSpec spec, Map<String, Object> vars) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Op op : Op.of(spec.isSet())) {
            for (KeyForm form : spec.key().forms()) {
                KeyKind k = spec.key();
                String params = join(form.params, op.params());
                String result = op.result().replace("{{lookup}}", form.lookup(k)).replace("{{assign}}", form.assign(k))
                        .replace("{{delete}}", form.delete(k));
                out.add(Template.vars(
                        "name", op.name() + form.suffix,
                        "ret", Template.render(op.ret(), vars),
                        "params", Template.render(params, vars),
                        "read", op.read(),
                        "lookup", form.lookup(k),
                        "result", Template.render(result, vars),
                        "doc", Template.render(doc(spec, op, form), vars)));
            }
        }
        return out;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ", " + b;
    }

    /** The Javadoc block of one method. */
    private static String doc(MapSpec spec, Op op, KeyForm form) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(op.doc(), form.keyDoc));
        if (!form.note.isEmpty()) lines.add(form.note);
        KeyKind k = spec.key();
        if (op.inserts() && !form.writeThrows(k).isEmpty()) lines.add(k.snippets().text().writeRule());
        lines.add("");
        for (String p : form.paramDocs(k)) lines.add("@param " + p);
        for (String p : op.paramDocs()) lines.add("@param " + p);
        lines.add("@return " + op.returnDoc());
        lines.addAll(form.lookupThrows(k).stream().map(t -> "@throws " + t).toList());
        if (op.inserts()) {
            lines.addAll(form.writeThrows(k).stream().map(t -> "@throws " + t).toList());
            lines.add("@throws OffHeapOutOfMemoryError if the entry's memory cannot be had; the map is unchanged");
        }
        lines.add("@throws IllegalStateException if this " + (spec.isSet() ? "set" : "map") + " is closed");
        StringBuilder b = new StringBuilder("/**\n");
        for (String l : wrap(lines)) b.append(l.isEmpty() ? " *" : " * " + l).append('\n');
        return b.append(" */").toString();
    }

    /** Wraps long lines at 110 columns, continuing a tag's text indented. */
    private static List<String> wrap(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String indent = line.startsWith("@") ? "    " : "";
            StringBuilder cur = new StringBuilder();
            for (String word : line.split(" ")) {
                if (cur.length() + word.length() + 1 > 104 && !cur.isEmpty()) {
                    out.add(cur.toString());
                    cur = new StringBuilder(indent);
                }
                if (!cur.isEmpty() && !cur.toString().equals(indent)) cur.append(' ');
                cur.append(word);
            }
            out.add(cur.toString());
        }
        return out;
    }
}
