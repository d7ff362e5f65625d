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
        for (Op op : Op.of(spec.value().ops())) {
            for (KeyForm form : spec.key().forms()) {
                List<ValueForm> valueForms = op.takesValue() ? List.of(ValueForm.values()) : java.util.Collections.singletonList(null);
                for (ValueForm vf : valueForms) {
                    KeyKind k = spec.key();
                    String params = join(join(form.params, vf == null ? "" : vf.params), op.params());
                    String result = op.result().replace("{{lookup}}", form.lookup(k)).replace("{{assign}}", form.assign(k))
                            .replace("{{delete}}", form.delete(k));
                    String suffix = !form.suffix.isEmpty() ? form.suffix : vf == null ? "" : vf.suffix;
                    out.add(Template.vars(
                            "name", op.name() + suffix,
                            "ret", Template.render(op.ret(), vars),
                            "params", Template.render(params, vars),
                            "args", argNames(Template.render(params, vars)),
                            "read", op.read(),
                            "before", vf == null ? Template.render(op.before(), vars) : form.detach().isEmpty() ? vf.stage : form.detach() + "\n" + vf.stage,
                            "lookup", form.lookup(k),
                            "result", Template.render(result, vars),
                            "doc", Template.render(doc(spec, op, form, vf), vars)));
                }
            }
        }
        return out;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ", " + b;
    }

    /** The Javadoc block of one method. */
    private static String doc(MapSpec spec, Op op, KeyForm form, ValueForm vf) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(op.doc(), form.keyDoc));
        if (!form.note.isEmpty()) lines.add(form.note);
        KeyKind k = spec.key();
        if (op.inserts() && !form.writeThrows(k).isEmpty()) lines.add(k.snippets().text().writeRule());
        lines.add("");
        for (String p : form.paramDocs(k)) lines.add("@param " + p);
        if (vf != null) for (String p : vf.paramDocs) lines.add("@param " + p);
        for (String p : op.paramDocs()) lines.add("@param " + p);
        lines.add("@return " + op.returnDoc());
        lines.addAll(form.lookupThrows(k).stream().map(t -> "@throws " + t).toList());
        if (vf != null) {
            lines.addAll(vf.throwsDocs.stream().map(t -> "@throws " + t).toList());
            lines.add("@throws IllegalArgumentException if the value is longer than {@link OffHeapMap#MAX_VALUE_LENGTH}"
                    + " bytes; the map is unchanged");
        }
        lines.addAll(op.throwsDocs().stream().map(t -> "@throws " + t).toList());
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

    /** The names of a parameter list's parameters ("byte[] key, int offset" gives "key, offset"), generics kept whole. */
    static String argNames(String params) {
        List<String> names = new java.util.ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i <= params.length(); i++) {
            char c = i < params.length() ? params.charAt(i) : ',';
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (c == ',' && depth == 0) {
                String p = params.substring(start, i).strip();
                if (!p.isEmpty()) names.add(p.substring(p.lastIndexOf(' ') + 1));
                start = i + 1;
            }
        }
        return String.join(", ", names);
    }
}
