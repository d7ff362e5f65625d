// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The operations the API offers by every key form. A read is a lookup and an expression of its handle
 * {@code h}; a write is an expression of an assign or delete (the form's), run inside the write guard.
 * In {@link #result}, {@code {{lookup}}}, {@code {{assign}}} and {@code {{delete}}} stand for the form's
 * expressions.
 *
 * @param set       whether it is a set's operation (else a map's)
 * @param name      the method name
 * @param ret       its return type, a template over the spec's variables
 * @param params    its parameters after the key's, a template
 * @param paramDocs {@code @param} text for each of them
 * @param read      whether it only reads
 * @param result    the expression the implementation returns, a template
 * @param doc       the first sentence of the Javadoc; {@code %s} is the form's key noun
 * @param returnDoc the {@code @return} text
 */
public record Op(boolean set, String name, String ret, String params, List<String> paramDocs, boolean read,
                 String result, String doc, String returnDoc) {
    public static final Op GET = new Op(false, "get", "{{v}}", "", List.of(), true,
            "h < 0 ? missing : m.get({{VAL}}, valueOfHandle(h))",
            "The value of %s, or {@link #missingValue()} when it is absent (Go's {@code m[key]}, mapaccess1).",
            "the value, or the missing value");
    public static final Op GET_OR_DEFAULT = new Op(false, "getOrDefault", "{{v}}", "{{v}} defaultValue",
            List.of("defaultValue what to return when the key is absent"), true,
            "h < 0 ? defaultValue : m.get({{VAL}}, valueOfHandle(h))",
            "The value of %s, or {@code defaultValue} when it is absent (Go's {@code v, ok := m[key]}, mapaccess2).",
            "the value, or {@code defaultValue}");
    public static final Op CONTAINS_KEY = new Op(false, "containsKey", "boolean", "", List.of(), true, "h >= 0",
            "Whether %s is in the map (Go's {@code _, ok := m[key]}).", "true if it is");
    public static final Op PUT = new Op(false, "put", "{{v}}", "{{v}} value", List.of("value the value"), false,
            "storePut({{assign}}, value)",
            "Associates {@code value} with %s (Go's {@code m[key] = value}, mapassign).",
            "the previous value, or {@link #missingValue()} if the key was absent");
    public static final Op PUT_IF_ABSENT = new Op(false, "putIfAbsent", "{{v}}", "{{v}} value",
            List.of("value the value to insert"), false,
            "storeIfAbsent({{assign}}, value)", "Inserts %s with {@code value}, unless it is present.",
            "the present value, or {@link #missingValue()} if it inserted");
    public static final Op REMOVE = new Op(false, "remove", "{{v}}", "", List.of(), false, "{{delete}} ? removed : missing",
            "Removes %s (Go's {@code delete(m, key)}, mapdelete).",
            "its value, or {@link #missingValue()} if it was absent");
    public static final Op ADD_TO = new Op(false, "addTo", "{{v}}", "{{v}} increment", List.of("increment what to add"), false,
            "storeAdd({{assign}}, increment)",
            "Adds {@code increment} to the value of %s, starting from {@link #missingValue()} when it is absent"
                    + " (Go's {@code m[key] += increment}).",
            "the previous value");
    public static final Op ADD = new Op(true, "add", "boolean", "", List.of(), false, "{{assign}} < 0",
            "Adds %s (Go's {@code m[key] = struct{}{}}).", "true if it was not there");
    public static final Op CONTAINS = new Op(true, "contains", "boolean", "", List.of(), true, "h >= 0",
            "Whether %s is in the set (Go's {@code _, ok := m[key]}).", "true if it is");
    public static final Op REMOVE_KEY = new Op(true, "remove", "boolean", "", List.of(), false, "{{delete}}",
            "Removes %s (Go's {@code delete(m, key)}).", "true if it was there");

    /** Whether a write may insert, and so allocate. */
    public boolean inserts() {
        return !read && this != REMOVE && this != REMOVE_KEY;
    }

    /** The operations of a map, or of a set. */
    public static List<Op> of(boolean set) {
        List<Op> all = List.of(GET, GET_OR_DEFAULT, CONTAINS_KEY, PUT, PUT_IF_ABSENT, REMOVE, ADD_TO, ADD, CONTAINS, REMOVE_KEY);
        return all.stream().filter(o -> o.set == set).toList();
    }
}
