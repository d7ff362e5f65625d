// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Writes (put, putIfAbsent, addTo; add for sets) by chars, segment, byte range and Chronicle BytesStore:
 * against HashMap, each form does what the String form does; bytes that are not a string's encoding are
 * refused before anything changes; and a key view taken from the map itself can be inserted while the
 * insert grows the map.
 */
class StringPutFlavoursTest {

    enum Flavour { STRING, CHARS, SEGMENT, BYTES, CHRONICLE }

    private static final String[] SPECIAL = {"", "\0", "a", "EURUSD", "héllo", "😀", "\uD800", "\uDC00x\uD800",
            "x".repeat(33), "k".repeat(3000)};

    private static String randomKey(SplittableRandom r) {
        int n = r.nextInt(40);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(10) == 0 ? (char) r.nextInt(0x10000) : (char) ('a' + r.nextInt(6)));
        }
        return sb.toString();
    }

    private static byte[] wtf8(String s) {
        return StringKeyCodec.wtf8(s);
    }

    enum Op { PUT, PUT_IF_ABSENT, ADD_TO }

    /** One write of key k in form f. */
    private static long write(StringLongMap m, Op op, String k, long v, Flavour f, Arena arena, Bytes<?> chronicle) {
        byte[] b = wtf8(k);
        return switch (f) {
            case STRING -> switch (op) {
                case PUT -> m.put(k, v);
                case PUT_IF_ABSENT -> m.putIfAbsent(k, v);
                case ADD_TO -> m.addTo(k, v);
            };
            case CHARS -> {
                CharBuffer cb = CharBuffer.wrap("<" + k + ">", 1, k.length() + 1);
                yield switch (op) {
                    case PUT -> m.put(cb, v);
                    case PUT_IF_ABSENT -> m.putIfAbsent(cb, v);
                    case ADD_TO -> m.addTo(cb, v);
                };
            }
            case SEGMENT -> {
                MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_BYTE, b);
                yield switch (op) {
                    case PUT -> m.put(seg, v);
                    case PUT_IF_ABSENT -> m.putIfAbsent(seg, v);
                    case ADD_TO -> m.addTo(seg, v);
                };
            }
            case BYTES -> {
                byte[] padded = new byte[b.length + 5];
                System.arraycopy(b, 0, padded, 2, b.length);
                yield switch (op) {
                    case PUT -> m.put(padded, 2, b.length, v);
                    case PUT_IF_ABSENT -> m.putIfAbsent(padded, 2, b.length, v);
                    case ADD_TO -> m.addTo(padded, 2, b.length, v);
                };
            }
            case CHRONICLE -> {
                chronicle.clear();
                chronicle.write("pre");
                chronicle.write(b);
                yield switch (op) {
                    case PUT -> m.putAt(chronicle.bytesStore(), 3, b.length, v);
                    case PUT_IF_ABSENT -> m.putIfAbsentAt(chronicle.bytesStore(), 3, b.length, v);
                    case ADD_TO -> m.addToAt(chronicle.bytesStore(), 3, b.length, v);
                };
            }
        };
    }

    private static boolean add(StringSet s, String k, Flavour f, Arena arena, Bytes<?> chronicle) {
        byte[] b = wtf8(k);
        return switch (f) {
            case STRING -> s.add(k);
            case CHARS -> s.add(new StringBuilder(k));
            case SEGMENT -> s.add(arena.allocateFrom(ValueLayout.JAVA_BYTE, b));
            case BYTES -> s.add(b, 0, b.length);
            case CHRONICLE -> {
                chronicle.clear();
                chronicle.write(b);
                yield s.addAt(chronicle.bytesStore(), 0, b.length);
            }
        };
    }

    @Test
    void everyFormWritesWhatTheStringFormWrites() {
        SplittableRandom r = new SplittableRandom(31);
        Bytes<?> chronicle = Bytes.allocateElasticDirect(64);
        try (Arena arena = Arena.ofConfined(); StringLongMap m = StringLongMap.builder().seed(5).build();
             StringSet s = StringSet.create()) {
            Map<String, Long> ref = new HashMap<>();
            Set<String> refSet = new HashSet<>();
            List<String> keys = new ArrayList<>(List.of(SPECIAL));
            for (int i = 0; i < 3000; i++) keys.add(randomKey(r));
            for (int op = 0; op < 40_000; op++) {
                String k = keys.get(r.nextInt(keys.size()));
                Flavour f = Flavour.values()[r.nextInt(Flavour.values().length)];
                long v = r.nextLong();
                Op w = Op.values()[r.nextInt(Op.values().length)];
                Long prev = switch (w) {
                    case PUT -> ref.put(k, v);
                    case PUT_IF_ABSENT -> ref.putIfAbsent(k, v);
                    case ADD_TO -> ref.put(k, (ref.containsKey(k) ? ref.get(k) : m.missingValue()) + v);
                };
                assertEquals(prev == null ? m.missingValue() : prev, write(m, w, k, v, f, arena, chronicle),
                        () -> f + " " + w + " of " + k);
                assertEquals(refSet.add(k), add(s, k, f, arena, chronicle), () -> f + " add of " + k);
                if (r.nextInt(4) == 0) {
                    String g = keys.get(r.nextInt(keys.size()));
                    Long removed = ref.remove(g);
                    assertEquals(removed == null ? m.missingValue() : removed, m.remove(g), g);
                    assertEquals(refSet.remove(g), s.remove(g), g);
                }
            }
            assertEquals(ref.size(), m.size());
            assertEquals(refSet.size(), s.size());
            Map<String, Long> back = new HashMap<>();
            m.forEach((k, v) -> back.put(k, v));
            assertEquals(ref, back, "every key reads back as the String it was put as");
            Set<String> backSet = new HashSet<>();
            s.forEach(backSet::add);
            assertEquals(refSet, backSet);
            ((dev.hmap.internal.MapCore) (Object) m).checkInvariants();
        } finally {
            chronicle.releaseLast();
        }
    }

    @Test
    void bytesThatAreNotAStringsEncodingAreRefusedAndChangeNothing() {
        int[][] bad = {{0xC0, 0x80}, {0x80}, {0xE2, 0x82}, {0xE0, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80},
                {0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80}, {'a', 0xFF, 'b'}};
        Bytes<?> chronicle = Bytes.allocateElasticDirect(16);
        try (Arena arena = Arena.ofConfined(); StringLongMap m = StringLongMap.create(); StringSet s = StringSet.create()) {
            for (int i = 0; i < 100; i++) {
                m.put("k" + i, i);
                s.add("k" + i);
            }
            long before = m.stats().offHeapBytes();
            for (int[] v : bad) {
                byte[] b = new byte[v.length];
                for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
                MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_BYTE, b);
                chronicle.clear();
                chronicle.write(b);
                List<Runnable> calls = List.of(() -> m.put(b, 0, b.length, 1), () -> m.put(seg, 1),
                        () -> m.putIfAbsent(b, 0, b.length, 1), () -> m.addTo(seg, 1), () -> m.addToAt(chronicle.bytesStore(), 0, b.length, 1),
                        () -> m.putAt(chronicle.bytesStore(), 0, b.length, 1), () -> s.add(b, 0, b.length), () -> s.add(seg),
                        () -> s.addAt(chronicle.bytesStore(), 0, b.length));
                for (Runnable c : calls) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::run);
                    assertTrue(e.getMessage().contains("encoding"), e.getMessage());
                }
            }
            assertEquals(100, m.size());
            assertEquals(100, s.size());
            assertEquals(before, m.stats().offHeapBytes(), "no key bytes were kept");
            m.put("k0", 7); // the map is still writable: nothing was poisoned
            assertEquals(7, m.get("k0"));
            // WTF-8 that is not UTF-8, a lone surrogate, is a string's encoding: accepted, read back as that string.
            byte[] lone = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
            m.put(lone, 0, 3, 9);
            assertEquals(9, m.get("\uD800"));
        } finally {
            chronicle.releaseLast();
        }
    }

    @Test
    void aKeyViewOfTheMapItselfCanBeInsertedWhileTheMapGrows() {
        try (StringLongMap m = StringLongMap.builder().seed(3).build()) {
            Map<String, Long> ref = new HashMap<>();
            int growthsDuringWalks = 0;
            for (int round = 0; round < 12; round++) {
                for (int i = 0; i < 1000; i++) {
                    String k = "key-" + round + "-" + i + "-0123456789";
                    m.put(k, i);
                    ref.put(k, (long) i);
                }
                // Insert, by a view of the map's own memory, the prefix one byte shorter of the keys the cursor
                // walks: most are new, so the map grows under the views.
                StringLongCursor c = m.cursor();
                for (int steps = 0; steps < 3000 && c.next(); steps++) {
                    MemorySegment view = c.keyBytes();
                    if (view.byteSize() == 0) continue;
                    String p = c.key().substring(0, c.key().length() - 1);
                    int b = m.stats().B();
                    long prev = m.put(view.asSlice(0, view.byteSize() - 1), round);
                    if (m.stats().B() != b) growthsDuringWalks++;
                    Long refPrev = ref.put(p, (long) round);
                    assertEquals(refPrev == null ? m.missingValue() : refPrev, prev, p);
                }
            }
            assertTrue(growthsDuringWalks > 0, "no insert from a view grew the map");
            Map<String, Long> back = new HashMap<>();
            m.forEach((k, v) -> back.put(k, v));
            assertEquals(ref, back);
            ((dev.hmap.internal.MapCore) (Object) m).checkInvariants();
        }
    }
}
