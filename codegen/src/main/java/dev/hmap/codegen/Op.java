// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The operations the API offers by every key form. A read is a lookup and an expression of its handle
 * {@code h}; a write is an expression of an assign or delete (the form's), run inside the write guard.
 * In {@link #result}, {@code {{lookup}}}, {@code {{assign}}} and {@code {{delete}}} stand for the form's
 * expressions.
 */
public enum Op {
    GET(Target.MAP, "get", "{{v}}", "", List.of(), true, "h < 0 ? missing : m.get({{VAL}}, valueOfHandle(h))",
            "The value of %s, or {@link #missingValue()} when it is absent (Go's {@code m[key]}, mapaccess1).",
            "the value, or the missing value"),
    GET_OR_DEFAULT(Target.MAP, "getOrDefault", "{{v}}", "{{v}} defaultValue",
            List.of("defaultValue what to return when the key is absent"), true,
            "h < 0 ? defaultValue : m.get({{VAL}}, valueOfHandle(h))",
            "The value of %s, or {@code defaultValue} when it is absent (Go's {@code v, ok := m[key]}, mapaccess2).",
            "the value, or {@code defaultValue}"),
    CONTAINS_KEY(Target.MAP, "containsKey", "boolean", "", List.of(), true, "h >= 0",
            "Whether %s is in the map (Go's {@code _, ok := m[key]}).", "true if it is"),
    PUT(Target.MAP, "put", "{{v}}", "{{v}} value", List.of("value the value"), false, "storePut({{assign}}, value)",
            "Associates {@code value} with %s (Go's {@code m[key] = value}, mapassign).",
            "the previous value, or {@link #missingValue()} if the key was absent"),
    PUT_IF_ABSENT(Target.MAP, "putIfAbsent", "{{v}}", "{{v}} value", List.of("value the value to insert"), false,
            "storeIfAbsent({{assign}}, value)", "Inserts %s with {@code value}, unless it is present.",
            "the present value, or {@link #missingValue()} if it inserted"),
    REMOVE(Target.MAP, "remove", "{{v}}", "", List.of(), false, "{{delete}} ? removed : missing",
            "Removes %s (Go's {@code delete(m, key)}, mapdelete).",
            "its value, or {@link #missingValue()} if it was absent"),
    ADD_TO(Target.MAP, "addTo", "{{v}}", "{{v}} increment", List.of("increment what to add"), false,
            "storeAdd({{assign}}, increment)",
            "Adds {@code increment} to the value of %s, starting from {@link #missingValue()} when it is absent"
                    + " (Go's {@code m[key] += increment}).",
            "the previous value"),
    ADD(Target.SET, "add", "boolean", "", List.of(), false, "{{assign}} < 0",
            "Adds %s (Go's {@code m[key] = struct{}{}}).", "true if it was not there"),
    CONTAINS(Target.SET, "contains", "boolean", "", List.of(), true, "h >= 0",
            "Whether %s is in the set (Go's {@code _, ok := m[key]}).", "true if it is"),
    REMOVE_KEY(Target.SET, "remove", "boolean", "", List.of(), false, "{{delete}}",
            "Removes %s (Go's {@code delete(m, key)}).", "true if it was there");

    enum Target { MAP, SET }

    final Target target;
    public final String name;
    /** Template strings, over the spec's variables. */
    public final String ret, params, result;
    public final List<String> paramDocs;
    public final boolean read;
    /** The first sentence of the Javadoc; {@code %s} is the form's key noun. */
    public final String doc;
    public final String returnDoc;

    Op(Target target, String name, String ret, String params, List<String> paramDocs, boolean read, String result,
       String doc, String returnDoc) {
        this.target = target;
        this.name = name;
        this.ret = ret;
        this.params = params;
        this.paramDocs = paramDocs;
        this.read = read;
        this.result = result;
        this.doc = doc;
        this.returnDoc = returnDoc;
    }

    /** Whether a write may insert, and so allocate. */
    public boolean inserts() {
        return !read && this != REMOVE && this != REMOVE_KEY;
    }

    /** The operations of a map, or of a set. */
    public static List<Op> of(boolean set) {
        Target t = set ? Target.SET : Target.MAP;
        return java.util.Arrays.stream(values()).filter(o -> o.target == t).toList();
    }
}
