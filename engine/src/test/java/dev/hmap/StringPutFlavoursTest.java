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
 * Inserts by chars, segment, byte range and Chronicle BytesStore: against HashMap, each flavour does what
 * put(String) does; bytes that are not a string's encoding are refused before anything changes; and a key
 * view taken from the map itself can be inserted while the insert grows the map.
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

    private static long put(StringLongMap m, String k, long v, Flavour f, Arena arena, Bytes<?> chronicle) {
        byte[] b = wtf8(k);
        return switch (f) {
            case STRING -> m.put(k, v);
            case CHARS -> m.put(CharBuffer.wrap("<" + k + ">", 1, k.length() + 1), v);
            case SEGMENT -> m.put(arena.allocateFrom(ValueLayout.JAVA_BYTE, b), v);
            case BYTES -> {
                byte[] padded = new byte[b.length + 5];
                System.arraycopy(b, 0, padded, 2, b.length);
                yield m.put(padded, 2, b.length, v);
            }
            case CHRONICLE -> {
                chronicle.clear();
                chronicle.write("pre");
                chronicle.write(b);
                yield m.putAt(chronicle.bytesStore(), 3, b.length, v);
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
    void everyFlavourPutsWhatPutStringPuts() {
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
                Long prev = ref.put(k, v);
                assertEquals(prev == null ? m.missingValue() : prev, put(m, k, v, f, arena, chronicle), () -> f + " put of " + k);
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
            m.put("seed-key-0123456789", 1);
            ref.put("seed-key-0123456789", 1L);
            for (int round = 0; round < 12; round++) {
                // Each round inserts every key's prefix one byte shorter, read from the map's own memory.
                List<String> done = new ArrayList<>();
                for (StringLongCursor c = m.cursor(); c.next(); ) done.add(c.key());
                for (String k : done) {
                    for (int i = 0; i < 40; i++) {
                        String nk = k + "/" + round + "." + i;
                        m.put(nk, nk.length());
                        ref.put(nk, (long) nk.length());
                    }
                }
                StringLongCursor c = m.cursor();
                for (int steps = 0; steps < 50 && c.next(); steps++) {
                    MemorySegment view = c.keyBytes();
                    if (view.byteSize() == 0) continue;
                    String p = c.key().substring(0, c.key().length() - 1);
                    long prev = m.put(view.asSlice(0, view.byteSize() - 1), round); // may grow the map under the view
                    Long refPrev = ref.put(p, (long) round);
                    assertEquals(refPrev == null ? m.missingValue() : refPrev, prev, p);
                }
                if (m.size() > 200_000) break;
            }
            Map<String, Long> back = new HashMap<>();
            m.forEach((k, v) -> back.put(k, v));
            assertEquals(ref, back);
        }
    }
}
