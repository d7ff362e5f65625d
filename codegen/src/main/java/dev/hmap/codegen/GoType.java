// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

/**
 * A Go type as the map layout sees it: a name, a size and an alignment (amd64). Only what Go's compiler
 * uses to lay out a bucket; {@link BucketLayout} does the rest.
 */
public record GoType(String name, long size, long align) {
    public static final long PTR_SIZE = 8;

    public static final GoType INT8 = new GoType("int8", 1, 1);
    public static final GoType INT16 = new GoType("int16", 2, 2);
    public static final GoType INT32 = new GoType("int32", 4, 4);
    public static final GoType INT64 = new GoType("int64", 8, 8);
    public static final GoType FLOAT64 = new GoType("float64", 8, 8);
    /** Go's string header: data pointer and length. */
    public static final GoType STRING = new GoType("string", 16, 8);
    /** The value type of a set, {@code map[K]struct{}}. */
    public static final GoType EMPTY_STRUCT = new GoType("struct{}", 0, 1);

    public GoType {
        if (size < 0 || align < 1 || Long.bitCount(align) != 1) throw new IllegalArgumentException(name + ": size " + size + ", align " + align);
    }

    /** {@code [n]elem}: n elements, the element's alignment. */
    public static GoType array(GoType elem, long n) {
        return new GoType("[" + n + "]" + elem.name(), elem.size() * n, elem.align());
    }

    /** A pointer to this type (how Go stores a key or value over 128 bytes). */
    public GoType pointer() {
        return new GoType("*" + name, PTR_SIZE, PTR_SIZE);
    }
}
