// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.hmap.kafka.KeyValueStoreContractTest.k;
import static dev.hmap.kafka.KeyValueStoreContractTest.s;
import static dev.hmap.kafka.KeyValueStoreContractTest.strings;
import static dev.hmap.kafka.KeyValueStoreContractTest.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What hmap's store does beyond, or differently from, Kafka's in-memory store: the supplier's checks,
 * prefixes the in-memory store cannot scan, positions after deletes, scans longer than one chunk under
 * writes, and use after close.
 */
class HmapStoreTest {

    @Test
    void supplier() {
        KeyValueBytesStoreSupplier supplier = HmapStores.keyValueStore("s");
        assertEquals("s", supplier.name());
        assertEquals("hmap", supplier.metricsScope());
        KeyValueStore<Bytes, byte[]> a = supplier.get(), b = supplier.get();
        assertNotSame(a, b); // one per partition
        assertEquals("s", a.name());
        assertFalse(a.persistent());
        assertFalse(a.isOpen());
        assertThrows(InvalidStateStoreException.class, () -> a.get(k(1)), "before init");
        assertEquals("name cannot be null",
                assertThrows(NullPointerException.class, () -> HmapStores.keyValueStore(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HmapStores.keyValueStore("s", -1));
        KeyValueStore<Bytes, byte[]> sized = HmapStores.keyValueStore("s", 100_000).get();
        sized.init(new TestContext(), sized);
        sized.put(k(1), v("x"));
        assertEquals(1, sized.approximateNumEntries());
        sized.close();
    }

    /** Every key starts with the empty prefix, and 0xFF prefixes have no successor: both scan correctly. */
    @Test
    void prefixesWithoutSuccessor() {
        KeyValueStore<Bytes, byte[]> store = StoreKind.HMAP.open("p", new TestContext());
        try {
            store.put(s("a"), v("1"));
            store.put(Bytes.wrap(new byte[] {(byte) 0xFF}), v("2"));
            store.put(Bytes.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, 0}), v("3"));
            store.put(Bytes.wrap(new byte[0]), v("4"));
            assertEquals(4, count(store.prefixScan("", new StringSerializer())));
            assertEquals(2, count(store.prefixScan(new byte[] {(byte) 0xFF}, new ByteArraySerializer())));
            assertEquals(1, count(store.prefixScan(new byte[] {(byte) 0xFF, (byte) 0xFF}, new ByteArraySerializer())));
            assertEquals(List.of("a=1"), strings(store.prefixScan("a", new StringSerializer())));
        } finally {
            store.close();
        }
    }

    /**
     * A prefix ending in 0xFF: Kafka's in-memory store scans {@code [prefix, increment(prefix))}, so for
     * {@code 80 7F FF} it also returns {@code 80 80}, which does not start with it (increment gives
     * {@code 80 80 00}). hmap's store returns the keys with the prefix, as RocksDB's does.
     */
    @Test
    void prefixEndingInFF() {
        byte[] prefix = {(byte) 0x80, 0x7F, (byte) 0xFF};
        Bytes with = Bytes.wrap(new byte[] {(byte) 0x80, 0x7F, (byte) 0xFF, 1});
        Bytes without = Bytes.wrap(new byte[] {(byte) 0x80, (byte) 0x80});
        TestContext ctx = new TestContext();
        KeyValueStore<Bytes, byte[]> hmap = StoreKind.HMAP.open("ff", ctx);
        KeyValueStore<Bytes, byte[]> kafka = StoreKind.KAFKA_IN_MEMORY.open("ff", ctx);
        try {
            for (KeyValueStore<Bytes, byte[]> store : List.of(hmap, kafka)) {
                store.put(with, v("with"));
                store.put(without, v("without"));
            }
            assertEquals(List.of(with), keys(hmap.prefixScan(prefix, new ByteArraySerializer())));
            assertEquals(List.of(with, without), keys(kafka.prefixScan(prefix, new ByteArraySerializer())),
                    "Kafka's in-memory store changed its prefix scan: update the README's note on it");
        } finally {
            hmap.close();
            kafka.close();
        }
    }

    @Test
    void deletesRecordTheirPosition() {
        TestContext ctx = new TestContext();
        KeyValueStore<Bytes, byte[]> store = StoreKind.HMAP.open("pos", ctx);
        try {
            ctx.setRecord("input", 0, 1);
            store.put(k(1), v("a"));
            ctx.setRecord("input", 0, 2);
            store.delete(k(1));
            assertEquals(Position.fromMap(Map.of("input", Map.of(0, 2L))), store.getPosition());
        } finally {
            store.close();
        }
    }

    /**
     * A scan of several chunks with writes between its chunks: every key present throughout is returned
     * once, keys deleted before the scan started are not, and the store's contents are intact after.
     */
    @Test
    void scansLongerThanAChunk() {
        KeyValueStore<Bytes, byte[]> store = StoreKind.HMAP.open("chunks", new TestContext());
        try {
            int n = HmapKeyValueStore.SCAN_CHUNK * 5 + 17;
            for (int i = 0; i < n; i++) store.put(k(i), v("v" + i));
            for (int i = 0; i < n; i += 10) store.delete(k(i));
            HmapKeyValueStore hmap = (HmapKeyValueStore) store;
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    store.put(k(n + i), v("late"));        // new keys: may or may not be seen
                    store.put(k(1 + 10 * (i % (n / 10))), v("again")); // present throughout: must be seen
                }
            });
            writer.start();
            Bytes[] keys = hmap.scan(null, null, null);
            join(writer);
            java.util.Set<Bytes> seen = new java.util.HashSet<>(List.of(keys));
            assertEquals(keys.length, seen.size(), "duplicates");
            for (int i = 0; i < n; i++) {
                assertEquals(i % 10 != 0, seen.contains(k(i)), "key " + i);
            }
            for (int i = 1; i < keys.length; i++) assertTrue(keys[i - 1].compareTo(keys[i]) < 0, "order at " + i);
            assertEquals(n - (n + 9) / 10 + 20_000, store.approximateNumEntries());
        } finally {
            store.close();
        }
    }

    @Test
    void useAfterClose() {
        KeyValueStore<Bytes, byte[]> store = StoreKind.HMAP.open("closed", new TestContext());
        store.put(k(1), v("a"));
        store.put(k(2), v("b"));
        KeyValueIterator<Bytes, byte[]> it = store.all();
        store.close();
        assertFalse(store.isOpen());
        assertThrows(InvalidStateStoreException.class, () -> store.get(k(1)));
        assertThrows(InvalidStateStoreException.class, () -> store.put(k(1), v("a")));
        assertThrows(InvalidStateStoreException.class, store::all);
        assertThrows(InvalidStateStoreException.class, store::approximateNumEntries);
        assertThrows(InvalidStateStoreException.class, it::hasNext);
        // Kafka may initialize a closed store again (a revived task): it starts empty.
        store.init(new TestContext(), store);
        assertEquals(0, store.approximateNumEntries());
        store.putAll(List.of(KeyValue.pair(k(3), v("c"))));
        assertEquals(1, store.approximateNumEntries());
        store.close();
    }

    private static List<Bytes> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<Bytes> keys = new java.util.ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private static int count(KeyValueIterator<Bytes, byte[]> it) {
        int n = 0;
        try (it) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
