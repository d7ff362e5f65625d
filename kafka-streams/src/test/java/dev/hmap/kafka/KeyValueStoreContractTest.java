// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code KeyValueStore<Bytes, byte[]>} contract, each case run on hmap's store and on Kafka's in-memory
 * store. The cases are those of Kafka's own store tests ({@code AbstractKeyValueStoreTest},
 * {@code InMemoryKeyValueStoreTest}: Kafka publishes no test jar for 4.x, so they are written again here):
 * put/get/delete/putIfAbsent/putAll with Kafka's null rules, the ranges with open and inverted bounds in
 * both directions, prefix scans, the iterators' rules, position tracking, restore from changelog records
 * through the registered callback, and interactive queries.
 */
class KeyValueStoreContractTest {

    private final TestContext context = new TestContext();
    private KeyValueStore<Bytes, byte[]> store;

    private KeyValueStore<Bytes, byte[]> open(StoreKind kind) {
        store = kind.open("contract", context);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    static Bytes k(int key) {
        return Bytes.wrap(new IntegerSerializer().serialize(null, key));
    }

    static Bytes s(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] v(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The iterator's entries as "key=value" with integer keys, in order; closes it. */
    static List<String> ints(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.add(java.nio.ByteBuffer.wrap(kv.key.get()).getInt() + "=" + str(kv.value));
            }
        }
        return out;
    }

