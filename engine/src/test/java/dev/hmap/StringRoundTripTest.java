// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.StringKeys.assertHolds;
import static dev.hmap.StringKeys.assertKeyBytesDisjoint;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * String keys make the round trip: the suites' long -> String key codec is injective and covers every
 * form it promises; any UTF-16 string (lone and reversed surrogates, NUL, emoji, empty, 1 MiB) put into a
 * String map or set comes back unchanged through cursor key()/appendKey/keyBytes/keyLength and forEach,
 * and distinct strings stay distinct keys. Seeds: ConformanceSuite's; {@code -Dhmap.test.long=true} puts
 * five times as many random strings.
 */
class StringRoundTripTest {

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
            assertEquals(s, StringKeyCodec.DEFAULT.encode(k), "the default codec's cache returns encode(k)");
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void specialStringsRoundTripAndStayDistinct(Impl impl) {
        List<String> strings = StringKeys.specialStrings();
        String ctx = impl + " special strings";
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            Map<String, Long> ref = new HashMap<>();
            for (int i = 0; i < strings.size(); i++) {
                long v = impl.value(1000 + i);
                assertNull(put(m, strings.get(i), v), ctx + ": " + d(strings.get(i)) + " is a new key");
                ref.put(strings.get(i), v);
            }
            assertEquals(strings.size(), m.size(), ctx + ": " + strings.size() + " distinct strings, distinct keys");
            assertHolds(m, ref, () -> ctx);
            // the encodings a lossy UTF-8 would produce find only the key that really has those bytes
            for (String s : strings) {
                Key k = new Key(s, s.getBytes(UTF_8), s.length());
                String same = new String(s.getBytes(UTF_8), UTF_8);
                for (KeyForm f : impl.forms()) {
                    if (f.passesBytes()) assertEquals(ref.get(same), lookup(m, k, f), ctx + ": bytes getBytes(UTF_8) of " + d(s) + " by " + f);
                }
            }
            // remove every other one by a rotating form; the rest still round-trips
            for (int i = 0; i < strings.size(); i += 2) {
                KeyForm f = impl.forms().get(i % impl.forms().size());
                assertEquals(ref.remove(strings.get(i)), StringKeys.remove(m, new Key(strings.get(i), i), f),
                        ctx + ": remove " + d(strings.get(i)) + " by " + f);
            }
            assertHolds(m, ref, () -> ctx + " after removals");
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void randomStringsRoundTrip(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String ctx = ConformanceSuite.ctx(impl, seed, "random UTF-16 round trip");
        try (MapUnderTest m = StringKeys.open(impl, 0, builderSeed(seed))) {
            Map<String, Long> ref = new HashMap<>();
            int n = ConformanceSuite.LONG ? 20_000 : 4_000;
            for (int i = 0; i < n; i++) {
                String s = randomString(r, randomLength(r));
                long v = impl.value(r.nextInt(1 << 30));
                Long prev = ref.put(s, v);
                Long actual = put(m, s, v);
                if (!Objects.equals(prev, actual)) fail(ctx + ": put(" + d(s) + ") returned " + actual + ", expected " + prev);
            }
            assertHolds(m, ref, () -> ctx);
            assertKeyBytesDisjoint(m, () -> ctx);
        }
    }

    /**
     * 1 MiB keys: ASCII, random UTF-16, and keys differing only at the start, middle or end. (One map and
     * the set: the key code is the same template for every value type, and 1 MiB keys are slow to check.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.StringKeys#mapAndSet")
    void oneMebibyteKeys(Impl impl) {
        SplittableRandom r = new SplittableRandom(ConformanceSuite.RUN_SEED);
        String ctx = ConformanceSuite.ctx(impl, ConformanceSuite.RUN_SEED, "1 MiB keys");
        int mib = 1 << 20;
        String ascii = "a".repeat(mib);
        String random = randomString(r, mib);
        char[] mid = ascii.toCharArray();
        mid[mib / 2] = '\uD800';
        List<String> keys = List.of(ascii, random, "b" + ascii.substring(1), ascii.substring(1) + "\0", new String(mid),
                random.substring(0, mib - 1) + "\uFFFD");
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            Map<String, Long> ref = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                ref.put(keys.get(i), impl.value(i));
                put(m, keys.get(i), i);
            }
            put(m, "short", 99); // a B == 0 map mixing short and huge keys
            ref.put("short", impl.value(99));
            assertEquals(0, m.stats().B(), ctx);
            assertHolds(m, ref, () -> ctx);
            // near misses of a huge key: one char more, one less, one changed
            List<String> misses = List.of(ascii + "a", ascii.substring(2), "c" + ascii.substring(1));
            for (int i = 0; i < impl.forms().size(); i++) {
                KeyForm f = impl.forms().get(i);
                assertNull(lookup(m, new Key(misses.get(i % misses.size()), i), f), ctx + ": miss by " + f);
            }
            for (int i = 0; i < 200; i++) put(m, "filler" + i, i); // grow past B = 0 with the huge keys inside
            for (int i = 0; i < 200; i++) ref.put("filler" + i, impl.value(i));
            assertTrue(m.stats().B() > 0, ctx);
            for (int i = 0; i < keys.size(); i++) {
                KeyForm f = impl.forms().get(i);
                assertEquals(ref.remove(keys.get(i)), StringKeys.remove(m, new Key(keys.get(i), i), f), ctx + ": remove by " + f);
            }
            assertHolds(m, ref, () -> ctx + " after removing the huge keys");
        }
    }
}
