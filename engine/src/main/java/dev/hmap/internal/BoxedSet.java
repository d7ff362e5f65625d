// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * What {@link SetView} needs of a generated set: its operations on boxed keys.
 *
 * @param <K> the boxed key type
 */
public interface BoxedSet<K> {
    Class<K> keyClass();

    long size();

    boolean isEmpty();

    void clear();

    void checkOpen();

    boolean containsBoxed(K key);

    boolean addBoxed(K key);

    boolean removeBoxed(K key);

    /** A cursor whose pin a Cleaner releases if it is abandoned. */
    BoxedCursor<K, Void> boxedCursor();
}
