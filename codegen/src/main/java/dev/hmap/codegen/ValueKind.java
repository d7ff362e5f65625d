// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

/**
 * The value kinds hmap specializes; {@link #NONE} makes a set ({@code map[K]struct{}}), whose buckets
 * have no value slots (VALUE_SIZE 0), so the hot operations copy nothing for them.
 */
public enum ValueKind {
    INT("Int", "int", "Integer", GoType.INT32, "Layouts.INT", "0"),
    LONG("Long", "long", "Long", GoType.INT64, "Layouts.LONG", "0L"),
    DOUBLE("Double", "double", "Double", GoType.FLOAT64, "Layouts.DOUBLE", "0.0"),
    NONE("", "void", "Void", GoType.EMPTY_STRUCT, null, null);

    public final String prefix;
    public final String javaType;
    public final String boxed;
    public final GoType goType;
    public final String layout;
    /** Go's zero value, the default missing value. */
    public final String zero;

    ValueKind(String prefix, String javaType, String boxed, GoType goType, String layout, String zero) {
        this.prefix = prefix;
        this.javaType = javaType;
        this.boxed = boxed;
        this.goType = goType;
        this.layout = layout;
        this.zero = zero;
    }

    /** Delete, with the slot (b, i) found: keep the value for remove() to return, and clear it as Go does. */
    public String takeValue() {
        return this == NONE ? "" : "long vo = valueOff(b, i);\nremoved = m.get(" + layout + ", vo);\nm.set(" + layout
                + ", vo, " + zero + "); // Go clears the value";
    }

    /** A cursor, at the entry with handle h: read its value. */
    public String loadValue() {
        return this == NONE ? "" : "value = m.get(" + layout + ", valueOfHandle(h));";
    }
}
