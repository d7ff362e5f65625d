// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The operations the API offers by every key form. A read is a lookup and an expression of its handle
 * {@code h}; a write is an expression of an assign or delete (the form's), run inside the write guard.
 * In {@link #result}, {@code {{lookup}}}, {@code {{assign}}} and {@code {{delete}}} stand for the form's
 * expressions.
 *
 * @param of        the kind of type that has it: a map of word values, a map of byte-string values, a set
 * @param name      the method name
 * @param ret       its return type, a template over the spec's variables
 * @param params    its parameters after the key's, a template
 * @param paramDocs {@code @param} text for each of them
 * @param read      whether it only reads
 * @param result    the expression the implementation returns, a template
 * @param doc       the first sentence of the Javadoc; {@code %s} is the form's key noun
 * @param returnDoc the {@code @return} text
 * @param before    a statement before the lookup or write (in a write, inside its guard), may be empty
 * @param takesValue whether the value comes in each {@link ValueForm} (byte-string values' writes)
 */
public record Op(Of of, String name, String ret, String params, List<String> paramDocs, boolean read,
                 String result, String doc, String returnDoc, String before, boolean takesValue) {
    /** What kind of type an operation belongs to. */
    public enum Of { WORD_VALUES, BYTE_VALUES, SET }

    private static Op word(String name, String ret, String params, List<String> paramDocs, boolean read, String result,
                           String doc, String returnDoc) {
        return word(name, ret, params, paramDocs, read, result, doc, returnDoc, "");
    }

    private static Op word(String name, String ret, String params, List<String> paramDocs, boolean read, String result,
                           String doc, String returnDoc, String before) {
        return new Op(Of.WORD_VALUES, name, ret, params, paramDocs, read, result, doc, returnDoc, before, false);
    }

    private static Op set(String name, boolean read, String result, String doc, String returnDoc) {
        return new Op(Of.SET, name, "boolean", "", List.of(), read, result, doc, returnDoc, "", false);
    }

    public static final Op GET = word("get", "{{v}}", "", List.of(), true,
            "h < 0 ? missing : m.get({{VAL}}, valueOfHandle(h))",
            "The value of %s, or {@link #missingValue()} when it is absent (Go's {@code m[key]}, mapaccess1).",
            "the value, or the missing value");
    public static final Op GET_OR_DEFAULT = word("getOrDefault", "{{v}}", "{{v}} defaultValue",
            List.of("defaultValue what to return when the key is absent"), true,
            "h < 0 ? defaultValue : m.get({{VAL}}, valueOfHandle(h))",
            "The value of %s, or {@code defaultValue} when it is absent (Go's {@code v, ok := m[key]}, mapaccess2).",
            "the value, or {@code defaultValue}");
    public static final Op CONTAINS_KEY = word("containsKey", "boolean", "", List.of(), true, "h >= 0",
            "Whether %s is in the map (Go's {@code _, ok := m[key]}).", "true if it is");
    public static final Op PUT = word("put", "{{v}}", "{{v}} value", List.of("value the value"), false,
            "storePut({{assign}}, value)",
            "Associates {@code value} with %s (Go's {@code m[key] = value}, mapassign).",
            "the previous value, or {@link #missingValue()} if the key was absent", "inserting = value;");
    public static final Op PUT_IF_ABSENT = word("putIfAbsent", "{{v}}", "{{v}} value",
            List.of("value the value to insert"), false,
            "storeIfAbsent({{assign}}, value)", "Inserts %s with {@code value}, unless it is present.",
            "the present value, or {@link #missingValue()} if it inserted", "inserting = value;");
    public static final Op REMOVE = word("remove", "{{v}}", "", List.of(), false, "{{delete}} ? removed : missing",
            "Removes %s (Go's {@code delete(m, key)}, mapdelete).",
            "its value, or {@link #missingValue()} if it was absent");
    public static final Op ADD_TO = word("addTo", "{{v}}", "{{v}} increment", List.of("increment what to add"), false,
            "storeAdd({{assign}}, increment)",
            "Adds {@code increment} to the value of %s, starting from {@link #missingValue()} when it is absent"
                    + " (Go's {@code m[key] += increment}).",
            "the previous value", "inserting = ({{v}}) (missing + increment);");
    public static final Op ADD = set("add", false, "{{assign}} < 0",
            "Adds %s (Go's {@code m[key] = struct{}{}}).", "true if it was not there");
    public static final Op CONTAINS = set("contains", true, "h >= 0",
            "Whether %s is in the set (Go's {@code _, ok := m[key]}).", "true if it is");
    public static final Op REMOVE_KEY = set("remove", false, "{{delete}}",
            "Removes %s (Go's {@code delete(m, key)}).", "true if it was there");


    // Byte-string values (Go's map[K]string): reads copy the value into the caller's buffer, writes stage
    // the value's bytes first and return whether the key was present (a copy of the old value would allocate).

    private static final String COPY_RULE = "The bytes are copied only if they fit, and their number is returned either"
            + " way: a result larger than the room left means nothing was written, and says how large a buffer to"
            + " retry with.";

    public static final Op GET_INTO = new Op(Of.BYTE_VALUES, "get", "int", "byte[] dst, int dstOffset",
            List.of("dst where the value's bytes go", "dstOffset where in {@code dst} they start"), true,
            "h < 0 ? -1 : copyValue(m, h, dst, dstOffset)",
            "Copies the value of %s into {@code dst} at {@code dstOffset} (Go's {@code v, ok := m[key]}). " + COPY_RULE,
            "the value's length in bytes, or -1 if the key is absent (an empty value is 0)",
            "Objects.checkFromIndexSize(dstOffset, 0, Objects.requireNonNull(dst, \"dst\").length);", false);
    public static final Op GET_INTO_SEGMENT = new Op(Of.BYTE_VALUES, "get", "long", "MemorySegment dst",
            List.of("dst where the value's bytes go, from its start"), true,
            "h < 0 ? -1 : copyValue(m, h, dst)",
            "Copies the value of %s to the start of {@code dst}. " + COPY_RULE,
            "the value's length in bytes, or -1 if the key is absent (an empty value is 0)", "requireWritable(dst);", false);
    public static final Op GET_COPY = new Op(Of.BYTE_VALUES, "getCopy", "byte[]", "", List.of(), true,
            "h < 0 ? null : valueArray(m, h)",
            "A new array holding the value of %s: one lookup, and an allocation, which a {@code get} into the"
                    + " caller's buffer avoids.",
            "the copy, or null if the key is absent (an empty value is an empty array)", "", false);
    public static final Op VALUE_LENGTH = new Op(Of.BYTE_VALUES, "valueLength", "int", "", List.of(), true,
            "h < 0 ? -1 : (int) StringHeader.length(m, valueOfHandle(h))",
            "The length of the value of %s, without reading the value.",
            "the value's length in bytes, or -1 if the key is absent", "", false);
    public static final Op CONTAINS_KEY_BYTES = new Op(Of.BYTE_VALUES, "containsKey", "boolean", "", List.of(), true, "h >= 0",
            "Whether %s is in the map (Go's {@code _, ok := m[key]}).", "true if it is", "", false);
    public static final Op PUT_BYTES = new Op(Of.BYTE_VALUES, "put", "boolean", "", List.of(), false,
            "putStaged({{assign}}, true)",
            "Associates a copy of the value's bytes with %s (Go's {@code m[key] = value}, mapassign); the bytes of a"
                    + " value it replaces are freed.",
            "whether the key was present (its value replaced)", "", true);
    public static final Op PUT_IF_ABSENT_BYTES = new Op(Of.BYTE_VALUES, "putIfAbsent", "boolean", "", List.of(), false,
            "putStaged({{assign}}, false)", "Inserts %s with a copy of the value's bytes, unless it is present.",
            "whether the key was present (and nothing changed)", "", true);
    public static final Op REMOVE_BYTES = new Op(Of.BYTE_VALUES, "remove", "boolean", "", List.of(), false, "{{delete}}",
            "Removes %s and frees its value's bytes (Go's {@code delete(m, key)}, mapdelete).", "true if it was there",
            "", false);

    /** {@code @throws} lines of the operation's own parameters. */
    public List<String> throwsDocs() {
        if (this == GET_INTO) {
            return List.of("NullPointerException if {@code dst} is null",
                    "IndexOutOfBoundsException if {@code dstOffset} is not in {@code [0, dst.length]}");
        }
        if (this == GET_INTO_SEGMENT) {
            return List.of("NullPointerException if {@code dst} is null",
                    "UnsupportedOperationException if {@code dst} is read-only, or its arena is closed (then IllegalStateException)");
        }
        return List.of();
    }

    /** Whether a write may insert, and so allocate. */
    public boolean inserts() {
        return !read && !name.equals("remove");
    }

    /** The operations of a type of this kind. */
    public static List<Op> of(Of kind) {
        List<Op> all = List.of(GET, GET_OR_DEFAULT, CONTAINS_KEY, PUT, PUT_IF_ABSENT, REMOVE, ADD_TO, ADD, CONTAINS, REMOVE_KEY,
                GET_INTO, GET_INTO_SEGMENT, GET_COPY, VALUE_LENGTH, CONTAINS_KEY_BYTES, PUT_BYTES, PUT_IF_ABSENT_BYTES, REMOVE_BYTES);
        return all.stream().filter(o -> o.of == kind).toList();
    }
}
