// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link java.util.Iterator} over a generated cursor, for the views: one entry of look-ahead (hasNext()
 * moves the cursor), and remove() by the last key returned.
 */
final class CursorIterator<K, V, T> implements Iterator<T> {
    private final BoxedCursor<K, V> c;
    private final Runnable checkOpen;
    private final Function<BoxedCursor<K, V>, T> current;
    private final Consumer<K> remove;
    private boolean fetched, more, canRemove;
    private K last;

    CursorIterator(BoxedCursor<K, V> c, Runnable checkOpen, Function<BoxedCursor<K, V>, T> current, Consumer<K> remove) {
        this.c = c;
        this.checkOpen = checkOpen;
        this.current = current;
        this.remove = remove;
    }

    @Override
    public boolean hasNext() {
        checkOpen.run(); // also when an answer is cached: a closed map's iterator must not pretend
        if (!fetched) {
            more = c.next();
            fetched = true;
        }
        return more;
    }

    @Override
    public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        fetched = false;
        canRemove = true;
        last = c.boxedKey();
        return current.apply(c);
    }

    @Override
    public void remove() {
        if (!canRemove) throw new IllegalStateException("next() first");
        canRemove = false;
        remove.accept(last);
    }
}
