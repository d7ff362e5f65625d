// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * A generated cursor as the boxed {@code java.util} views walk it: each map's cursor implements it beside
 * its own primitive accessors.
 *
 * @param <K> the boxed key type
 * @param <V> the boxed value type ({@code Void} for sets)
 */
public interface BoxedCursor<K, V> {
    /** Go's mapiternext: false when there is no further entry. */
    boolean next();

    /** The current key, boxed; only right after next() returned true. */
    K boxedKey();

    /** The current value, boxed (null for sets); only right after next() returned true. */
    V boxedValue();
}
