// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The value kinds hmap specializes; {@link #NONE} makes a set ({@code map[K]struct{}}), whose buckets
 * have no value slots (VALUE_SIZE 0), so the hot operations copy nothing for them. {@link #BYTES} is Go's
 * {@code string} value: a 16-byte string header in the slot, the bytes in the map's memory; its API copies
 * values in and out of the caller's buffers instead of returning them.
 *
 * @param prefix   name prefix: {@code Long} in {@code LongLongMap}
 * @param javaType the API's value type
 * @param boxed    its boxed type, for the java.util views
 * @param goType   the Go type of a value slot
 * @param layout   the ValueLayout constant that reads and writes a value slot
 * @param zero     Go's zero value, the default missing value
 */
public record ValueKind(String prefix, String javaType, String boxed, GoType goType, String layout, String zero) {
    public static final ValueKind INT = new ValueKind("Int", "int", "Integer", GoType.INT32, "Layouts.INT", "0");
    public static final ValueKind LONG = new ValueKind("Long", "long", "Long", GoType.INT64, "Layouts.LONG", "0L");
    public static final ValueKind DOUBLE = new ValueKind("Double", "double", "Double", GoType.FLOAT64, "Layouts.DOUBLE", "0.0");
    public static final ValueKind BYTES = new ValueKind("Bytes", "ByteString", "ByteString", GoType.STRING, null, null);
    public static final ValueKind NONE = new ValueKind("", "void", "Void", GoType.EMPTY_STRUCT, null, null);

    public static List<ValueKind> values() {
        return List.of(INT, LONG, DOUBLE, BYTES, NONE);
    }

    /** The operations of a type with these values. */
    public Op.Of ops() {
        return equals(NONE) ? Op.Of.SET : equals(BYTES) ? Op.Of.BYTE_VALUES : Op.Of.WORD_VALUES;
    }

    /** Delete, with the slot (b, i) found and before it is emptied: read its value (a word for remove() to return). */
    public String takeValue() {
        if (equals(NONE)) return "";
        if (equals(BYTES)) return "long vd = StringHeader.data(m, valueOff(b, i)), vl = StringHeader.length(m, valueOff(b, i));";
        return "removed = m.get(" + layout + ", valueOff(b, i));";
    }

    /** Delete, once slot {@code e} is empty: clear its value as Go does (and free a byte-string value's bytes). */
    public String clearValue() {
        if (equals(NONE)) return "";
        if (equals(BYTES)) return "releaseBytes(m, valueOfHandle(e), vd, vl); // frees the value's bytes (once no cursor can read them)";
        return "m.set(" + layout + ", valueOfHandle(e), " + zero + "); // Go clears the value";
    }

    /**
     * Insert, with the key written into slot (insertB, insertI) and before its tophash: the new entry's
     * value, so that the entry appears whole with its tophash (a process killed in between leaves none).
     */
    public String storeNewValue() {
        if (equals(NONE)) return "";
        if (equals(BYTES)) return "installNewValue(m, valueOff(insertB, insertI));";
        return "m.set(" + layout + ", valueOff(insertB, insertI), inserting);";
    }

    /** A cursor, at the entry with handle h: read its value (a byte-string value: its header). */
    public String loadValue() {
        if (equals(NONE)) return "";
        if (equals(BYTES)) return "long vo = valueOfHandle(h);\nv0 = StringHeader.data(m, vo);\nv1 = StringHeader.length(m, vo);";
        return "value = m.get(" + layout + ", valueOfHandle(h));";
    }

    /**
     * The builder's missing value as the 64 bits a map's file records (0 where there is none: sets and
     * byte-string values).
     */
    public String missingBits() {
        if (layout == null) return "0L";
        return equals(DOUBLE) ? "Double.doubleToRawLongBits(missingValue)" : "missingValue";
    }

    // ---- what the API and its Javadoc say of these values (three shapes: a set, byte strings, words)

    /** The functional interface forEach takes, for a type with these keys and cursor. */
    public String consumer(KeyKind key, String cursorName) {
        if (equals(BYTES)) return "Consumer<? super " + cursorName + ">";
        if (equals(NONE)) return key.isReference() ? "Consumer<" + key.javaType() + ">" : key.prefix() + "Consumer";
        return key.isReference() ? "Obj" + prefix + "Consumer<" + key.javaType() + ">" : key.prefix() + prefix + "Consumer";
    }

    /** Whether forEach takes a consumer interface the generator makes (the others are java.util.function's). */
    public boolean ownConsumer(KeyKind key) {
        return ops() == Op.Of.WORD_VALUES && !key.isReference();
    }

    /** The cursor example's value argument, after the key. */
    public String cursorExampleValue() {
        return equals(NONE) ? "" : equals(BYTES) ? ", c.valueBytes()" : ", c.value()";
    }

    /** forEach's arguments to the consumer, from its cursor {@code c}. */
    public String forEachArgs() {
        return equals(NONE) ? "c.currentKey()" : equals(BYTES) ? "c" : "c.currentKey(), c.value";
    }

    /** forEach's {@code @param action} text (maps). */
    public String forEachDoc() {
        return equals(BYTES) ? "receives this map's cursor at each entry, to read its key and value"
                + " (copyValue: no allocation); it must not move the cursor (next) itself" : "receives each key and value";
    }

    /** The type's Javadoc on its values (maps). */
    public String valueNote() {
        return equals(BYTES)
                ? " * Values are any bytes, copied in from the caller's array, buffer or segment and out into the caller's\n"
                + " * buffer; an absent key and an empty value are distinct."
                : " * Absent keys read as {@link #missingValue()} (Go's zero value unless the builder sets another).";
    }

    /** The type's Javadoc example, with key {@code k}. */
    public List<String> example(String k) {
        if (equals(NONE)) return List.of(" *     m.add(" + k + ");", " *     m.contains(" + k + "); // true");
        if (equals(BYTES)) return List.of(" *     m.put(" + k + ", \"1.0850\".getBytes(UTF_8));",
                " *     byte[] buf = new byte[64];", " *     int n = m.get(" + k + ", buf, 0); // 6, the value's length");
        return List.of(" *     m.put(" + k + ", 7);", " *     m.get(" + k + "); // 7");
    }

    /** Whether the API takes values as Chronicle BytesStore ranges (an optional module). */
    public boolean takesBytesStore() {
        return equals(BYTES);
    }

    /** What the implementation imports for these values. */
    public List<String> implImports() {
        return equals(BYTES) ? List.of("dev.hmap.internal.ChronicleKeys", "dev.hmap.internal.StringHeader",
                "net.openhft.chronicle.bytes.BytesStore", "java.nio.ByteBuffer") : List.of();
    }

    /** What the API imports for these values' forms (a segment, a BytesStore, a buffer). */
    public List<String> apiImports() {
        return equals(BYTES) ? List.of("java.lang.foreign.MemorySegment", "net.openhft.chronicle.bytes.BytesStore",
                "java.nio.ByteBuffer") : List.of();
    }

    /** The partial of the value kind's own methods in the implementation (and in the API, with "-api"). */
    public String partial() {
        return equals(NONE) ? "" : equals(BYTES) ? "bytes-values" : "word-values";
    }
}
