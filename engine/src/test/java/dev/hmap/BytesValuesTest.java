// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What byte-string values promise beyond the suites' differential runs: the copy-out contract (a buffer
 * too small gets nothing and learns the length; absent is -1, empty is 0), every value form writes the same
 * bytes, the write result says whether the key was present, a value that is too long is refused with the
 * map unchanged, values of 1 MiB work, a value read from the map's own memory can be written back while the
 * map grows, and cursors and forEach read values without allocating a ByteString.
 */
class BytesValuesTest {

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    private static byte[] get(LongBytesMap m, long k) {
        int n = m.valueLength(k);
        if (n < 0) return null;
        byte[] b = new byte[n];
        assertEquals(n, m.get(k, b, 0));
        return b;
    }

    /**
     * A replace frees the old value's bytes and a delete the key's and the value's, each with the size it
     * was allocated with: rounds of the same inserts, replaces, kept putIfAbsents and removes then need no
     * new memory after the first. A block freed with a wrong size would sit in another size class's free
     * list and leave its own class short. String keys of up to 32 ASCII chars take the insert's word path,
     * longer ones the byte path; keys and values include empty ones.
     */
    @Test
    void freedBytesAreReusedRoundAfterRound() {
        try (BytesBytesMap m = BytesBytesMap.create(3_000)) {
            roundsNeedNoNewMemory("BytesBytesMap", (k, v) -> m.put(k.getBytes(UTF_8), v),
                    (k, v) -> m.putIfAbsent(k.getBytes(UTF_8), v), k -> m.remove(k.getBytes(UTF_8)), m::stats);
        }
        try (StringBytesMap m = StringBytesMap.create(3_000)) {
            roundsNeedNoNewMemory("StringBytesMap", m::put, m::putIfAbsent, m::remove, m::stats);
        }
    }

    private static void roundsNeedNoNewMemory(String type, java.util.function.BiPredicate<String, byte[]> put,
                                              java.util.function.BiPredicate<String, byte[]> putIfAbsent,
                                              java.util.function.Predicate<String> remove,
                                              java.util.function.Supplier<MapStats> stats) {
        long afterFirst = -1;
        for (int round = 0; round < 4; round++) {
            SplittableRandom r = new SplittableRandom(42); // the same demand for memory every round
            String[] keys = new String[2_000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = i == 0 ? "" : "k".repeat(r.nextInt(41)) + i;
                assertFalse(put.test(keys[i], bytes(r, r.nextInt(4) == 0 ? 0 : r.nextInt(300))));
            }
            for (int pass = 0; pass < 3; pass++) {
                for (String k : keys) assertTrue(put.test(k, bytes(r, r.nextInt(300))));
                for (String k : keys) assertTrue(putIfAbsent.test(k, bytes(r, 7)));
            }
            for (String k : keys) assertTrue(remove.test(k));
            long held = stats.get().offHeapBytes();
            if (round == 0) afterFirst = held;
            assertEquals(afterFirst, held, type + ": round " + round + " needed memory the earlier rounds freed");
        }
    }

    /** getCopy: one lookup into a new array, null when absent, an empty array for an empty value, by every key form. */
    @Test
    void getCopyReturnsANewArrayByEveryKeyForm() {
        try (LongBytesMap m = LongBytesMap.create()) {
            m.put(1L, "hello".getBytes(UTF_8));
            m.put(2L, new byte[0]);
            byte[] a = m.getCopy(1L);
            assertArrayEquals("hello".getBytes(UTF_8), a);
            a[0] = 'j';
            assertArrayEquals("hello".getBytes(UTF_8), m.getCopy(1L), "a copy: writing it changes nothing");
            assertArrayEquals(new byte[0], m.getCopy(2L));
            assertEquals(null, m.getCopy(3L));
        }
        SplittableRandom r = new SplittableRandom(7);
        try (BytesBytesMap m = BytesBytesMap.create(); Arena arena = Arena.ofConfined()) {
            byte[][] keys = new byte[500][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = bytes(r, r.nextInt(40));
                m.put(keys[i], bytes(r, r.nextInt(3_000)));
            }
            Bytes<?> store = Bytes.allocateElasticDirect();
            try {
                for (byte[] k : keys) {
                    byte[] expected = new byte[m.valueLength(k)];
                    assertEquals(expected.length, m.get(k, expected, 0));
                    byte[] padded = new byte[k.length + 5];
                    System.arraycopy(k, 0, padded, 3, k.length);
                    MemorySegment seg = arena.allocate(Math.max(1, k.length)).asSlice(0, k.length);
                    seg.copyFrom(MemorySegment.ofArray(k));
                    store.clear();
                    store.write(k);
                    assertArrayEquals(expected, m.getCopy(k));
                    assertArrayEquals(expected, m.getCopy(ByteString.copyOf(k)));
                    assertArrayEquals(expected, m.getCopy(padded, 3, k.length));
                    assertArrayEquals(expected, m.getCopy(ByteBuffer.wrap(padded, 3, k.length)));
                    assertArrayEquals(expected, m.getCopy(seg));
                    assertArrayEquals(expected, m.getCopyAt(store, 0, k.length));
                }
            } finally {
                store.releaseLast();
            }
            assertEquals(null, m.getCopy(new byte[41]), "absent (keys are shorter)");
            assertThrows(IndexOutOfBoundsException.class, () -> m.getCopy(new byte[4], 3, 2));
        }
    }

