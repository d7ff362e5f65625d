// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.StringKeys.assertHolds;
import static dev.hmap.StringKeys.d;
import static dev.hmap.StringKeys.lookup;
import static dev.hmap.StringKeys.put;
import static dev.hmap.StringKeys.randomLength;
import static dev.hmap.StringKeys.randomString;
import static dev.hmap.StringKeys.wellFormed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@link KeyForm} does what the String form does: lookups agree with get(String) on hits and near
 * misses (prefixes, extensions, one char changed), also for short ASCII keys hashed straight from their
 * chars; writes (put, putIfAbsent, addTo; add for sets) agree with HashMap; a key's own keyBytes() view,
 * and zero-length probes, are looked up like any other; a key view of the map itself can be inserted
 * while the insert grows the map; a CharSequence is read at call time.
 */
class KeyFormsTest {

    /**
     * keyBytes() is s.getBytes(UTF_8) for well-formed keys; each form, given UTF-8 bytes or chars, agrees
     * with get(String) on hits and on misses (absent keys, prefixes, extensions, one byte changed).
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void everyLookupFormAgreesWithGetString(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xF1A7);
        String ctx = ConformanceSuite.ctx(impl, seed, "lookup forms");
        for (int size : new int[] {5, 2000}) { // B == 0, a few growths
            try (Arena arena = Arena.ofConfined(); MapUnderTest m = StringKeys.open(impl, 0, builderSeed(seed))) {
                List<String> present = new ArrayList<>();
                while (present.size() < size) {
                    String s = r.nextInt(4) == 0 ? StringKeyCodec.encode(r.nextLong()) : randomString(r, randomLength(r));
                    if (!wellFormed(s)) s = new String(s.getBytes(UTF_8), UTF_8); // UTF-8 well-formed
                    if (put(m, s, present.size()) == null) present.add(s);
                }
                Set<String> presentSet = new HashSet<>(present);
                List<String> probes = new ArrayList<>();
                for (int i = 0; i < Math.min(size, 400); i++) { // hits and near misses
                    String s = present.get(r.nextInt(size));
                    probes.add(s);
                    probes.add(s + "\0");
                    if (!s.isEmpty()) {
                        probes.add(r.nextBoolean() ? s.substring(0, s.length() - 1) : s.substring(1));
                        char[] c = s.toCharArray();
                        c[c.length / 2] ^= 1;
                        probes.add(new String(c));
                    }
                }
                int salt = 0;
                for (String p : probes) {
                    if (!wellFormed(p)) continue;
                    Key k = new Key(p, p.getBytes(UTF_8), salt++);
                    Long expected = lookup(m, k, KeyForm.STRING);
                    assertEquals(presentSet.contains(p), expected != null, ctx + ": get(String) of " + d(p));
                    for (KeyForm f : impl.forms()) {
                        assertEquals(expected, lookup(m, k, f), ctx + " size=" + size + ": " + f + " lookup of " + d(p));
                    }
                }
                Cur c = m.cursor();
                while (c.next()) {
                    String k = c.keyString();
                    assertArrayEquals(k.getBytes(UTF_8), c.keyBytes().toArray(ValueLayout.JAVA_BYTE), ctx + ": keyBytes of " + d(k));
                    if (!impl.isSet()) assertEquals(Long.valueOf(c.value()), lookup(m, new Key(k), KeyForm.STRING), ctx);
                }
                lookupByKeyBytesView(m, ctx);
                // zero-length probes: "" absent, then present
                assertEquals(presentSet.contains(""), lookupEmpty(m, arena, ctx), ctx + ": empty probes");
                put(m, "", 7);
                assertTrue(lookupEmpty(m, arena, ctx), ctx + ": empty probes after put(\"\")");
            }
        }
    }

    /** Every entry is found by its own keyBytes() segment (read-only, inside the map's memory). */
    private static void lookupByKeyBytesView(MapUnderTest m, String ctx) {
        Cur c = m.cursor();
        while (c.next()) {
            Long v = lookup(m, new Key(c.keyString(), c.keyBytes()), KeyForm.NATIVE_SEGMENT);
            if (v == null || !m.isSet() && v != c.value()) fail(ctx + ": lookup by the cursor's keyBytes() of " + d(c.keyString()));
        }
    }

