// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.hmap.StringKeys.affixed;
import static dev.hmap.StringKeys.d;
import static dev.hmap.StringKeys.lookup;
import static dev.hmap.StringKeys.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Go's one-bucket lookup for String keys (mapaccess1_faststr at B == 0), by every key form: short keys,
 * equal lengths, long keys sharing their first and last 4 bytes (one candidate, two candidates: the
 * hashing fallback), the empty string; with holes left by removals, and after the holes are refilled.
 */
class StringOneBucketTest {

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
    void goFaststrOneBucketLookups(Impl impl, String name, List<String> keys, List<String> misses) {
        List<KeyForm> forms = impl.forms();
        for (int seed = 0; seed < 4; seed++) { // the seed moves keys between slots (and changes the hash fallback)
            String ctx = impl + " [" + name + "] builder seed " + seed;
            try (MapUnderTest m = StringKeys.open(impl, seed % 2 == 0 ? 0 : 8, seed)) {
                Map<String, Long> ref = new HashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    put(m, keys.get(i), 10 + i);
                    ref.put(keys.get(i), impl.value(10 + i));
                }
                assertEquals(0, m.stats().B(), ctx + ": at most 8 keys stay in one bucket");
                Runnable check = () -> {
                    int salt = 0;
                    for (String k : ref.keySet()) {
                        for (KeyForm f : forms) assertEquals(ref.get(k), lookup(m, new Key(k, salt++), f), ctx + ": hit " + d(k) + " by " + f);
                    }
                    for (String k : misses) {
                        for (KeyForm f : forms) assertNull(lookup(m, new Key(k, salt++), f), ctx + ": miss " + d(k) + " by " + f);
                    }
                    StringKeys.assertHolds(m, ref, () -> ctx);
                };
                check.run();
                // holes: remove every other key (emptyOne slots before live ones), then look up again
                for (int i = 0; i < keys.size(); i += 2) {
                    KeyForm f = forms.get((i + seed) % forms.size());
                    assertEquals(ref.remove(keys.get(i)), StringKeys.remove(m, new Key(keys.get(i), i), f), ctx + ": remove by " + f);
                }
                check.run();
                // refill: the freed slots are reused, still one bucket
                for (int i = 0; i < keys.size(); i += 2) {
                    put(m, keys.get(i), 50 + i);
                    ref.put(keys.get(i), impl.value(50 + i));
                }
                assertEquals(0, m.stats().B(), ctx);
                check.run();
                // removing what is absent changes nothing
                for (String k : misses) assertNull(StringKeys.remove(m, new Key(k), KeyForm.STRING), ctx + ": remove of a miss");
                assertEquals(ref.size(), m.size(), ctx);
            }
        }
    }
}
