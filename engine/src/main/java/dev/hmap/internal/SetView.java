// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Objects;

/**
 * The live {@link java.util.Set} view of every generated set ({@code asSet()}): boxed. Null elements are
 * rejected with NullPointerException; an object of another type is simply not an element.
 *
 * @param <K> the boxed key type
 */
public final class SetView<K> extends AbstractSet<K> {
    private final BoxedSet<K> set;

    public SetView(BoxedSet<K> set) {
        this.set = set;
    }

    @Override
    public int size() {
        return (int) Math.min(set.size(), Integer.MAX_VALUE);
    }

    @Override
    public boolean isEmpty() {
        return set.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        Objects.requireNonNull(o, "key");
        return set.keyClass().isInstance(o) && set.containsBoxed(set.keyClass().cast(o));
    }

    @Override
    public boolean add(K key) {
        Objects.requireNonNull(key, "element");
        return set.addBoxed(key);
    }

    @Override
    public boolean remove(Object o) {
        Objects.requireNonNull(o, "key");
        return set.keyClass().isInstance(o) && set.removeBoxed(set.keyClass().cast(o));
    }

    @Override
    public void clear() {
        set.clear();
    }

    @Override
    public Iterator<K> iterator() {
        return new CursorIterator<>(set.boxedCursor(), set::checkOpen, BoxedCursor::boxedKey, set::removeBoxed);
    }
}
