// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared machinery of the String-key suites (StringRoundTripTest, KeyFormsTest, StringOneBucketTest,
 * StringBadInputTest, StringKeyMemoryTest, StringFormerBugsTest) and of DifferentialTest's key pools:
 * adversarial strings, String maps whose long keys index the strings put, and a check of everything a
 * String map holds through every key form and every cursor accessor.
 */
final class StringKeys {
    private StringKeys() {}

    /** The missing value of the maps {@link #open} makes: exact in every value type, and never a value here. */
    static final long MISSING = Integer.MIN_VALUE;
    private static final long DEFAULT = 0x0DEF;

    /** One String map and the String set, for tests where the value type makes no difference. */
    static Stream<Impl> mapAndSet() {
        return Stream.of(MapImpls.named("StringLongMap"), MapImpls.named("StringSet"));
    }

    /** A String map or set whose long keys are the indexes of the strings put by {@link #put}; missing value MISSING. */
    static MapUnderTest open(Impl impl, long hint, Integer seed) {
        return impl.withCodec(new StringKeyCodec.Pool(List.of())).build(hint, MISSING, seed);
    }

    private static StringKeyCodec.Pool pool(MapUnderTest m) {
        return (StringKeyCodec.Pool) m.impl().codec;
    }

    /** put (sets: add) of s, in the next key form; the previous value (sets: PRESENT), or null. */
    static Long put(MapUnderTest m, String s, long v) {
        return orNull(m, m.put(pool(m).add(s), v));
    }

    /** put (sets: add) of k in form f; the previous value (sets: PRESENT), or null. */
    static Long put(MapUnderTest m, Key k, KeyForm f, long v) {
        return write(m, MapImpls.Op.PUT, k, f, v);
    }

    /** A write (put, putIfAbsent, addTo) of k in form f; the previous value (sets: PRESENT), or null. */
    static Long write(MapUnderTest m, MapImpls.Op op, Key k, KeyForm f, long v) {
        pool(m).add(k.s);
        return orNull(m, m.call(op, k, f, v));
    }

    /** Removes k in form f; the removed value (sets: PRESENT), or null. */
    static Long remove(MapUnderTest m, Key k, KeyForm f) {
        return orNull(m, m.remove(k, f));
    }

    /** Looks k up in form f, asserting that get, getOrDefault and containsKey agree; the value (sets: PRESENT), or null. */
    static Long lookup(MapUnderTest m, Key k, KeyForm f) {
        boolean contains = m.containsKey(k, f);
        long v = m.get(k, f), orDefault = m.getOrDefault(k, f, DEFAULT);
        if (contains ? orDefault != v : v != m.missingValue() || orDefault != DEFAULT) {
            throw new AssertionError("lookups disagree for " + k + " by " + f + ": get=" + v + " containsKey=" + contains
                    + " getOrDefault=" + orDefault);
        }
        return contains ? v : null;
    }

    /** A value as found, or null where it is the answer for an absent key (sets: 0, maps: the missing value). */
    private static Long orNull(MapUnderTest m, long v) {
        return v == (m.isSet() ? 0 : m.missingValue()) ? null : v;
    }

