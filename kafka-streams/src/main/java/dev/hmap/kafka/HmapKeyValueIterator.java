// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.NoSuchElementException;

/**
 * Walks the sorted keys a scan found, forward or backward, reading each value when it gets there (as
 * Kafka's in-memory store's iterator does): a key deleted since the scan is skipped, so no value is null,
 * and nothing in the store can make it throw ConcurrentModificationException. It holds no lock and no map
 * memory between calls; each check takes the store's read lock for one lookup.
 */
final class HmapKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
    private final HmapKeyValueStore store;
    private final Bytes[] keys;
    private final boolean forward;
    /** Keys taken from {@link #keys} so far. */
    private int taken;
    /** The next key to return, present in the store when last checked; null to find the next one. */
    private Bytes current;
    private boolean open = true;

    HmapKeyValueIterator(HmapKeyValueStore store, Bytes[] sortedKeys, boolean forward) {
        this.store = store;
        this.keys = sortedKeys;
        this.forward = forward;
    }

    @Override
    public boolean hasNext() {
        if (!open) {
            throw new IllegalStateException(String.format("Iterator for store %s has already been closed.", store.name()));
        }
        for (;;) {
            if (current == null) {
                if (taken == keys.length) return false;
                current = keys[forward ? taken : keys.length - 1 - taken];
                taken++;
            }
            if (store.contains(current)) return true; // checked again on every call: it may be gone since
            current = null;
        }
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        for (;;) {
            if (!hasNext()) throw new NoSuchElementException();
            Bytes key = current;
            current = null;
            byte[] value = store.get(key);
            if (value != null) return KeyValue.pair(key, value); // else deleted by another thread since hasNext
        }
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) throw new NoSuchElementException();
        return current;
    }

    @Override
    public void close() {
        open = false;
    }
}
