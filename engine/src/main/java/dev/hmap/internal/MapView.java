// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The live {@link Map} view of every generated map ({@code asMap()}): boxed, for code that needs a
 * {@code java.util.Map}. Null keys and values are rejected with NullPointerException; an object of another
 * type is simply not a key. Written once for all map types: it is not on any hot path.
 *
 * @param <K> the boxed key type
 * @param <V> the boxed value type
 */
public final class MapView<K, V> extends AbstractMap<K, V> {
    private final BoxedMap<K, V> map;
    private final Set<Map.Entry<K, V>> entries = new Entries();

    public MapView(BoxedMap<K, V> map) {
        this.map = map;
    }

    @Override
    public int size() {
        return (int) Math.min(map.size(), Integer.MAX_VALUE);
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** The key as K, or null when it is of another type (a NullPointerException for null). */
    private K key(Object k) {
        Objects.requireNonNull(k, "key");
        return map.keyClass().isInstance(k) ? map.keyClass().cast(k) : null;
    }

    @Override
    public boolean containsKey(Object k) {
        K key = key(k);
        return key != null && map.getBoxed(key) != null;
    }

    @Override
    public boolean containsValue(Object v) {
        Objects.requireNonNull(v, "value");
        return super.containsValue(v);
    }

    @Override
    public V get(Object k) {
        K key = key(k);
        return key == null ? null : map.getBoxed(key);
    }

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return map.putBoxed(key, value);
    }

    @Override
    public V remove(Object k) {
        K key = key(k);
        return key == null ? null : map.removeBoxed(key);
    }

    @Override
    public void clear() {
        map.clear();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return entries;
    }

    private final class Entries extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public int size() {
            return MapView.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || !map.keyClass().isInstance(e.getKey())) return false;
            V v = map.getBoxed(map.keyClass().cast(e.getKey()));
            return v != null && v.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!contains(o)) return false;
            map.removeBoxed(map.keyClass().cast(((Map.Entry<?, ?>) o).getKey()));
            return true;
        }

        @Override
        public void clear() {
            map.clear();
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new CursorIterator<>(map.boxedCursor(), map::checkOpen, Entry::new, map::removeBoxed);
        }
    }

    /** An entry as next() saw it; setValue() writes through to the map. */
    private final class Entry extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        Entry(BoxedCursor<K, V> c) {
            super(c.boxedKey(), c.boxedValue());
        }

        @Override
        public V setValue(V v) {
            Objects.requireNonNull(v, "value");
            map.putBoxed(getKey(), v);
            return super.setValue(v);
        }
    }
}
