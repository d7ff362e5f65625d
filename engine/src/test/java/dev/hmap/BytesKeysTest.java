// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Bytes keys add to the suites' coverage (which run every Bytes type through every key form with
 * keys that are no UTF-8, see StringKeyCodec.bytesKey): any byte sequence is a key, the empty one and
 * those no String encodes included; every form agrees with the ByteString form on hits and near misses;
 * a ByteBuffer is read between its position and limit and left as it was; ByteString compares by
 * content, as asMap's keys must.
 */
class BytesKeysTest {

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(4) == 0 ? 0xFF : r.nextInt(3));
        return b;
    }

    private static int randomLength(SplittableRandom r) {
        int s = r.nextInt(16);
        return s == 0 ? 0 : s < 10 ? r.nextInt(1, 40) : s < 15 ? r.nextInt(40, 300) : r.nextInt(2000, 5000);
    }

    /** The value of b through each of the forms, in turn; each must agree with get(ByteString). */
    private static void assertEveryFormFinds(BytesLongMap m, byte[] b, long expected, Arena arena, String ctx) {
        assertEquals(expected, m.get(ByteString.copyOf(b)), ctx + ": get(ByteString)");
        assertEquals(expected, m.get(b), ctx + ": get(byte[])");
        byte[] padded = new byte[b.length + 7];
        System.arraycopy(b, 0, padded, 3, b.length);
        assertEquals(expected, m.get(padded, 3, b.length), ctx + ": get(byte[], offset, length)");
        assertEquals(expected, m.get(MemorySegment.ofArray(padded).asSlice(3, b.length)), ctx + ": heap segment");
        MemorySegment nat = arena.allocate(b.length + 1L).asSlice(1);
        MemorySegment.copy(b, 0, nat, ValueLayout.JAVA_BYTE, 0, b.length);
        assertEquals(expected, m.get(nat), ctx + ": native segment");
        ByteBuffer heap = ByteBuffer.wrap(padded, 3, b.length);
        assertEquals(expected, m.get(heap), ctx + ": heap buffer");
        assertEquals(3, heap.position(), ctx + ": the buffer's position does not move");
        assertEquals(expected, m.get(heap.asReadOnlyBuffer()), ctx + ": read-only buffer");
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length + 2).position(2);
        direct.put(b).position(2);
        assertEquals(expected, m.get(direct), ctx + ": direct buffer");
        assertEquals(2, direct.position(), ctx);
        Bytes<?> store = Bytes.allocateElasticDirect(b.length + 5L);
        try {
            store.write(padded, 0, b.length + 5);
            assertEquals(expected, m.getAt(store.bytesStore(), 3, b.length), ctx + ": BytesStore");
        } finally {
            store.releaseLast();
        }
    }

    @Test
    void anyBytesAreAKeyAndEveryFormAgrees() {
        SplittableRandom r = new SplittableRandom(0xB17E5);
        try (Arena arena = Arena.ofConfined(); BytesLongMap m = BytesLongMap.builder().missingValue(-1).build()) {
            Map<ByteString, Long> ref = new HashMap<>();
            List<byte[]> keys = new ArrayList<>(List.of(new byte[0], new byte[] {0}, new byte[] {(byte) 0xFF},
                    new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
            for (int i = 0; i < 3000; i++) keys.add(randomBytes(r, randomLength(r)));
            for (int i = 0; i < keys.size(); i++) {
                byte[] k = keys.get(i);
                Long prev = ref.put(ByteString.copyOf(k), (long) i);
                // each insert by a different form: none checks an encoding
                long got = switch (i % 5) {
                    case 0 -> m.put(k, i);
                    case 1 -> m.put(ByteString.copyOf(k), i);
                    case 2 -> m.put(ByteBuffer.wrap(k), i);
                    case 3 -> m.put(MemorySegment.ofArray(k), i);
                    default -> m.put(k, 0, k.length, i);
                };
                assertEquals(prev == null ? -1 : prev, got, "put #" + i);
            }
            assertEquals(ref.size(), m.size());
            int checked = 0;
            for (byte[] k : keys) {
                if (checked++ % 7 != 0) continue;
                ByteString bs = ByteString.copyOf(k);
                assertEveryFormFinds(m, k, ref.get(bs), arena, bs.toString());
                // near misses: one byte longer, shorter, changed
                byte[] longer = java.util.Arrays.copyOf(k, k.length + 1);
                assertEveryFormFinds(m, longer, ref.getOrDefault(ByteString.copyOf(longer), -1L), arena, "longer " + bs);
                if (k.length > 0) {
                    byte[] shorter = java.util.Arrays.copyOf(k, k.length - 1);
                    assertEveryFormFinds(m, shorter, ref.getOrDefault(ByteString.copyOf(shorter), -1L), arena, "shorter " + bs);
                    byte[] changed = k.clone();
                    changed[r.nextInt(k.length)] ^= (byte) (1 << r.nextInt(8));
                    assertEveryFormFinds(m, changed, ref.getOrDefault(ByteString.copyOf(changed), -1L), arena, "changed " + bs);
                }
            }
            // Every key reads back as the bytes it was put as, by key(), keyBytes() and copyKey().
            Map<ByteString, Long> seen = new HashMap<>();
            BytesLongCursor c = m.cursor();
            byte[] buf = new byte[16];
            while (c.next()) {
                ByteString k = c.key();
                int n = c.copyKey(buf, 0);
                if (n > buf.length) {
                    assertEquals(n, c.copyKey(buf = new byte[n], 0));
                }
                assertArrayEquals(k.toByteArray(), java.util.Arrays.copyOf(buf, n));
                assertArrayEquals(k.toByteArray(), c.keyBytes().toArray(ValueLayout.JAVA_BYTE));
                seen.put(k, c.value());
            }
            assertEquals(ref, seen);
            assertEquals(ref, new HashMap<>(m.asMap()), "asMap() has the same entries, keyed by content");
        }
    }

    @Test
    void theEmptyKeyIsAKeyLikeAnyOther() {
        try (BytesSet s = BytesSet.create()) {
            assertFalse(s.contains(new byte[0]));
            assertTrue(s.add(ByteString.EMPTY));
            assertFalse(s.add(new byte[5], 2, 0), "an empty range is the empty key");
            assertTrue(s.contains(ByteBuffer.allocate(3).position(3)));
            assertTrue(s.contains(MemorySegment.ofArray(new byte[4]).asSlice(4)));
            assertTrue(s.asSet().contains(ByteString.copyOf(new byte[0])));
            assertTrue(s.remove(new byte[0]));
            assertEquals(0, s.size());
        }
    }

    @Test
    void aKeyWrittenThroughTheCallersArrayAfterThePutDoesNotChange() {
        try (BytesIntMap m = BytesIntMap.create()) {
            byte[] k = {1, 2, 3};
            m.put(k, 7);
            k[0] = 9;
            assertEquals(0, m.get(k));
            assertEquals(7, m.get(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void badArgumentsThrowAndChangeNothing() {
        try (BytesDoubleMap m = BytesDoubleMap.create()) {
            m.put(new byte[] {1}, 1.0);
            assertThrows(NullPointerException.class, () -> m.put((byte[]) null, 2.0));
            assertThrows(NullPointerException.class, () -> m.put((ByteString) null, 2.0));
            assertThrows(NullPointerException.class, () -> m.put((ByteBuffer) null, 2.0));
            assertThrows(NullPointerException.class, () -> m.get((ByteBuffer) null));
            assertThrows(IndexOutOfBoundsException.class, () -> m.put(new byte[2], 1, 2, 2.0));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(new byte[2], -1, 1));
            assertEquals(1, m.size());
            BytesDoubleCursor c = m.cursor();
            assertTrue(c.next());
            assertThrows(IndexOutOfBoundsException.class, () -> c.copyKey(new byte[2], 3));
            assertThrows(UnsupportedOperationException.class, () -> c.copyKey(MemorySegment.ofArray(new byte[4]).asReadOnly()));
            Arena closed = Arena.ofConfined();
            MemorySegment dst = closed.allocate(4);
            closed.close();
            assertThrows(IllegalStateException.class, () -> c.copyKey(dst));
            assertEquals(1, c.copyKey(new byte[1], 0));
        }
    }

    @Test
    void byteStringsCompareByContent() {
        byte[] a = {1, (byte) 0x80, 3};
        ByteString x = ByteString.copyOf(a), y = ByteString.copyOf(new byte[] {9, 1, (byte) 0x80, 3, 9}, 1, 3);
        assertEquals(x, y);
        assertEquals(x.hashCode(), y.hashCode());
        a[0] = 2;
        assertEquals(y, x, "copyOf copies: changing the source changes nothing");
        assertNotEquals(x, ByteString.copyOf(new byte[] {1, (byte) 0x80}));
        assertEquals(y, ByteString.copyOf(MemorySegment.ofArray(new byte[] {1, (byte) 0x80, 3})));
        assertEquals(y, ByteString.copyOf(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0x80, 3}).position(1)));
        byte[] out = x.toByteArray();
        out[0] = 7;
        assertEquals(1, x.byteAt(0), "toByteArray returns a copy");
        assertThrows(IndexOutOfBoundsException.class, () -> x.byteAt(3));
        assertThrows(IndexOutOfBoundsException.class, () -> x.copyTo(new byte[3], 1));
        assertTrue(x.asReadOnlyBuffer().isReadOnly());
        assertTrue(x.asSegment().isReadOnly());
        // Go's string order: unsigned bytes, a prefix first
        TreeSet<ByteString> sorted = new TreeSet<>(List.of(ByteString.copyOf(new byte[] {(byte) 0xFF}),
                ByteString.copyOf(new byte[] {1}), ByteString.EMPTY, ByteString.copyOf(new byte[] {1, 0})));
        assertEquals("[\"\", \"\\x01\", \"\\x01\\x00\", \"\\xff\"]", sorted.toString());
        assertEquals("\"a\\\"b\"", ByteString.ofUtf8("a\"b").toString());
        assertTrue(ByteString.copyOf(new byte[100]).toString().endsWith("...(100 bytes)"));
        assertEquals("h\u00E9", ByteString.ofUtf8("h\u00E9").toUtf8String());
        Set<Object> set = new HashSet<>(List.of(x));
        assertFalse(set.contains(x.toByteArray()), "a byte[] is no ByteString");
    }
}