    static String d(CharSequence s) {
        return StringKeyCodec.describe(s);
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ adversarial strings

    /** Distinct strings that a lossy encoding would merge, or that sit on length and encoding edges. */
    static List<String> specialStrings() {
        LinkedHashSet<String> s = new LinkedHashSet<>(List.of(
                "", "\0", "\0\0", "a", "a\0", "\0a", "a\0\0", "?", "\uFFFD", "\uD800", "\uDC00", "\uDBFF", "\uDFFF",
                "\uD800\uDC00", "\uDC00\uD800", "\uD800\uD800", "\uDC00\uDC00", "\uD800\uD800\uDC00",
                "\uD800\uDC00\uDC00", "\uDBFF\uDFFF", "\uD83D\uDE00", "\uDE00\uD83D", "\uD83D", "\uDE00", "??",
                "\uFFFD\uFFFD", "\u007F", "\u0080", "\u07FF", "\u0800", "\uFFFF", "\uFEFF", "\u00E9", "e\u0301",
                "\u00C3\u00A9", "\uD800?", "?\uDC00", "x\uD800y", "x\uDC00y", "x\uD800\uDC00y", "x\uDC00\uD800y",
                "\u0000\uFFFF", "ab\u0000cd", "ab\u0000ce", "\t\r\n ", "  "));
        // ASCII and mixed keys of 7..9, 15..17, 31..33 and 63..65 bytes, and long ones sharing both ends
        for (int n : new int[] {7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65}) {
            s.add("k".repeat(n));
            s.add("k".repeat(n - 1) + "\0");
            s.add("\u00E9".repeat(n / 2) + "x".repeat(n % 2)); // n bytes of 2-byte chars
            s.add("<<<<" + "m".repeat(Math.max(0, n - 8)) + ">>>>");
            s.add("<<<<\uD800" + "m".repeat(Math.max(0, n - 11)) + ">>>>"); // n bytes, a lone surrogate inside
        }
        for (int i = 0; i < 6; i++) s.add("<<<<" + "-".repeat(20) + i + "-".repeat(20) + ">>>>");
        return new ArrayList<>(s);
    }

    /** Random UTF-16: ASCII, controls and NUL, 2- and 3-byte chars, pairs, lone and reversed surrogates. */
    static String randomString(SplittableRandom r, int len) {
        StringBuilder sb = new StringBuilder(len);
        while (sb.length() < len) {
            switch (r.nextInt(12)) {
                case 0, 1, 2, 3 -> sb.append((char) r.nextInt(0x20, 0x7F));
                case 4 -> sb.append((char) r.nextInt(0, 0x20));
                case 5 -> sb.append((char) r.nextInt(0x80, 0x800));
                case 6 -> sb.append((char) r.nextInt(0x800, 0xD800));
                case 7 -> sb.append((char) r.nextInt(0xE000, 0x10000));
                case 8 -> sb.append((char) r.nextInt(0xD800, 0xDC00)); // lone high (unless a low follows)
                case 9 -> sb.append((char) r.nextInt(0xDC00, 0xE000)); // lone low
                case 10 -> sb.appendCodePoint(r.nextInt(0x10000, 0x110000));
                default -> sb.append((char) r.nextInt(0xDC00, 0xE000)).append((char) r.nextInt(0xD800, 0xDC00));
            }
        }
        sb.setLength(len); // may cut a pair in half: one more lone surrogate
        return sb.toString();
    }

    static int randomLength(SplittableRandom r) {
        int x = r.nextInt(1000);
        if (x < 600) return r.nextInt(0, 13);
        if (x < 900) return r.nextInt(13, 41);
        if (x < 995) return r.nextInt(41, 300);
        return r.nextInt(700, 3000); // 2 KiB and more once encoded: page-sized key blocks
    }

    /** A key of len chars, all sharing the first and last 4 ("<<<<", ">>>>"), with middle in between. */
    static String affixed(int len, String middle) {
        return "<<<<" + middle + "=".repeat(len - 8 - middle.length()) + ">>>>";
    }

    /** Adversarial key pools: near-duplicates by construction, so hits, misses and collisions all happen. */
    static List<String> keyPool(SplittableRandom r, int n) {
        LinkedHashSet<String> pool = new LinkedHashSet<>(specialStrings());
        while (pool.size() < n) {
            String base = switch (r.nextInt(6)) {
                case 0 -> randomString(r, randomLength(r));
                case 1 -> StringKeyCodec.encode(r.nextLong());
                case 2 -> affixed(32 + r.nextInt(40), Integer.toString(r.nextInt(1000), 36));
                case 3 -> "k" + r.nextInt(n);
                case 4 -> "\0".repeat(r.nextInt(1, 20));
                default -> randomString(r, r.nextInt(1, 6));
            };
            pool.add(base);
            switch (r.nextInt(5)) { // a relative: one char more, one changed, surrogates swapped
                case 0 -> pool.add(base + "\0");
                case 1 -> pool.add(base.isEmpty() ? "\uD800" : base.substring(0, base.length() - 1) + "\uDC00");
                case 2 -> pool.add(base.replace('\uD800', '?'));
                default -> { }
            }
        }
        return new ArrayList<>(pool).subList(0, n);
    }

    // ------------------------------------------------------------------ checks

    /**
     * Asserts m holds exactly ref (sets: values ignored): size, a lookup of every key by a rotating form,
     * one cursor walk (key, appendKey, keyBytes, keyLength, value), one forEach, the key view, invariants.
     */
    static void assertHolds(MapUnderTest m, Map<String, Long> ref, Supplier<String> ctx) {
        Impl impl = m.impl();
        assertEquals(ref.size(), m.size(), () -> ctx.get() + ": size");
        int i = 0;
        for (Map.Entry<String, Long> e : ref.entrySet()) {
            KeyForm f = impl.forms().get(i % impl.forms().size());
            Long v = lookup(m, new Key(e.getKey(), i++), f);
            if (v == null) fail(ctx.get() + ": key " + d(e.getKey()) + " not found by " + f);
            if (!impl.isSet()) assertEquals(e.getValue(), v, () -> ctx.get() + ": value of " + d(e.getKey()) + " by " + f);
        }
        Set<String> seen = new HashSet<>();
        Cur c = m.cursor();
        while (c.next()) {
            String k = c.keyString();
            if (!seen.add(k)) fail(ctx.get() + ": cursor visited " + d(k) + " twice");
            Long v = ref.get(k);
            if (v == null) fail(ctx.get() + ": cursor returned " + d(k) + ", which was never put (lossy key?)");
            if (!impl.isSet()) assertEquals(v.longValue(), c.value(), () -> ctx.get() + ": cursor value of " + d(k));
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
        m.forEach((k, v) -> {
            if (each.put(impl.codec.encode(k), v) != null) fail(ctx.get() + ": forEach visited " + d(impl.codec.encode(k)) + " twice");
        });
        assertEquals(ref.keySet(), each.keySet(), () -> ctx.get() + ": forEach keys");
        if (!impl.isSet()) assertEquals(ref, each, () -> ctx.get() + ": forEach values");
        assertEquals(ref.keySet(), impl.isSet() ? m.asSet() : m.asMap().keySet(), () -> ctx.get() + ": key view");
        ConformanceSuite.checkInvariants(m, ctx);
    }

    /** No two live keys share key-heap bytes (a use-after-free of freed key bytes would show as overlap). */
    static void assertKeyBytesDisjoint(MapUnderTest m, Supplier<String> ctx) {
        List<long[]> ranges = new ArrayList<>();
        Cur c = m.cursor();
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
}