    /** The same with string keys. */
    static List<String> strings(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.add(str(kv.key.get()) + "=" + str(kv.value));
            }
        }
        return out;
    }

    private void putInts(int... keys) {
        for (int key : keys) store.put(k(key), v("v" + key));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void putGetRangeDelete(StoreKind kind) {
        open(kind);
        store.put(k(0), v("zero"));
        store.put(k(1), v("one"));
        store.put(k(2), v("two"));
        store.put(k(4), v("four"));
        store.put(k(5), v("five"));
        assertEquals(5, store.approximateNumEntries());
        assertEquals("zero", str(store.get(k(0))));
        assertNull(store.get(k(3)));
        assertEquals("five", str(store.delete(k(5))));
        assertNull(store.delete(k(5)));
        assertNull(store.get(k(5)));
        assertEquals(4, store.approximateNumEntries());
        assertEquals(List.of("2=two", "4=four"), ints(store.range(k(2), k(4))));
        assertEquals(List.of("4=four", "2=two"), ints(store.reverseRange(k(2), k(4))));
        assertEquals(List.of("1=one", "2=two", "4=four"), ints(store.range(k(1), k(5))));
        assertEquals(List.of("0=zero", "1=one", "2=two", "4=four"), ints(store.all()));
        assertEquals(List.of("4=four", "2=two", "1=one", "0=zero"), ints(store.reverseAll()));
        store.put(k(2), v("TWO"));
        assertEquals("TWO", str(store.get(k(2))));
        assertEquals(4, store.approximateNumEntries());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rangesTakeOpenBounds(StoreKind kind) {
        open(kind);
        putInts(0, 1, 2, 3);
        assertEquals(List.of("0=v0", "1=v1"), ints(store.range(null, k(1))));
        assertEquals(List.of("2=v2", "3=v3"), ints(store.range(k(2), null)));
        assertEquals(List.of("0=v0", "1=v1", "2=v2", "3=v3"), ints(store.range(null, null)));
        assertEquals(List.of("1=v1", "0=v0"), ints(store.reverseRange(null, k(1))));
        assertEquals(List.of("3=v3", "2=v2"), ints(store.reverseRange(k(2), null)));
        assertEquals(List.of("3=v3", "2=v2", "1=v1", "0=v0"), ints(store.reverseRange(null, null)));
        assertEquals(List.of("1=v1"), ints(store.range(k(1), k(1))));
    }

    /** Negative ints serialize above positive ones (two's complement, unsigned bytes): from > to, empty. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void invertedRangesAreEmpty(StoreKind kind) {
        open(kind);
        putInts(-1, 0, 1, 2);
        assertEquals(List.of(), ints(store.range(k(-1), k(1))));
        assertEquals(List.of(), ints(store.reverseRange(k(-1), k(1))));
        assertEquals(List.of(), ints(store.range(k(2), k(1))));
        assertEquals(List.of("0=v0", "1=v1", "2=v2", "-1=v-1"), ints(store.all()));
        assertEquals(List.of("2=v2", "-1=v-1"), ints(store.range(k(2), k(-1))));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unsignedByteOrder(StoreKind kind) {
        open(kind);
        byte[][] keys = {{}, {0}, {0, 0}, {1}, {0x7F}, {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xFF, 0}, {(byte) 0x80, (byte) 0xFF}};
        for (byte[] key : keys) store.put(Bytes.wrap(key), key);
        List<String> order = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> order.add(Arrays.toString(kv.key.get())));
        }
        assertEquals(List.of("[]", "[0]", "[0, 0]", "[1]", "[127]", "[-128]", "[-128, -1]", "[-1]", "[-1, 0]"), order);
        List<String> sub = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(new byte[] {0}), Bytes.wrap(new byte[] {(byte) 0x80}))) {
            it.forEachRemaining(kv -> sub.add(Arrays.toString(kv.key.get())));
        }
        assertEquals(List.of("[0]", "[0, 0]", "[1]", "[127]", "[-128]"), sub);
        assertArrayEquals(new byte[0], store.get(Bytes.wrap(new byte[0])));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void putIfAbsent(StoreKind kind) {
        open(kind);
        assertNull(store.putIfAbsent(k(0), v("zero")));
        assertNull(store.putIfAbsent(k(4), v("four")));
        assertEquals("four", str(store.putIfAbsent(k(4), v("unexpected value"))));
        assertEquals("four", str(store.get(k(4))));
        assertNull(store.putIfAbsent(k(5), null)); // absent and null: nothing is written
        assertNull(store.get(k(5)));
        assertEquals(2, store.approximateNumEntries());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nullValuesDelete(StoreKind kind) {
        open(kind);
        putInts(0, 1, 2);
        store.put(k(0), null);
        store.put(k(9), null); // absent: nothing happens, no exception
        store.putAll(List.of(KeyValue.pair(k(1), null), KeyValue.pair(k(3), v("v3"))));
        assertNull(store.get(k(0)));
        assertNull(store.get(k(1)));
        assertEquals(List.of("2=v2", "3=v3"), ints(store.all()));
        assertEquals(2, store.approximateNumEntries());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void emptyValueIsNotAbsent(StoreKind kind) {
        open(kind);
        store.put(k(1), new byte[0]);
        assertArrayEquals(new byte[0], store.get(k(1)));
        assertEquals(List.of("1="), ints(store.all()));
        assertArrayEquals(new byte[0], store.putIfAbsent(k(1), v("x")));
        assertArrayEquals(new byte[0], store.delete(k(1)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nullKeysThrowNullPointerException(StoreKind kind) {
        open(kind);
        assertThrows(NullPointerException.class, () -> store.put(null, v("a")));
        assertThrows(NullPointerException.class, () -> store.putIfAbsent(null, v("a")));
        assertThrows(NullPointerException.class, () -> store.putAll(List.of(KeyValue.pair(null, v("a")))));
        assertThrows(NullPointerException.class, () -> store.delete(null));
        assertThrows(NullPointerException.class, () -> store.get(null));
        assertThrows(NullPointerException.class, () -> store.prefixScan("a", null));
        assertEquals(0, store.approximateNumEntries());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void putAllAndReverseAll(StoreKind kind) {
        open(kind);
        store.putAll(List.of(KeyValue.pair(k(1), v("one")), KeyValue.pair(k(2), v("two")), KeyValue.pair(k(1), v("ONE"))));
        assertEquals(List.of("1=ONE", "2=two"), ints(store.all()));
        assertEquals(List.of("2=two", "1=ONE"), ints(store.reverseAll()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void getAndRangeAgreeOnEqualKeys(StoreKind kind) {
        open(kind);
        putInts(7);
        assertEquals(List.of("7=" + str(store.get(k(7)))), ints(store.range(k(7), k(7))));
        assertEquals(List.of("7=" + str(store.get(k(7)))), ints(store.reverseRange(k(7), k(7))));
    }

    /** Writes while iterating: no ConcurrentModificationException, deleted keys skipped, no null value. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void iteratorsSurviveWrites(StoreKind kind) {
        open(kind);
        for (int i = 0; i < 100; i++) store.put(k(i), v("v" + i));
        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                int key = java.nio.ByteBuffer.wrap(kv.key.get()).getInt();
                seen.add(key + "=" + str(kv.value));
                store.delete(k(key + 1));             // the next key: skipped
                store.put(k(key + 2), v("new"));     // one after: read as it is now
                store.put(k(1000 + key), v("late")); // not in the scan's keys: not visited
            }
        }
        assertEquals("0=v0", seen.get(0));
        assertEquals("2=new", seen.get(1));
        for (String e : seen) {
            assertFalse(e.endsWith("=null"), e);
            assertTrue(Integer.parseInt(e.substring(0, e.indexOf('='))) < 1000, e + " was put after the scan");
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(0, new IntegerSerializer())) {
            store.delete(k(0));
            assertFalse(it.hasNext());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void iteratorRules(StoreKind kind) {
        open(kind);
        KeyValueIterator<Bytes, byte[]> empty = store.all();
        assertFalse(empty.hasNext());
        assertThrows(NoSuchElementException.class, empty::next);
        assertThrows(NoSuchElementException.class, empty::peekNextKey);

        store.put(s("key"), v("value"));
        KeyValueIterator<Bytes, byte[]> it = store.all();
        assertTrue(it.hasNext());
        assertTrue(it.hasNext()); // does not advance
        assertEquals(s("key"), it.peekNextKey());
        assertEquals(s("key"), it.peekNextKey()); // does not advance
        assertEquals("value", str(it.next().value));
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);

        KeyValueIterator<Bytes, byte[]> gone = store.all();
        assertTrue(gone.hasNext());
        store.delete(s("key"));
        assertFalse(gone.hasNext()); // checked again: deleted since
        assertThrows(NoSuchElementException.class, gone::next);

        store.put(s("a"), v("1"));
        store.put(s("b"), v("2"));
        store.put(s("c"), v("3"));
        KeyValueIterator<Bytes, byte[]> skip = store.all();
        assertEquals(s("a"), skip.peekNextKey());
        store.delete(s("a"));
        store.delete(s("b"));
        assertEquals(s("c"), skip.peekNextKey());
        assertEquals("c=3", str(skip.next().key.get()) + "=" + str(store.get(s("c"))));

        KeyValueIterator<Bytes, byte[]> closed = store.all();
        closed.close();
        assertThrows(IllegalStateException.class, closed::hasNext);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prefixScan(StoreKind kind) {
        open(kind);
        store.put(s("k1"), v("a"));
        store.put(s("k2"), v("b"));
        store.put(s("k10"), v("c"));
        store.put(s("k"), v("d"));
        store.put(s("l"), v("e"));
        store.put(s("j"), v("f"));
        assertEquals(List.of("k=d", "k1=a", "k10=c", "k2=b"), strings(store.prefixScan("k", new StringSerializer())));
        assertEquals(List.of("k1=a", "k10=c"), strings(store.prefixScan("k1", new StringSerializer())));
        assertEquals(List.of(), strings(store.prefixScan("m", new StringSerializer())));
        assertEquals(List.of(), strings(store.prefixScan("k3", new StringSerializer())));
    }

    /** Kafka's "excluding next key largest key": the prefix's successor is not in the scan. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prefixScanExcludesTheNextKey(StoreKind kind) {
        open(kind);
        store.put(s("abc"), v("1"));
        store.put(s("abcd"), v("2"));
        store.put(s("abd"), v("3"));
        store.put(Bytes.wrap(new byte[] {'a', 'b', 'c', (byte) 0xFF}), v("4"));
        assertEquals(List.of("abc=1", "abcd=2"), strings(store.prefixScan("abc", new StringSerializer())).subList(0, 2));
        assertEquals(3, strings(store.prefixScan("abc", new StringSerializer())).size());
        assertEquals(List.of("abd=3"), strings(store.prefixScan("abd", new StringSerializer())));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prefixScanOfUuids(StoreKind kind) {
        open(kind);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = new UUID(0x1234L + i % 3, i).toString();
            store.put(s(id), v("" + i));
            if (id.startsWith("00000000-0000-1234")) expected.add(id + "=" + i);
        }
        expected.sort(null);
        assertEquals(expected, strings(store.prefixScan("00000000-0000-1234", new StringSerializer())));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void positionTracksPuts(StoreKind kind) {
        open(kind);
        context.setRecord("input", 0, 1);
        store.put(s("key1"), v("value1"));
        context.setRecord("input", 0, 2);
        store.put(s("key2"), v("value2"));
        context.setRecord("input", 0, 3);
        store.put(s("key3"), v("value3"));
        context.setRecord("other", 2, 7);
        store.putAll(List.of(KeyValue.pair(s("key4"), v("value4"))));
        Position expected = Position.fromMap(Map.of("input", Map.of(0, 3L), "other", Map.of(2, 7L)));
        assertEquals(expected, store.getPosition());
    }

    /**
     * Kafka's restore: changelog records, tombstones among them, replayed through the callback the store
     * registered at init, in batches.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void restoresFromChangelogRecords(StoreKind kind) {
        open(kind);
        List<ConsumerRecord<byte[], byte[]>> batch1 = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> batch2 = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 50; i++) batch1.add(record(offset++, k(i), v("v" + i)));
        for (int i = 0; i < 50; i += 2) batch2.add(record(offset++, k(i), null));  // tombstones
        batch2.add(record(offset++, k(1), v("updated")));
        batch2.add(record(offset++, k(99), null));                             // tombstone of nothing
        context.restore("contract", batch1);
        context.restore("contract", batch2);
        assertEquals(25, store.approximateNumEntries());
        assertNull(store.get(k(0)));
        assertEquals("updated", str(store.get(k(1))));
        assertEquals("v3", str(store.get(k(3))));
        List<String> all = ints(store.all());
        assertEquals(25, all.size());
        assertEquals("1=updated", all.get(0));
    }

    static ConsumerRecord<byte[], byte[]> record(long offset, Bytes key, byte[] value) {
        return new ConsumerRecord<>("hmap-test-contract-changelog", 0, offset, key.get(), value);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void interactiveQueries(StoreKind kind) {
        open(kind);
        context.setRecord("input", 0, 5);
        putInts(1, 2, 3, 4);
        QueryResult<byte[]> hit = store.query(KeyQuery.withKey(k(2)), PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(hit.isSuccess());
        assertEquals("v2", str(hit.getResult()));
        QueryResult<byte[]> miss = store.query(KeyQuery.withKey(k(9)), PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(miss.isSuccess());
        assertNull(miss.getResult());
        QueryResult<KeyValueIterator<Bytes, byte[]>> range =
                store.query(RangeQuery.withRange(k(2), k(3)), PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(range.isSuccess());
        assertEquals(List.of("2=v2", "3=v3"), ints(range.getResult()));
        QueryResult<KeyValueIterator<Bytes, byte[]>> desc = store.query(
                RangeQuery.<Bytes, byte[]>withNoBounds().withDescendingKeys(), PositionBound.unbounded(), new QueryConfig(false));
        assertEquals(List.of("4=v4", "3=v3", "2=v2", "1=v1"), ints(desc.getResult()));
        // A bound past what the store has seen: not up to bound; one it has seen: answered.
        PositionBound ahead = PositionBound.at(Position.fromMap(Map.of("input", Map.of(0, 6L))));
        QueryResult<byte[]> notYet = store.query(KeyQuery.withKey(k(2)), ahead, new QueryConfig(false));
        assertFalse(notYet.isSuccess());
        PositionBound seen = PositionBound.at(Position.fromMap(Map.of("input", Map.of(0, 5L))));
        assertTrue(store.query(KeyQuery.withKey(k(2)), seen, new QueryConfig(false)).isSuccess());
    }

    @SuppressWarnings("deprecation") // flush and managesOffsets: deprecated in 4.4, still part of the contract
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void lifecycle(StoreKind kind) {
        open(kind);
        assertTrue(store.isOpen());
        assertFalse(store.persistent());
        assertEquals("contract", store.name());
        putInts(1);
        store.flush();
        store.commit(Map.of());
        assertFalse(store.managesOffsets());
        assertNull(store.committedOffset(new org.apache.kafka.common.TopicPartition("t", 0)));
        assertEquals(0, store.approximateNumUncommittedBytes());
        assertEquals("v1", str(store.readOnly(org.apache.kafka.common.IsolationLevel.READ_COMMITTED).get(k(1))));
        assertEquals(List.of("1=v1"), ints(store.readOnly(org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED).all()));
        store.close();
        assertFalse(store.isOpen());
        store.close(); // idempotent
        store = null;
    }
}
