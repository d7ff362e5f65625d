package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.StringTargets.Cur;
import dev.hmap.StringTargets.Flavour;
import dev.hmap.StringTargets.Key;
import dev.hmap.StringTargets.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.StringKeys.affixed;
import static dev.hmap.StringKeys.d;
import static dev.hmap.StringKeys.randomLength;
import static dev.hmap.StringKeys.randomString;
import static dev.hmap.StringKeys.specialStrings;
import static dev.hmap.StringKeys.wellFormed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * String keys end to end, over StringIntMap, StringLongMap, StringDoubleMap and StringSet:
 * <ul>
 *   <li>lossless round trip of any UTF-16 string (lone and reversed surrogates, NUL, emoji, empty, 1 MiB)
 *       through put and cursor key()/appendKey/keyBytes/keyLength and forEach; distinct strings stay
 *       distinct keys;</li>
 *   <li>keyBytes() is the UTF-8 of well-formed keys, and every lookup flavour (String, StringBuilder,
 *       CharBuffer, byte[] range, heap and native MemorySegment) agrees with get(String), hits and misses;</li>
 *   <li>Go's one-bucket faststr lookup (B == 0): short keys, equal lengths, long keys sharing their first
 *       and last 4 bytes (one candidate, two candidates: the hashing fallback), the empty string;</li>
 *   <li>bad input: null keys, byte ranges out of bounds, segments of a closed arena (map unchanged);</li>
 *   <li>memory: offHeapBytes comes back after clear(), and stays bounded under a steady-size churn.</li>
 * </ul>
 * Seeds: ConformanceSuite's (3 fixed + 1 random per run, printed; {@code -Dhmap.test.seed=N} replays).
 * {@code -Dhmap.test.long=true} makes the churn 10M steps and the random runs longer. Engine bugs found
 * while writing this suite are fixed; their tests stay in {@link FormerBugs}.
 */
class StringKeysTest {

    static final boolean LONG = ConformanceSuite.LONG;

    static Stream<Impl> impls() {
        return MapImpls.STRINGS.stream();
    }

    // ------------------------------------------------------------------ checks

    /**
     * Asserts the target holds exactly ref (sets: values ignored): size, a lookup of every key by a
     * rotating flavour, one cursor walk (key, appendKey, keyBytes, keyLength, value) and one forEach.
     */
    static void assertHolds(Target t, Map<String, Long> ref, Arena arena, Supplier<String> ctx) {
        assertEquals(ref.size(), t.size(), () -> ctx.get() + ": size");
        int i = 0;
        for (Map.Entry<String, Long> e : ref.entrySet()) {
            Flavour f = StringTargets.FLAVOURS[i++ % StringTargets.FLAVOURS.length];
            Long v = t.get(new Key(e.getKey(), arena), f);
            if (v == null) fail(ctx.get() + ": key " + d(e.getKey()) + " not found by " + f);
            if (!t.impl().isSet()) assertEquals(e.getValue(), v, () -> ctx.get() + ": value of " + d(e.getKey()) + " by " + f);
        }
        Set<String> seen = new HashSet<>();
        Cur c = t.cursor();
        while (c.next()) {
            String k = c.key();
            if (!seen.add(k)) fail(ctx.get() + ": cursor visited " + d(k) + " twice");
            Long v = ref.get(k);
            if (v == null) fail(ctx.get() + ": cursor returned " + d(k) + ", which was never put (lossy key?)");
            if (!t.impl().isSet()) assertEquals(v.longValue(), c.value(), () -> ctx.get() + ": cursor value of " + d(k));
            StringBuilder sb = new StringBuilder("[");
            c.appendKey(sb);
            assertEquals("[" + k, sb.toString(), () -> ctx.get() + ": appendKey of " + d(k));
            byte[] expected = StringKeyCodec.wtf8(k);
            assertEquals(expected.length, c.keyLength(), () -> ctx.get() + ": keyLength of " + d(k));
            MemorySegment kb = c.keyBytes();
            assertTrue(kb.isReadOnly(), () -> ctx.get() + ": keyBytes() must be read-only");
            byte[] actual = kb.toArray(ValueLayout.JAVA_BYTE);
            if (!Arrays.equals(expected, actual)) fail(ctx.get() + ": keyBytes of " + d(k) + " are not its WTF-8");
            if (wellFormed(k) && !Arrays.equals(k.getBytes(UTF_8), actual)) {
                fail(ctx.get() + ": keyBytes of the well-formed " + d(k) + " are not its UTF-8");
            }
        }
        assertEquals(ref.keySet(), seen, () -> ctx.get() + ": cursor keys");
        Map<String, Long> each = new HashMap<>();
        t.forEach((k, v) -> {
            if (each.put(k, v) != null) fail(ctx.get() + ": forEach visited " + d(k) + " twice");
        });
        assertEquals(ref.keySet(), each.keySet(), () -> ctx.get() + ": forEach keys");
        if (!t.impl().isSet()) assertEquals(ref, each, () -> ctx.get() + ": forEach values");
        assertEquals(ref.keySet(), t.keyView(), () -> ctx.get() + ": key view");
        invariants(t, ctx);
    }

    /** MapCore.checkInvariants with the context prepended to its message. */
    static void invariants(Target t, Supplier<String> ctx) {
        try {
            t.core().checkInvariants();
        } catch (AssertionError e) {
            throw new AssertionError(ctx.get() + ": invariant violated: " + e.getMessage(), e);
        }
    }

