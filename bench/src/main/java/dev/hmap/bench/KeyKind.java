// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

/** The primitive key kinds of the benchmarks: {@code long -> long} and {@code int -> int} maps. */
public enum KeyKind {
    LONG, INT;

    /** The kind of a {@code @Param key} value: {@code long} or {@code int}. */
    public static KeyKind of(String key) {
        return switch (key) {
            case "long" -> LONG;
            case "int" -> INT;
            default -> throw new IllegalArgumentException("key must be long or int: " + key);
        };
    }
}
