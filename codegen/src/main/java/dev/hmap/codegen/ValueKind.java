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

    /** The partial of the value kind's own methods in the implementation (and in the API, with "-api"). */
    public String partial() {
        return equals(NONE) ? "" : equals(BYTES) ? "bytes-values" : "word-values";
    }
}