    /**
     * No two live keys share key-heap bytes (a use-after-free of freed key bytes would show as overlap),
     * and none overlaps the header page.
     */
    static void assertKeyBytesDisjoint(Target t, Supplier<String> ctx) {
        List<long[]> ranges = new ArrayList<>();
        Cur c = t.cursor();
        while (c.next()) {
            MemorySegment kb = c.keyBytes();
            if (kb.byteSize() > 0) ranges.add(new long[] {kb.address(), kb.byteSize()});
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] p = ranges.get(i - 1), q = ranges.get(i);
            if (p[0] + p[1] > q[0]) fail(ctx.get() + ": the bytes of two live keys overlap at " + q[0]);
        }
    }

    // ------------------------------------------------------------------ the conformance key mapping

    /** The long -> String mapping the conformance suites run on is injective and hits every form. */
    @Test
    void conformanceKeyMappingIsInjectiveAndCoversEveryForm() {
        SplittableRandom r = new SplittableRandom(ConformanceSuite.RUN_SEED);
        Map<Character, Integer> forms = new TreeMap<>();
        Set<Integer> exactLengths = new HashSet<>();
        int affix = 0;
        long[] specials = {0, 1, -1, 2, 5, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32};
        for (int i = 0; i < 300_000; i++) {
            long k = i < specials.length ? specials[i] : i < 100_000 ? i - 50_000 : r.nextLong();
            String s = StringKeyCodec.encode(k);
            assertEquals(k, StringKeyCodec.decode(s), () -> "decode(encode(" + k + ")) for " + d(s));
            assertEquals(s, StringKeyCodec.encode(k), "deterministic");
            byte[] b = StringKeyCodec.wtf8(s);
            assertEquals(s, StringKeyCodec.fromWtf8(b), "reference WTF-8 round trip");
            if (wellFormed(s)) assertArrayEquals(s.getBytes(UTF_8), b, () -> "WTF-8 is UTF-8 for " + d(s));
            forms.merge(s.isEmpty() ? '_' : s.charAt(0), 1, Integer::sum);
            if (s.startsWith("#")) exactLengths.add(b.length);
            if (s.startsWith("<<<<")) {
                affix++;
                assertTrue(b.length >= 32 && s.endsWith(">>>>"), s);
            }
        }
        assertEquals(16, forms.size(), "every form appears: " + forms);
        assertEquals(Set.of(7, 8, 9, 16, 31, 32, 33), exactLengths);
        assertTrue(affix > 10_000);
        assertFalse("5".equals(StringKeyCodec.encode(5)) || "1".equals(StringKeyCodec.encode(1)),
                "ViewContractTest probes \"5\" and \"1\" as absent keys");
    }

    // ------------------------------------------------------------------ lossless round trip

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void specialStringsRoundTripAndStayDistinct(Impl impl) {
        List<String> strings = specialStrings();
        String ctx = impl + " special strings";
        try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, null)) {
            Map<String, Long> ref = new HashMap<>();
            for (int i = 0; i < strings.size(); i++) {
                long v = impl.isSet() ? 1 : 1000 + i;
                assertNull(t.put(strings.get(i), v), ctx + ": " + d(strings.get(i)) + " is a new key");
                ref.put(strings.get(i), v);
            }
            assertEquals(strings.size(), t.size(), ctx + ": " + strings.size() + " distinct strings, distinct keys");
            assertHolds(t, ref, arena, () -> ctx);
            // the encodings a lossy UTF-8 would produce find only the key that really has those bytes
            for (String s : strings) {
                Key k = Key.utf8(s, arena);
                String same = new String(s.getBytes(UTF_8), UTF_8);
                for (Flavour f : List.of(Flavour.BYTE_RANGE, Flavour.HEAP_SEGMENT, Flavour.NATIVE_SEGMENT)) {
                    assertEquals(ref.get(same), t.get(k, f), ctx + ": bytes getBytes(UTF_8) of " + d(s) + " by " + f);
                }
            }
            // remove every other one by a rotating flavour; the rest still round-trips
            for (int i = 0; i < strings.size(); i += 2) {
                Flavour f = StringTargets.FLAVOURS[i % StringTargets.FLAVOURS.length];
                assertEquals(ref.remove(strings.get(i)), t.remove(new Key(strings.get(i), arena), f),
                        ctx + ": remove " + d(strings.get(i)) + " by " + f);
            }
            assertHolds(t, ref, arena, () -> ctx + " after removals");
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void randomStringsRoundTrip(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String ctx = ConformanceSuite.ctx(impl, seed, "random UTF-16 round trip");
        try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, builderSeed(seed))) {
            Map<String, Long> ref = new HashMap<>();
            int n = LONG ? 20_000 : 4_000;
            for (int i = 0; i < n; i++) {
                String s = randomString(r, randomLength(r));
                long v = impl.isSet() ? 1 : r.nextInt(1 << 30);
                Long prev = ref.put(s, v);
                Long actual = t.put(s, v);
                if (impl.isSet() ? (prev == null) != (actual == null) : !java.util.Objects.equals(prev, actual)) {
                    fail(ctx + ": put(" + d(s) + ") returned " + actual + ", expected " + prev);
                }
            }
            assertHolds(t, ref, arena, () -> ctx);
            assertKeyBytesDisjoint(t, () -> ctx);
        }
    }

    static Stream<Impl> mapAndSet() {
        return Stream.of(MapImpls.named("StringLongMap"), MapImpls.named("StringSet"));
    }

    /**
     * 1 MiB keys: ASCII, random UTF-16, and keys differing only at the start, middle or end. (One map and
     * the set: the key code is the same template for every value type, and 1 MiB keys are slow to check.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mapAndSet")
    void oneMebibyteKeys(Impl impl) {
        SplittableRandom r = new SplittableRandom(ConformanceSuite.RUN_SEED);
        String ctx = ConformanceSuite.ctx(impl, ConformanceSuite.RUN_SEED, "1 MiB keys");
        int mib = 1 << 20;
        String ascii = "a".repeat(mib);
        String random = randomString(r, mib);
        char[] mid = ascii.toCharArray();
        mid[mib / 2] = '\uD800';
        List<String> keys = List.of(ascii, random, "b" + ascii.substring(1), ascii.substring(1) + "\0", new String(mid),
                random.substring(0, mib - 1) + "\uFFFD"); // + "short": one bucket
        try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, null)) {
            Map<String, Long> ref = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                ref.put(keys.get(i), impl.isSet() ? 1L : i);
                t.put(keys.get(i), i);
            }
            t.put("short", 99); // a B == 0 map mixing short and huge keys
            ref.put("short", impl.isSet() ? 1L : 99);
            assertEquals(0, t.stats().B(), ctx);
            assertHolds(t, ref, arena, () -> ctx);
            // near misses of a huge key: one char more, one less, one changed
            List<String> misses = List.of(ascii + "a", ascii.substring(2), "c" + ascii.substring(1));
            for (int i = 0; i < StringTargets.FLAVOURS.length; i++) {
                Flavour f = StringTargets.FLAVOURS[i];
                assertNull(t.get(new Key(misses.get(i % misses.size()), arena), f), ctx + ": miss by " + f);
            }
            for (int i = 0; i < 200; i++) t.put("filler" + i, i); // grow past B = 0 with the huge keys inside
            for (int i = 0; i < 200; i++) ref.put("filler" + i, impl.isSet() ? 1L : i);
            assertTrue(t.stats().B() > 0, ctx);
            for (int i = 0; i < keys.size(); i++) {
                Flavour f = StringTargets.FLAVOURS[i];
                assertEquals(ref.remove(keys.get(i)), t.remove(new Key(keys.get(i), arena), f), ctx + ": remove by " + f);
            }
            assertHolds(t, ref, arena, () -> ctx + " after removing the huge keys");
        }
    }

    // ------------------------------------------------------------------ bytes and flavours

    /**
     * keyBytes() is s.getBytes(UTF_8) for well-formed keys; each flavour, given UTF-8 bytes or chars,
     * agrees with get(String) on hits and on misses (absent keys, prefixes, extensions, one byte changed).
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void everyLookupFlavourAgreesWithGetString(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xF1A7);
        String ctx = ConformanceSuite.ctx(impl, seed, "lookup flavours");
        for (int size : new int[] {5, 2000}) { // B == 0, a few growths
            try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, builderSeed(seed))) {
                List<String> present = new ArrayList<>();
                while (present.size() < size) {
                    String s = r.nextInt(4) == 0 ? StringKeyCodec.encode(r.nextLong()) : randomString(r, randomLength(r));
                    if (!wellFormed(s)) s = new String(s.getBytes(UTF_8), UTF_8); // UTF-8 well-formed
                    if (t.put(s, present.size()) == null) present.add(s);
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
                for (String p : probes) {
                    if (!wellFormed(p)) continue;
                    boolean in = presentSet.contains(p);
                    Key k = Key.utf8(p, arena);
                    Long expected = t.get(k, Flavour.STRING);
                    assertEquals(in, expected != null, ctx + ": get(String) of " + d(p));
                    for (Flavour f : StringTargets.FLAVOURS) {
                        assertEquals(expected, t.get(k, f), ctx + " size=" + size + ": " + f + " lookup of " + d(p));
                    }
                }
                Cur c = t.cursor();
                while (c.next()) {
                    String k = c.key();
                    assertArrayEquals(k.getBytes(UTF_8), c.keyBytes().toArray(ValueLayout.JAVA_BYTE), ctx + ": keyBytes of " + d(k));
                    if (!impl.isSet()) assertEquals(Long.valueOf(c.value()), t.get(new Key(k, arena), Flavour.STRING), ctx);
                }
                lookupByKeyBytesView(t, ctx);
                // zero-length probes: "" absent, then present
                byte[] some = new byte[3];
                assertEquals(presentSet.contains(""), lookupEmpty(t, some, arena), ctx + ": empty probes");
                t.put("", 7);
                assertTrue(lookupEmpty(t, some, arena), ctx + ": empty probes after put(\"\")");
            }
        }
    }

    /**
     * ASCII keys of up to 32 chars are hashed and compared as words packed straight from their chars, not
     * encoded first: keys of every length across the 4-, 8-, 16- and 32-byte boundaries (NUL and DEL
     * included), in a map past one bucket, are found by every flavour, and a probe that differs from a
     * present key in any one char (another ASCII char, or a non-ASCII one), or by one char of length, is not.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void shortAsciiKeysDifferingInAnyOneCharAreDistinct(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xA5C11L);
        String ctx = ConformanceSuite.ctx(impl, seed, "short ASCII keys");
        try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, builderSeed(seed))) {
            Set<String> present = new HashSet<>();
            List<String> keys = new ArrayList<>();
            for (int len = 0; len <= 40; len++) {
                for (int rep = 0; rep < 3; rep++) {
                    StringBuilder sb = new StringBuilder(len);
                    for (int i = 0; i < len; i++) sb.append((char) r.nextInt(0x80));
                    String s = sb.toString();
                    if (present.add(s)) {
                        t.put(s, present.size());
                        keys.add(s);
                    }
                    if (len > 0) { // the same length with one non-ASCII char: stored beside the ASCII keys
                        sb.setCharAt(r.nextInt(len), "\u00E9\u20AC\uD800".charAt(r.nextInt(3)));
                        if (present.add(sb.toString())) t.put(sb.toString(), present.size());
                    }
                }
            }
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
                    Key k = new Key(p, arena);
                    Long expected = t.get(k, Flavour.STRING);
                    assertEquals(present.contains(p), expected != null, ctx + ": get(String) of " + d(p));
                    for (Flavour f : StringTargets.FLAVOURS) {
                        assertEquals(expected, t.get(k, f), ctx + ": " + f + " lookup of " + d(p));
                    }
                }
            }
        }
    }

    /** Every entry is found by its own keyBytes() segment (read-only, inside the map's memory). */
    private static void lookupByKeyBytesView(Target t, String ctx) {
        OffHeapMap raw = t.raw();
        Cur c = t.cursor();
        while (c.next()) {
            MemorySegment kb = c.keyBytes();
            boolean found = switch (raw) {
                case StringIntMap m -> m.containsKey(kb) && m.get(kb) == c.value();
                case StringLongMap m -> m.containsKey(kb) && m.get(kb) == c.value();
                case StringDoubleMap m -> m.containsKey(kb) && m.get(kb) == c.value();
                case StringSet s -> s.contains(kb);
                default -> throw new AssertionError(raw);
            };
            if (!found) fail(ctx + ": lookup by the cursor's keyBytes() of " + d(c.key()));
        }
    }

    /** Whether "" is found by a zero-length byte range at the end of an array, an empty segment and "". */
    private static boolean lookupEmpty(Target t, byte[] some, Arena arena) {
        Key k = new Key("", new byte[0], arena);
        boolean byString = t.get(k, Flavour.STRING) != null;
        OffHeapMap raw = t.raw();
        boolean[] others = switch (raw) {
            case StringIntMap m -> new boolean[] {m.containsKey(some, some.length, 0), m.containsKey(MemorySegment.ofArray(some).asSlice(3)),
                m.containsKey(arena.allocate(1).asSlice(1)), m.containsKey(new StringBuilder())};
            case StringLongMap m -> new boolean[] {m.containsKey(some, some.length, 0), m.containsKey(MemorySegment.ofArray(some).asSlice(3)),
                m.containsKey(arena.allocate(1).asSlice(1)), m.containsKey(new StringBuilder())};
            case StringDoubleMap m -> new boolean[] {m.containsKey(some, some.length, 0), m.containsKey(MemorySegment.ofArray(some).asSlice(3)),
                m.containsKey(arena.allocate(1).asSlice(1)), m.containsKey(new StringBuilder())};
            case StringSet s -> new boolean[] {s.contains(some, some.length, 0), s.contains(MemorySegment.ofArray(some).asSlice(3)),
                s.contains(arena.allocate(1).asSlice(1)), s.contains(new StringBuilder())};
            default -> throw new AssertionError(raw);
        };
        for (boolean o : others) assertEquals(byString, o, "zero-length probes agree with get(\"\")");
        return byString;
    }

    // ------------------------------------------------------------------ Go's faststr, B == 0

    /** Cases for the one-bucket path: present keys (at most 8) and probes that must miss. */
    static Stream<Arguments> bucketZeroCases() {
        Object[][] cases = {
            {"short keys of many lengths", List.of("", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "x".repeat(31), "\0"),
                List.of("b", "abcdefgj", "x".repeat(30), "\0\0", "abcdefgh\0")},
            {"equal lengths, short", List.of("aaaaa", "aaaab", "aaaba", "abaaa", "baaaa", "\0aaaa", "aaaa\0", "\u00E9aaa"),
                List.of("aaaac", "caaaa", "\0\0aaa", "aaa\u00E9")},
            {"equal lengths, 31 bytes", List.of("#".repeat(31), "#".repeat(30) + "$", "$" + "#".repeat(30), "#".repeat(15) + "$" + "#".repeat(15)),
                List.of("#".repeat(29) + "$#", "%" + "#".repeat(30))},
            {"one long key, near misses", List.of(affixed(40, "one")),
                List.of(affixed(40, "two"), affixed(40, "onf"), affixed(41, "one"), affixed(39, "one"), "<<<<" + "=".repeat(32) + ">>>=",
                    ">>>>" + "=".repeat(32) + ">>>>")},
            {"two long candidates (hashing fallback)", List.of(affixed(40, "aa"), affixed(40, "bb")),
                List.of(affixed(40, "cc"), affixed(40, "ab"), affixed(40, "ba"))},
            {"eight long keys sharing both ends", List.of(affixed(32, "0"), affixed(32, "1"), affixed(32, "2"), affixed(32, "3"),
                affixed(32, "4"), affixed(32, "5"), affixed(32, "6"), affixed(32, "7")),
                List.of(affixed(32, "8"), affixed(33, "0"), affixed(32, "00"))},
            {"long keys of lengths 32, 33, 64 and one short", List.of(affixed(32, "a"), affixed(33, "a"), affixed(64, "a"),
                affixed(64, "b"), "<<<<>>>>", ""),
                List.of(affixed(33, "b"), affixed(64, "c"), affixed(65, "a"), "<<<<>>>"
            )},
            {"long keys with unpaired surrogates in the middle", List.of(affixed(40, "\uD800"), affixed(40, "\uDC00"),
                affixed(40, "\uD800\uDC00"), affixed(40, "\uDC00\uD800")),
                List.of(affixed(40, "\uDBFF"), affixed(40, "\uFFFD"), affixed(40, "?"))},
            {"the empty string alone", List.of(""), List.of("\0", "a")},
            {"empty map", List.of(), List.of("", "a", affixed(40, "x"))},
        };
        List<Arguments> a = new ArrayList<>();
        for (Impl impl : MapImpls.STRINGS) for (Object[] c : cases) a.add(Arguments.of(impl, c[0], c[1], c[2]));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bucketZeroCases")
    @SuppressWarnings("unchecked")
    void goFaststrOneBucketLookups(Impl impl, String name, List<String> keys, List<String> misses) {
        for (int seed = 0; seed < 4; seed++) { // the seed moves keys between slots (and changes the hash fallback)
            String ctx = impl + " [" + name + "] builder seed " + seed;
            try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, seed % 2 == 0 ? 0 : 8, seed)) {
                Map<String, Long> ref = new HashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    t.put(keys.get(i), 10 + i);
                    ref.put(keys.get(i), impl.isSet() ? 1L : 10 + i);
                }
                assertEquals(0, t.stats().B(), ctx + ": at most 8 keys stay in one bucket");
                Runnable check = () -> {
                    for (String k : ref.keySet()) {
                        for (Flavour f : StringTargets.FLAVOURS) {
                            assertEquals(ref.get(k), t.get(new Key(k, arena), f), ctx + ": hit " + d(k) + " by " + f);
                        }
                    }
                    for (String k : misses) {
                        for (Flavour f : StringTargets.FLAVOURS) {
                            assertNull(t.get(new Key(k, arena), f), ctx + ": miss " + d(k) + " by " + f);
                        }
                    }
                    assertHolds(t, ref, arena, () -> ctx);
                };
                check.run();
                // holes: remove every other key (emptyOne slots before live ones), then look up again
                for (int i = 0; i < keys.size(); i += 2) {
                    Flavour f = StringTargets.FLAVOURS[(i + seed) % StringTargets.FLAVOURS.length];
                    assertEquals(ref.remove(keys.get(i)), t.remove(new Key(keys.get(i), arena), f), ctx + ": remove by " + f);
                }
                check.run();
                // refill: the freed slots are reused, still one bucket
                for (int i = 0; i < keys.size(); i += 2) {
                    t.put(keys.get(i), 50 + i);
                    ref.put(keys.get(i), impl.isSet() ? 1L : 50 + i);
                }
                assertEquals(0, t.stats().B(), ctx);
                check.run();
                // removing what is absent changes nothing
                for (String k : misses) assertNull(t.remove(new Key(k, arena), Flavour.STRING), ctx + ": remove of a miss");
                assertEquals(ref.size(), t.size(), ctx);
            }
        }
    }

    // ------------------------------------------------------------------ bad input

    /** The states a map can be in when it gets bad input. */
    enum State { B0_ONE_KEY, B0_FULL, GROWN }

    static Stream<Arguments> implsAndStates() {
        return MapImpls.STRINGS.stream().flatMap(i -> Arrays.stream(State.values()).map(s -> Arguments.of(i, s)));
    }

    static Map<String, Long> fill(Target t, State s) {
        Map<String, Long> ref = new HashMap<>();
        int n = switch (s) {
            case B0_ONE_KEY -> 1;
            case B0_FULL -> 8;
            case GROWN -> 500;
        };
        for (int i = 0; i < n; i++) {
            String k = i == 0 ? "abc" : StringKeyCodec.encode(i * 7919L);
            t.put(k, i);
            ref.put(k, t.impl().isSet() ? 1L : i);
        }
        return ref;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void nullKeysThrowNullPointerException(Impl impl, State state) {
        try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, null)) {
            Map<String, Long> ref = fill(t, state);
            String ctx = impl + " " + state;
            for (Map.Entry<String, Runnable> call : nullCalls(t.raw()).entrySet()) {
                assertThrows(NullPointerException.class, call.getValue()::run, ctx + ": " + call.getKey());
            }
            assertHolds(t, ref, arena, () -> ctx + ": after the rejected calls");
        }
    }

    /** Every String-keyed entry point with a null key (or a null function / byte array / consumer). */
    static Map<String, Runnable> nullCalls(OffHeapMap raw) {
        Map<String, Runnable> c = new java.util.LinkedHashMap<>();
        String s = null;
        CharSequence cs = null;
        MemorySegment seg = null;
        byte[] b = null;
        switch (raw) {
            case StringLongMap m -> {
                c.put("get(String)", () -> m.get(s));
                c.put("get(CharSequence)", () -> m.get(cs));
                c.put("get(MemorySegment)", () -> m.get(seg));
                c.put("get(byte[])", () -> m.get(b, 0, 0));
                c.put("getOrDefault(String)", () -> m.getOrDefault(s, 1));
                c.put("getOrDefault(CharSequence)", () -> m.getOrDefault(cs, 1));
                c.put("getOrDefault(MemorySegment)", () -> m.getOrDefault(seg, 1));
                c.put("getOrDefault(byte[])", () -> m.getOrDefault(b, 0, 0, 1));
                c.put("containsKey(String)", () -> m.containsKey(s));
                c.put("containsKey(CharSequence)", () -> m.containsKey(cs));
                c.put("containsKey(MemorySegment)", () -> m.containsKey(seg));
                c.put("containsKey(byte[])", () -> m.containsKey(b, 0, 0));
                c.put("remove(String)", () -> m.remove(s));
                c.put("remove(CharSequence)", () -> m.remove(cs));
                c.put("remove(MemorySegment)", () -> m.remove(seg));
                c.put("remove(byte[])", () -> m.remove(b, 0, 0));
                c.put("put", () -> m.put(s, 1));
                c.put("putIfAbsent", () -> m.putIfAbsent(s, 1));
                c.put("addTo", () -> m.addTo(s, 1));
                c.put("merge(null key)", () -> m.merge(s, 1, Long::sum));
                c.put("merge(null f)", () -> m.merge("abc", 1, null));
                c.put("merge(new key, null f)", () -> m.merge("not there", 1, null));
                c.put("forEach(null)", () -> m.forEach(null));
                c.put("asMap().put(null, 1)", () -> m.asMap().put(null, 1L));
                c.put("asMap().get(null)", () -> m.asMap().get(null));
                c.put("cursor appendKey(null)", () -> {
                    StringLongCursor cur = m.cursor();
                    if (cur.next()) cur.appendKey(null);
                    else throw new NullPointerException("empty map: nothing to append");
                });
            }
            case StringIntMap m -> {
                c.put("get(String)", () -> m.get(s));
                c.put("get(CharSequence)", () -> m.get(cs));
                c.put("get(MemorySegment)", () -> m.get(seg));
                c.put("get(byte[])", () -> m.get(b, 0, 0));
                c.put("containsKey(MemorySegment)", () -> m.containsKey(seg));
                c.put("remove(String)", () -> m.remove(s));
                c.put("remove(MemorySegment)", () -> m.remove(seg));
                c.put("remove(byte[])", () -> m.remove(b, 0, 0));
                c.put("put", () -> m.put(s, 1));
                c.put("addTo", () -> m.addTo(s, 1));
                c.put("merge(null key)", () -> m.merge(s, 1, Integer::sum));
                c.put("merge(null f)", () -> m.merge("abc", 1, null));
            }
            case StringDoubleMap m -> {
                c.put("get(String)", () -> m.get(s));
                c.put("getOrDefault(CharSequence)", () -> m.getOrDefault(cs, 1));
                c.put("getOrDefault(byte[])", () -> m.getOrDefault(b, 0, 0, 1));
                c.put("containsKey(String)", () -> m.containsKey(s));
                c.put("remove(CharSequence)", () -> m.remove(cs));
                c.put("put", () -> m.put(s, 1));
                c.put("putIfAbsent", () -> m.putIfAbsent(s, 1));
                c.put("merge(null key)", () -> m.merge(s, 1, Double::sum));
            }
            case StringSet m -> {
                c.put("add", () -> m.add(s));
                c.put("contains(String)", () -> m.contains(s));
                c.put("contains(CharSequence)", () -> m.contains(cs));
                c.put("contains(MemorySegment)", () -> m.contains(seg));
                c.put("contains(byte[])", () -> m.contains(b, 0, 0));
                c.put("remove(String)", () -> m.remove(s));
                c.put("remove(CharSequence)", () -> m.remove(cs));
                c.put("remove(MemorySegment)", () -> m.remove(seg));
                c.put("remove(byte[])", () -> m.remove(b, 0, 0));
                c.put("forEach(null)", () -> m.forEach(null));
                c.put("asSet().add(null)", () -> m.asSet().add(null));
            }
            default -> throw new AssertionError(raw);
        }
        return c;
    }

    static final int[][] BAD_RANGES = {{-1, 0}, {0, -1}, {0, 6}, {5, 1}, {6, 0}, {3, 3}, {-1, 2}, {1, Integer.MAX_VALUE},
        {Integer.MAX_VALUE, 1}, {Integer.MIN_VALUE, 0}, {2, Integer.MIN_VALUE}};

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void byteRangesOutOfBoundsThrowIndexOutOfBounds(Impl impl, State state) {
        try (Arena arena = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, null)) {
            Map<String, Long> ref = fill(t, state);
            String ctx = impl + " " + state;
            byte[] five = "abcab".getBytes(UTF_8);
            for (int[] r : BAD_RANGES) {
                for (Map.Entry<String, Runnable> call : rangeCalls(t.raw(), five, r[0], r[1]).entrySet()) {
                    assertThrows(IndexOutOfBoundsException.class, call.getValue()::run,
                            ctx + ": " + call.getKey() + " offset " + r[0] + " length " + r[1] + " of 5 bytes");
                }
            }
            // the edges that are in range: [0, 5), [5, 5), [2, 5) = "cab", [0, 3) = "abc"
            for (int[] r : new int[][] {{0, 5}, {5, 0}, {2, 3}, {0, 3}}) {
                for (Map.Entry<String, Runnable> call : rangeCalls(t.raw(), five, r[0], r[1]).entrySet()) call.getValue().run();
            }
            assertHolds(t, ref, arena, () -> ctx + ": after the rejected calls");
        }
    }

    static Map<String, Runnable> rangeCalls(OffHeapMap raw, byte[] b, int off, int len) {
        Map<String, Runnable> c = new java.util.LinkedHashMap<>();
        switch (raw) {
            case StringIntMap m -> {
                c.put("get", () -> m.get(b, off, len));
                c.put("getOrDefault", () -> m.getOrDefault(b, off, len, 1));
                c.put("containsKey", () -> m.containsKey(b, off, len));
            }
            case StringLongMap m -> {
                c.put("get", () -> m.get(b, off, len));
                c.put("getOrDefault", () -> m.getOrDefault(b, off, len, 1));
                c.put("containsKey", () -> m.containsKey(b, off, len));
            }
            case StringDoubleMap m -> {
                c.put("get", () -> m.get(b, off, len));
                c.put("getOrDefault", () -> m.getOrDefault(b, off, len, 1));
                c.put("containsKey", () -> m.containsKey(b, off, len));
            }
            case StringSet m -> c.put("contains", () -> m.contains(b, off, len));
            default -> throw new AssertionError(raw);
        }
        // remove only with ranges that cannot remove a present key ("abc" is present in every state)
        if (!(off == 0 && len == 3)) {
            switch (raw) {
                case StringIntMap m -> c.put("remove", () -> m.remove(b, off, len));
                case StringLongMap m -> c.put("remove", () -> m.remove(b, off, len));
                case StringDoubleMap m -> c.put("remove", () -> m.remove(b, off, len));
                case StringSet m -> c.put("remove", () -> m.remove(b, off, len));
                default -> throw new AssertionError(raw);
            }
        }
        return c;
    }

    /**
     * Segments of a closed arena: IllegalStateException, the map unchanged. The probes have the length of
     * a present key ("abc"), so even Go's one-bucket path, which compares lengths first, must read them.
     * (Probes of other lengths on small maps: see KnownBugs#closedSegmentsAreNotAlwaysRejected.)
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void segmentsOfAClosedArenaThrowIllegalState(Impl impl, State state) {
        try (Arena live = Arena.ofConfined(); Target t = StringTargets.create(impl, 0, null)) {
            Map<String, Long> ref = fill(t, state);
            String ctx = impl + " " + state;
            List<MemorySegment> closed = new ArrayList<>();
            for (Arena a : new Arena[] {Arena.ofConfined(), Arena.ofShared(), Arena.ofConfined()}) {
                MemorySegment s = a.allocate(3);
                s.copyFrom(MemorySegment.ofArray("abc".getBytes(UTF_8)));
                closed.add(s);
                if (state == State.GROWN) closed.add(a.allocate(40)); // read by the hash of a B > 0 map
                a.close();
            }
            for (MemorySegment s : closed) {
                for (Map.Entry<String, Runnable> call : segmentCalls(t.raw(), s).entrySet()) {
                    assertThrows(IllegalStateException.class, call.getValue()::run,
                            ctx + ": " + call.getKey() + " with a closed arena's segment of " + s.byteSize() + " bytes");
                }
            }
            assertHolds(t, ref, live, () -> ctx + ": after the rejected calls");
            t.put("after", 1); // still writable
        }
    }

    static Map<String, Runnable> segmentCalls(OffHeapMap raw, MemorySegment s) {
        Map<String, Runnable> c = new java.util.LinkedHashMap<>();
        switch (raw) {
            case StringIntMap m -> {
                c.put("get", () -> m.get(s));
                c.put("getOrDefault", () -> m.getOrDefault(s, 1));
                c.put("containsKey", () -> m.containsKey(s));
                c.put("remove", () -> m.remove(s));
            }
            case StringLongMap m -> {
                c.put("get", () -> m.get(s));
                c.put("getOrDefault", () -> m.getOrDefault(s, 1));
                c.put("containsKey", () -> m.containsKey(s));
                c.put("remove", () -> m.remove(s));
            }
            case StringDoubleMap m -> {
                c.put("get", () -> m.get(s));
                c.put("getOrDefault", () -> m.getOrDefault(s, 1));
                c.put("containsKey", () -> m.containsKey(s));
                c.put("remove", () -> m.remove(s));
            }
            case StringSet m -> {
                c.put("contains", () -> m.contains(s));
                c.put("remove", () -> m.remove(s));
            }
            default -> throw new AssertionError(raw);
        }
        return c;
    }

    // ------------------------------------------------------------------ memory

    /** Writes hand back this much freed memory each (MapCore.RELEASE_STEP). */
    static final long RELEASE_STEP = 2L << 20;
    /**
     * What may stay after clear() and the writes that follow it: one 64 KiB key-heap chunk for keys written
     * after the clear, and the structure heap's 64 KiB size-class chunks (small overflow slabs), which are
     * kept for reuse rather than handed back.
     */
    static final long CLEAR_TOLERANCE = 4 * 64 << 10;

    /**
     * A presized map (no growth) is filled with keys of every size, up to 1 MiB, then cleared: the key
     * bytes, overflow slabs and prepared arrays go back, handed to the kernel in 2 MiB steps by the
     * following writes, until offHeapBytes is back to its level before the fill (within CLEAR_TOLERANCE).
     * Done three times: nothing creeps up.
     */
    @Test
    void offHeapBytesComeBackAfterClear() {
        SplittableRandom r = new SplittableRandom(ConformanceSuite.RUN_SEED);
        int n = 60_000;
        try (StringLongMap m = StringLongMap.builder().expectedSize(n).build()) {
            long before = m.stats().offHeapBytes();
            int b = m.stats().B();
            for (int round = 0; round < 3; round++) {
                String ctx = "seed=" + ConformanceSuite.RUN_SEED + " round " + round;
                for (int i = 0; i < n; i++) m.put(randomString(r, randomLength(r)) + round + "/" + i, i);
                m.put("x".repeat(1 << 20), 1);
                long full = m.stats().offHeapBytes();
                assertTrue(full > before + (3L << 20), ctx + ": the keys take memory: " + before + " -> " + full);
                m.clear();
                long allowedWrites = (full - before) / RELEASE_STEP + 3;
                long writes = 0;
                while (m.stats().offHeapBytes() > before + CLEAR_TOLERANCE) {
                    if (++writes > allowedWrites) {
                        fail(ctx + ": offHeapBytes " + m.stats().offHeapBytes() + " still above " + before + " + "
                                + CLEAR_TOLERANCE + " after " + allowedWrites + " writes following clear() (full: " + full + ")");
                    }
                    if (writes % 2 == 0) m.put("after-clear-" + writes, writes); else m.remove("nothing");
                }
                System.out.println("[hmap strings] " + ctx + ": offHeapBytes " + before + " presized, " + full + " filled, "
                        + m.stats().offHeapBytes() + " after clear() and " + writes + " writes (allowed: " + allowedWrites + ")");
                assertEquals(b, m.stats().B(), ctx + ": a presized map filled to its hint does not grow");
            }
        }
    }

    /**
     * Steady size, fresh keys in, oldest out (2M steps; 10M with -Dhmap.test.long=true): freed key bytes
     * are reused and same-size growths (one every ~30 * size steps) free their arrays, so once the warm-up
     * (a quarter of the steps, and two same-size growths) is over, offHeapBytes never exceeds the warm-up's
     * maximum by more than max(512 KiB, 1/16 of it).
     */
    @Test
    void steadySizeChurnDoesNotGrowMemory() {
        int size = 5_000;
        long steps = LONG ? 10_000_000 : 2_000_000;
        long seed = ConformanceSuite.RUN_SEED;
        long salt = StringKeyCodec.mix(seed);
        String ctx = "churn seed=" + seed + " size=" + size + " steps=" + steps;
        try (StringLongMap m = StringLongMap.builder().seed(builderSeed(seed)).build()) {
            String[] ring = new String[size];
            for (int i = 0; i < size; i++) {
                ring[i] = StringKeyCodec.encode(StringKeyCodec.mix(i + salt));
                m.put(ring[i], i);
            }
            // Deletes keep chains packed and reuse emptied overflow buckets, key bytes go back to their size
            // class: after a warm-up the footprint is flat (a page of some size class now and then), and no
            // same-size growth is ever needed. The warm-up adds what each key size class holds at its
            // busiest: with these adversarial key lengths (dozens of classes) and only 5,000 keys, about a
            // quarter of the fill.
            long filled = m.stats().offHeapBytes(), max = filled, maxAt = -1, warm = 0;
            int sameSize = 0;
            for (long step = 0; step < steps; step++) {
                int slot = (int) (step % size);
                if (m.remove(ring[slot]) != slot) fail(ctx + ": step " + step + ": remove returned the wrong value");
                ring[slot] = StringKeyCodec.encode(StringKeyCodec.mix(step + size + salt));
                m.put(ring[slot], slot);
                if ((step & 63) == 0) {
                    MapStats s = m.stats();
                    if (s.sameSizeGrow()) sameSize++;
                    if (s.offHeapBytes() > max) {
                        max = s.offHeapBytes();
                        maxAt = step;
                    }
                }
                if (step == steps / 2) warm = max;
            }
            assertEquals(size, m.size(), ctx);
            System.out.println("[hmap strings] " + ctx + ": offHeapBytes " + filled + " after the fill, " + warm
                    + " peak in the first half of the churn, max " + max + " (at step " + maxAt + "), "
                    + m.stats().offHeapBytes() + " at the end; steps seen mid same-size growth: " + sameSize);
            assertEquals(0, sameSize, ctx + ": churn at a steady size started a same-size growth");
            assertTrue(max <= warm + Math.max(32L << 10, warm / 16), ctx + ": offHeapBytes grew from " + warm
                    + " (its peak in the first half of the churn) to " + max + " at step " + maxAt);
            ((dev.hmap.internal.MapCore) m).checkInvariants();
        }
    }

    // ------------------------------------------------------------------ edge cases that once were bugs

    /** Found by this suite and fixed in the engine; kept as regression tests. */
    @org.junit.jupiter.api.Nested
    class FormerBugs {

        /**
         * After clear(), a String cursor's current entry is gone with its key bytes (the cursor holds an
         * offset into the key heap that clear() drops, not a copy): key(), remove() and setValue() throw
         * IllegalStateException instead of reading or changing whatever key lives there now.
         */
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.hmap.StringKeysTest#impls")
        void cursorKeyAfterClear(Impl impl) {
            try (Target t = StringTargets.create(impl, 0, null)) {
                t.put("alpha", 1);
                Cur c = t.cursor();
                assertTrue(c.next());
                t.raw().clear();
                t.put("omega", 2);
                assertThrows(IllegalStateException.class, c::key, impl + ": key() of the current entry after clear()");
                assertThrows(IllegalStateException.class, c::remove, impl + ": cursor.remove() after clear()");
                assertEquals(1, t.size(), impl + ": cursor.remove() after clear() must not remove another key");
                assertFalse(c.next(), impl + ": the cursor ends after clear()");
            }
        }

        /** Argument checks must not depend on the map being empty (they do for remove). */
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.hmap.StringKeysTest#impls")
        void removeChecksItsArgumentsOnAnEmptyMap(Impl impl) {
            try (Target t = StringTargets.create(impl, 0, null)) {
                Map<String, Runnable> nulls = nullCalls(t.raw());
                for (Map.Entry<String, Runnable> e : nulls.entrySet()) {
                    assertThrows(NullPointerException.class, e.getValue()::run, impl + " empty: " + e.getKey());
                }
                for (int[] range : BAD_RANGES) {
                    for (Map.Entry<String, Runnable> e : rangeCalls(t.raw(), new byte[5], range[0], range[1]).entrySet()) {
                        assertThrows(IndexOutOfBoundsException.class, e.getValue()::run,
                                impl + " empty: " + e.getKey() + " " + Arrays.toString(range));
                    }
                }
            }
        }

        /** A segment of a closed arena is rejected whatever the map holds (not only when its bytes get read). */
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.hmap.StringKeysTest#impls")
        void closedSegmentsAreAlwaysRejected(Impl impl) {
            MemorySegment closed;
            try (Arena a = Arena.ofConfined()) {
                closed = a.allocate(3);
            }
            try (Target t = StringTargets.create(impl, 0, null)) {
                for (int n = 0; n < 3; n++) { // empty; one key of another length; B == 0, no same-length key
                    for (Map.Entry<String, Runnable> e : segmentCalls(t.raw(), closed).entrySet()) {
                        assertThrows(IllegalStateException.class, e.getValue()::run, impl + " with " + n + " keys: " + e.getKey());
                    }
                    t.put("key" + n, n);
                }
            }
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
