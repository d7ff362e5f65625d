// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * What {@link MapView} needs of a generated map: its operations on boxed keys and values, null meaning
 * absent (values are never null). Cold code: the views are written once, here, for every map type.
 *
 * @param <K> the boxed key type
 * @param <V> the boxed value type
 */
public interface BoxedMap<K, V> {
    Class<K> keyClass();

    long size();

    boolean isEmpty();

    void clear();

    void checkOpen();

    /** The value of key, or null. */
    V getBoxed(K key);

    /** Associates value with key; the previous value, or null if there was none. */
    V putBoxed(K key, V value);

    /** Removes key; its value, or null if it was absent. */
    V removeBoxed(K key);

    /** A cursor whose pin a Cleaner releases if it is abandoned. */
    BoxedCursor<K, V> boxedCursor();
}