    @Test
    void aBufferTooSmallGetsNothingAndLearnsTheLength() {
        try (LongBytesMap m = LongBytesMap.create()) {
            assertFalse(m.put(1L, "hello".getBytes(UTF_8)));
            assertFalse(m.put(2L, new byte[0]));
            byte[] buf = new byte[8];
            Arrays.fill(buf, (byte) '#');
            assertEquals(5, m.get(1L, buf, 3));
            assertEquals("###hello", new String(buf, UTF_8));
            Arrays.fill(buf, (byte) '#');
            assertEquals(5, m.get(1L, buf, 4), "one byte short: the length, and nothing written");
            assertEquals("########", new String(buf, UTF_8));
            assertEquals(5, m.get(1L, new byte[0], 0));
            assertEquals(0, m.get(2L, buf, 8), "an empty value fits anywhere, even at the end");
            assertEquals(-1, m.get(3L, buf, 0), "absent");
            assertEquals(0, m.valueLength(2L));
            assertEquals(-1, m.valueLength(3L));
            assertTrue(m.containsKey(2L));
            MemorySegment seg = MemorySegment.ofArray(new byte[5]);
            assertEquals(5, m.get(1L, seg));
            assertEquals("hello", new String(seg.toArray(ValueLayout.JAVA_BYTE), UTF_8));
            assertEquals(5, m.get(1L, seg.asSlice(1)), "too small: nothing written");
            assertEquals("hello", new String(seg.toArray(ValueLayout.JAVA_BYTE), UTF_8));
            assertEquals(-1, m.get(3L, seg));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(1L, buf, 9));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(3L, buf, -1), "checked even when absent");
            assertThrows(NullPointerException.class, () -> m.get(3L, (byte[]) null, 0));
            assertThrows(UnsupportedOperationException.class, () -> m.get(1L, seg.asReadOnly()));
            assertEquals(ByteString.ofUtf8("hello"), m.asMap().get(1L));
            assertEquals(ByteString.EMPTY, m.asMap().get(2L));
            assertEquals(null, m.asMap().get(3L));
        }
    }

    @Test
    void everyValueFormWritesTheSameBytes() {
        SplittableRandom r = new SplittableRandom(7);
        try (Arena arena = Arena.ofConfined(); BytesBytesMap m = BytesBytesMap.create()) {
            for (int i = 0; i < 500; i++) {
                byte[] v = bytes(r, r.nextInt(3) == 0 ? r.nextInt(3000) : r.nextInt(40));
                byte[] padded = new byte[v.length + 9];
                System.arraycopy(v, 0, padded, 4, v.length);
                byte[] key = ("k" + i).getBytes(UTF_8);
                boolean present = switch (i % 6) {
                    case 0 -> m.put(key, v);
                    case 1 -> m.put(key, padded, 4, v.length);
                    case 2 -> m.put(key, ByteBuffer.wrap(padded, 4, v.length));
                    case 3 -> {
                        ByteBuffer d = ByteBuffer.allocateDirect(v.length + 2).position(2);
                        d.put(v).position(2);
                        boolean p = m.put(key, d);
                        assertEquals(2, d.position(), "the buffer does not move");
                        yield p;
                    }
                    case 4 -> {
                        MemorySegment s = arena.allocate(Math.max(1, v.length));
                        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_BYTE, 0, v.length);
                        yield m.put(key, s.asSlice(0, v.length));
                    }
                    default -> {
                        Bytes<?> b = Bytes.allocateElasticDirect(padded.length);
                        try {
                            b.write(padded);
                            yield m.putAt(key, b.bytesStore(), 4, v.length);
                        } finally {
                            b.releaseLast();
                        }
                    }
                };
                assertFalse(present);
                byte[] out = new byte[v.length];
                assertEquals(v.length, m.get(key, out, 0));
                assertArrayEquals(v, out, "form " + i % 6);
            }
        }
    }

    @Test
    void writesSayWhetherTheKeyWasPresentAndReplaceOrKeep() {
        try (StringBytesMap m = StringBytesMap.create()) {
            assertFalse(m.putIfAbsent("a", new byte[] {1}));
            assertTrue(m.putIfAbsent("a", new byte[] {2, 2}), "present: kept");
            assertEquals(1, m.valueLength("a"));
            assertTrue(m.put("a", new byte[] {3, 3, 3}), "present: replaced");
            assertEquals(3, m.valueLength("a"));
            assertTrue(m.remove("a"));
            assertFalse(m.remove("a"));
            assertEquals(0, m.size());
        }
    }

    @Test
    void aValueTooLongIsRefusedAndNothingChanges() {
        try (IntBytesMap m = IntBytesMap.create()) {
            m.put(1, new byte[] {1, 2});
            long before = m.stats().offHeapBytes();
            // A segment one byte longer than the limit; never read, as the length is checked first.
            MemorySegment huge = MemorySegment.ofAddress(0).reinterpret(OffHeapMap.MAX_VALUE_LENGTH + 1);
            assertThrows(IllegalArgumentException.class, () -> m.put(1, huge));
            assertThrows(IllegalArgumentException.class, () -> m.put(2, huge));
            assertEquals(1, m.size());
            assertEquals(2, m.valueLength(1));
            assertEquals(-1, m.valueLength(2));
            assertEquals(before, m.stats().offHeapBytes());
            assertThrows(IndexOutOfBoundsException.class, () -> m.put(3, new byte[4], 2, 3));
            assertEquals(before, m.stats().offHeapBytes());
        }
        // A bad key range is found after the value's bytes were staged: they go back, every time.
        try (BytesBytesMap m = BytesBytesMap.create()) {
            byte[] value = new byte[2000], key = new byte[4];
            assertThrows(IndexOutOfBoundsException.class, () -> m.put(key, 2, 3, value));
            long before = m.stats().offHeapBytes();
            for (int i = 0; i < 20_000; i++) assertThrows(IndexOutOfBoundsException.class, () -> m.put(key, 2, 3, value));
            assertEquals(before, m.stats().offHeapBytes(), "20,000 failed writes of 2,000 bytes kept nothing");
            assertEquals(0, m.size());
        }
    }

    @Test
    void valuesOfAMebibyteAndMore() {
        SplittableRandom r = new SplittableRandom(11);
        try (LongBytesMap m = LongBytesMap.create()) {
            Map<Long, byte[]> ref = new HashMap<>();
            for (long k = 0; k < 24; k++) {
                byte[] v = bytes(r, (1 << 20) + r.nextInt(1 << 20));
                m.put(k, v);
                ref.put(k, v);
            }
            for (int i = 0; i < 200; i++) { // replace with other lengths: freed pages are reused
                long k = r.nextInt(24);
                byte[] v = bytes(r, r.nextInt(2 << 20));
                assertTrue(m.put(k, v));
                ref.put(k, v);
            }
            for (Map.Entry<Long, byte[]> e : ref.entrySet()) assertArrayEquals(e.getValue(), get(m, e.getKey()));
            long live = ref.values().stream().mapToLong(v -> v.length).sum();
            assertTrue(m.stats().offHeapBytes() < 2 * live + (8L << 20),
                    "off-heap " + m.stats().offHeapBytes() + " for " + live + " bytes of values");
        }
    }

    @Test
    void aValueViewOfTheMapItselfCanBeWrittenWhileTheMapGrows() {
        try (LongBytesMap m = LongBytesMap.create()) {
            for (long k = 0; k < 100; k++) m.put(k, ("value-" + k).getBytes(UTF_8));
            int grew = 0;
            LongBytesCursor c = m.cursor();
            while (c.next()) {
                if (c.key() >= 1000) continue; // inserted by this loop
                int b = m.stats().B();
                m.put(1000 + c.key(), c.valueBytes()); // the view lies in the map's memory, which the put may move
                if (m.stats().B() != b) grew++;
            }
            assertTrue(grew > 0);
            for (long k = 0; k < 100; k++) assertArrayEquals(("value-" + k).getBytes(UTF_8), get(m, 1000 + k));
        }
    }

    @Test
    void cursorsAndForEachReadValuesIntoTheCallersBuffer() {
        try (BytesBytesMap m = BytesBytesMap.create()) {
            Map<ByteString, ByteString> ref = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                ByteString k = ByteString.ofUtf8("key" + i), v = ByteString.ofUtf8("v".repeat(i % 70));
                m.put(k, v.toByteArray());
                ref.put(k, v);
            }
            Map<ByteString, ByteString> seen = new HashMap<>();
            byte[][] buf = {new byte[8]};
            m.forEach(c -> {
                int n = c.copyValue(buf[0], 0);
                if (n > buf[0].length) assertEquals(n, c.copyValue(buf[0] = new byte[n], 0));
                assertEquals(n, c.valueLength());
                seen.put(c.key(), ByteString.copyOf(buf[0], 0, n));
            });
            assertEquals(ref, seen);
            assertEquals(ref, new HashMap<>(m.asMap()));
            BytesBytesCursor c = m.cursor();
            while (c.next()) {
                if (c.valueLength() % 2 == 0) {
                    c.setValue(new byte[] {9, 9, 9, 9, 9}, 1, 3);
                    assertEquals(ByteString.copyOf(new byte[] {9, 9, 9}), c.value(), "value() after setValue");
                    ref.put(c.key(), c.value());
                }
            }
            assertEquals(ref, new HashMap<>(m.asMap()));
            m.asMap().put(ByteString.ofUtf8("x"), ByteString.ofUtf8("y"));
            byte[] y = new byte[1];
            assertEquals(1, m.get(ByteString.ofUtf8("x"), y, 0));
            assertEquals('y', y[0]);
            BytesBytesCursor after = m.cursor();
            assertTrue(after.next());
            m.clear();
            assertThrows(IllegalStateException.class, after::valueLength, "clear() took the value's bytes");
        }
    }
}