    /**
     * Whether "" is found, by get(""); and every form agrees, with the empty key at the end of its memory:
     * a zero-length range at the end of an array, an empty slice at the end of a heap or a native segment.
     */
    private static boolean lookupEmpty(MapUnderTest m, Arena arena, String ctx) {
        boolean byString = lookup(m, new Key(""), KeyForm.STRING) != null;
        List<Key> empties = List.of(new Key("", new byte[0], 3), // offset 3 of a 3-byte array
                new Key("", MemorySegment.ofArray(new byte[3]).asSlice(3)), new Key("", arena.allocate(1).asSlice(1)));
        for (Key k : empties) {
            for (KeyForm f : m.impl().forms()) {
                assertEquals(byString, lookup(m, k, f) != null, ctx + ": zero-length probes by " + f + " agree with get(\"\")");
            }
        }
        return byString;
    }

    /**
     * ASCII keys of up to 32 chars are hashed and compared as words packed straight from their chars, not
     * encoded first: keys of every length across the 4-, 8-, 16- and 32-byte boundaries (NUL and DEL
     * included), in a map past one bucket, are found by every form, and a probe that differs from a
     * present key in any one char (another ASCII char, or a non-ASCII one), or by one char of length, is not.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void shortAsciiKeysDifferingInAnyOneCharAreDistinct(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xA5C11L);
        String ctx = ConformanceSuite.ctx(impl, seed, "short ASCII keys");
        try (MapUnderTest m = StringKeys.open(impl, 0, builderSeed(seed))) {
            Set<String> present = new HashSet<>();
            List<String> keys = new ArrayList<>();
            for (int len = 0; len <= 40; len++) {
                for (int rep = 0; rep < 3; rep++) {
                    StringBuilder sb = new StringBuilder(len);
                    for (int i = 0; i < len; i++) sb.append((char) r.nextInt(0x80));
                    String s = sb.toString();
                    if (present.add(s)) {
                        put(m, s, present.size());
                        keys.add(s);
                    }
                    if (len > 0) { // the same length with one non-ASCII char: stored beside the ASCII keys
                        sb.setCharAt(r.nextInt(len), "\u00E9\u20AC\uD800".charAt(r.nextInt(3)));
                        if (present.add(sb.toString())) put(m, sb.toString(), present.size());
                    }
                }
            }
            int salt = 0;
            for (String s : keys) {
                List<String> probes = new ArrayList<>(List.of(s, s + (char) r.nextInt(0x80)));
                if (!s.isEmpty()) probes.add(s.substring(0, s.length() - 1));
                for (int p = 0; p < s.length(); p++) {
                    char[] c = s.toCharArray();
                    c[p] = (char) ((c[p] + 1 + r.nextInt(0x7F)) & 0x7F); // any other ASCII char
                    probes.add(new String(c));
                    c[p] = '\u00E9';
                    probes.add(new String(c));
                }
                for (String p : probes) {
                    Key k = new Key(p, salt++);
                    Long expected = lookup(m, k, KeyForm.STRING);
                    assertEquals(present.contains(p), expected != null, ctx + ": get(String) of " + d(p));
                    for (KeyForm f : impl.forms()) {
                        assertEquals(expected, lookup(m, k, f), ctx + ": " + f + " lookup of " + d(p));
                    }
                }
            }
        }
    }

    private static final String[] SPECIAL = {"", "\0", "a", "EURUSD", "h\u00E9llo", "\uD83D\uDE00", "\uD800", "\uDC00x\uD800",
        "x".repeat(33), "k".repeat(3000)};

    private static String randomKey(SplittableRandom r) {
        int n = r.nextInt(40);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(10) == 0 ? (char) r.nextInt(0x10000) : (char) ('a' + r.nextInt(6)));
        }
        return sb.toString();
    }

    /**
     * Writes (put, putIfAbsent, addTo; add for sets) by a random form, against HashMap: each returns what
     * the String form would, and every key reads back as the String it was put as. Removes by String.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void everyFormWritesWhatTheStringFormWrites(Impl impl) {
        SplittableRandom r = new SplittableRandom(31);
        List<MapImpls.Op> writes = !impl.wordValues() ? List.of(MapImpls.Op.PUT)
                : List.of(MapImpls.Op.PUT, MapImpls.Op.PUT_IF_ABSENT, MapImpls.Op.ADD_TO);
        try (MapUnderTest m = StringKeys.open(impl, 0, 5)) {
            long missing = m.missingValue();
            Map<String, Long> ref = new HashMap<>();
            List<String> keys = new ArrayList<>(List.of(SPECIAL));
            for (int i = 0; i < 3000; i++) keys.add(randomKey(r));
            for (int op = 0; op < 40_000; op++) {
                String k = keys.get(r.nextInt(keys.size()));
                KeyForm f = impl.forms().get(r.nextInt(impl.forms().size()));
                long v = impl.randomValue(r);
                MapImpls.Op w = writes.get(r.nextInt(writes.size()));
                Long prev = switch (w) {
                    case PUT -> ref.put(k, v);
                    case PUT_IF_ABSENT -> ref.putIfAbsent(k, v);
                    default -> ref.put(k, impl.sum(ref.getOrDefault(k, missing), v));
                };
                assertEquals(prev, StringKeys.write(m, w, new Key(k, op), f, v), () -> f + " " + w + " of " + d(k));
                if (r.nextInt(4) == 0) {
                    String g = keys.get(r.nextInt(keys.size()));
                    assertEquals(ref.remove(g), StringKeys.remove(m, new Key(g), KeyForm.STRING), d(g));
                }
            }
            assertHolds(m, ref, () -> impl + ": every key reads back as the String it was put as");
        }
    }

    /**
     * Inserts, by a view of the map's own memory, keys that the insert makes the map grow past. (One map and
     * the set: where a key's bytes come from is the same for every value type.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.StringKeys#mapAndSet")
    void aKeyViewOfTheMapItselfCanBeInsertedWhileTheMapGrows(Impl impl) {
        try (MapUnderTest m = StringKeys.open(impl, 0, 3)) {
            Map<String, Long> ref = new HashMap<>();
            int growthsDuringWalks = 0;
            for (int round = 0; round < 12; round++) {
                for (int i = 0; i < 1000; i++) {
                    String k = "key-" + round + "-" + i + "-0123456789";
                    put(m, k, i);
                    ref.put(k, impl.value(i));
                }
                // Insert, by a view of the map's own memory, the prefix one byte shorter of the keys the cursor
                // walks: most are new, so the map grows under the views.
                Cur c = m.cursor();
                for (int steps = 0; steps < 3000 && c.next(); steps++) {
                    MemorySegment view = c.keyBytes();
                    if (view.byteSize() == 0) continue;
                    String p = c.keyString().substring(0, c.keyString().length() - 1);
                    int b = m.stats().B();
                    Long prev = StringKeys.put(m, new Key(p, view.asSlice(0, view.byteSize() - 1)), KeyForm.NATIVE_SEGMENT, round);
                    if (m.stats().B() != b) growthsDuringWalks++;
                    assertEquals(ref.put(p, impl.value(round)), prev, d(p));
                }
            }
            assertTrue(growthsDuringWalks > 0, "no insert from a view grew the map");
            assertHolds(m, ref, () -> impl + ": after inserts from views");
        }
    }

    /** Lookups must also work from a CharBuffer window and a StringBuilder that changes between calls. */
    @Test
    void charSequenceProbesAreReadAtCallTime() {
        try (StringLongMap m = StringLongMap.create()) {
            m.put("key-1", 1);
            m.put("key-2", 2);
            StringBuilder sb = new StringBuilder("key-1");
            assertEquals(1, m.get(sb));
            sb.setCharAt(4, '2');
            assertEquals(2, m.get(sb));
            sb.append('\uD800');
            assertFalse(m.containsKey(sb));
            CharBuffer cb = CharBuffer.wrap("xxkey-2yy");
            cb.position(2).limit(7);
            assertEquals(2, m.get(cb), "a CharBuffer is read from its position to its limit");
            assertEquals(2, m.get(cb.slice()));
            assertEquals(1, m.get(StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap("key-1".getBytes(UTF_8)))));
        }
    }
}
