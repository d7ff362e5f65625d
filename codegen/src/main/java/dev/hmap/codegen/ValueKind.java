// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The value kinds hmap specializes; {@link #NONE} makes a set ({@code map[K]struct{}}), whose buckets
 * have no value slots (VALUE_SIZE 0), so the hot operations copy nothing for them.
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
    public static final ValueKind NONE = new ValueKind("", "void", "Void", GoType.EMPTY_STRUCT, null, null);

    public static List<ValueKind> values() {
        return List.of(INT, LONG, DOUBLE, NONE);
    }

    /** Delete, with the slot (b, i) found: keep the value for remove() to return, and clear it as Go does. */
    public String takeValue() {
        return equals(NONE) ? "" : "long vo = valueOff(b, i);\nremoved = m.get(" + layout + ", vo);\nm.set(" + layout
                + ", vo, " + zero + "); // Go clears the value";
    }

    /** A cursor, at the entry with handle h: read its value. */
    public String loadValue() {
        return equals(NONE) ? "" : "value = m.get(" + layout + ", valueOfHandle(h));";
    }
}
