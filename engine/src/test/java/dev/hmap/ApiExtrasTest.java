// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.hmap.ConformanceSuite.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API beyond get/put/remove: the builder's missing value, addTo, merge, putIfAbsent, getOrDefault,
 * Go's make(map, hint) sizing (table-driven: hint -> B, bad hints ignored, a presized map never grows
 * while filled to its hint), and headerBytes/bucketBytes agreeing with stats().
 */
class ApiExtrasTest {

    // ------------------------------------------------------------------ missing value

    static Stream<Arguments> mapsAndMissingValues() {
        long[] missing = {0, -1, 7, Integer.MIN_VALUE, Integer.MAX_VALUE};
        return MapImpls.WORD_MAPS.stream().flatMap(i -> java.util.Arrays.stream(missing).mapToObj(mv -> Arguments.of(i, mv)));
    }

    @ParameterizedTest(name = "{0} missing={1}")
    @MethodSource("mapsAndMissingValues")
    void missingValueIsReturnedForAbsentKeys(Impl impl, long missing) {
        try (MapUnderTest m = impl.build(0, missing, null)) {
            String ctx = impl + " missing=" + missing;
            assertEquals(missing, m.missingValue(), ctx);
            for (int round = 0; round < 2; round++) { // before the first bucket exists, and after
                assertEquals(missing, m.get(42), ctx + ": get");
                assertEquals(missing, m.remove(42), ctx + ": remove");
                assertEquals(impl.value(99), m.getOrDefault(42, impl.value(99)), ctx + ": getOrDefault ignores missing");
                assertFalse(m.containsKey(42), ctx);
                assertEquals(missing, m.put(42, impl.value(5)), ctx + ": put of a new key");
                assertEquals(impl.value(5), m.put(42, impl.value(6)), ctx + ": put of an existing key");
                assertEquals(impl.value(6), m.remove(42), ctx + ": remove of an existing key");
                assertEquals(missing, m.remove(42), ctx + ": remove again");
                assertEquals(missing, m.putIfAbsent(43, impl.value(8)), ctx + ": putIfAbsent inserting");
                assertEquals(impl.value(8), m.putIfAbsent(43, impl.value(9)), ctx + ": putIfAbsent existing");
                assertEquals(impl.value(8), m.get(43), ctx + ": putIfAbsent did not overwrite");
                assertEquals(missing, m.remove(44), ctx);
                m.remove(43);
                for (long k = 100; k < 300; k++) m.put(k, impl.value(k)); // grow, then test again
                for (long k = 100; k < 300; k++) m.remove(k);
            }
            // a stored value equal to the missing value is still present
            m.put(1, missing);
            assertTrue(m.containsKey(1), ctx);
            assertEquals(missing, m.get(1), ctx);
            assertEquals(1, m.size(), ctx);
        }
    }

    @Test
    void doubleMapsWithNaNAsMissingValue() {
        try (IntDoubleMap a = IntDoubleMap.builder().missingValue(Double.NaN).build();
             LongDoubleMap b = LongDoubleMap.builder().missingValue(Double.NaN).build()) {
            assertTrue(Double.isNaN(a.get(1)) && Double.isNaN(b.get(1)));
            assertTrue(Double.isNaN(a.put(1, 2.5)) && Double.isNaN(b.put(1, 2.5)));
            assertEquals(2.5, a.get(1));
            assertEquals(2.5, b.get(1));
            assertTrue(Double.isNaN(a.remove(2)) && Double.isNaN(b.remove(2)));
            // addTo on an absent key starts from the missing value: NaN + x is NaN
            assertTrue(Double.isNaN(a.addTo(3, 1.0)) && Double.isNaN(a.get(3)) && a.containsKey(3));
            assertTrue(Double.isNaN(b.addTo(3, 1.0)) && Double.isNaN(b.get(3)) && b.containsKey(3));
            // -0.0 and NaN are stored as values
            a.put(4, -0.0);
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.get(4)));
            b.put(4, Double.NaN);
            assertTrue(b.containsKey(4) && Double.isNaN(b.get(4)));
            assertTrue(Double.isNaN(a.missingValue()));
        }
    }

    // ------------------------------------------------------------------ addTo, merge

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#wordMapsWithSeeds")
    void addToSemantics(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long missing = impl.value(r.nextInt(-100, 100));
        String ctx = ctx(impl, seed, "addTo missing=" + missing);
        try (MapUnderTest m = impl.build(0, missing, null)) {
            assertEquals(missing, m.addTo(1, impl.value(5)), ctx + ": addTo on an absent key returns the missing value");
            assertEquals(impl.sum(missing, 5), m.get(1), ctx + ": and stores missing + increment");
            assertEquals(impl.sum(missing, 5), m.addTo(1, impl.value(10)), ctx + ": returns the previous value");
            assertEquals(impl.sum(missing, 15), m.get(1), ctx);
            assertEquals(impl.sum(missing, 15), m.addTo(1, 0), ctx);
            assertEquals(1, m.size(), ctx);
            // counting: a word-count style histogram over a growing map
            long[] counts = new long[2000];
            for (int i = 0; i < 20_000; i++) {
                int k = r.nextInt(counts.length);
                long inc = impl.value(r.nextInt(1, 1000));
                long before = m.addTo(1000 + k, inc);
                assertEquals(counts[k] == 0 ? missing : impl.sum(missing, counts[k]), before, ctx + ": previous of " + k);
                counts[k] += inc;
            }
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] != 0) assertEquals(impl.sum(missing, counts[k]), m.get(1000 + k), ctx + ": count of " + k);
            }
            m.core().checkInvariants();
        }
    }

    @Test
    void addToWrapsAndAddsFractions() {
        try (IntIntMap m = IntIntMap.create(); LongIntMap l = LongIntMap.create(); LongLongMap ll = LongLongMap.create();
             LongDoubleMap d = LongDoubleMap.create()) {
            m.put(1, Integer.MAX_VALUE);
            assertEquals(Integer.MAX_VALUE, m.addTo(1, 1));
            assertEquals(Integer.MIN_VALUE, m.get(1));
            l.put(1, Integer.MIN_VALUE);
            l.addTo(1, -1);
            assertEquals(Integer.MAX_VALUE, l.get(1));
            ll.put(1, Long.MAX_VALUE);
            ll.addTo(1, 1);
            assertEquals(Long.MIN_VALUE, ll.get(1));
            d.addTo(1, 0.25);
            d.addTo(1, 0.5);
            assertEquals(0.75, d.get(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#wordMaps")
    void mergeSemantics(Impl impl) {
        try (MapUnderTest m = impl.build(0, impl.value(-5), null)) {
            String ctx = impl.toString();
            int[] calls = {0};
            assertEquals(impl.value(10), m.merge(1, impl.value(10), (a, b) -> { calls[0]++; return a + b; }),
                    ctx + ": merge of an absent key inserts the value and returns it");
            assertEquals(0, calls[0], ctx + ": f is not called for an absent key");
            assertEquals(impl.value(10), m.get(1), ctx);
            assertEquals(impl.value(13), m.merge(1, impl.value(3), (a, b) -> { calls[0]++; return a + b; }), ctx + ": f(old, value)");
            assertEquals(1, calls[0], ctx);
            assertEquals(impl.value(13), m.get(1), ctx);
            assertEquals(impl.value(3), m.merge(1, impl.value(3), (a, b) -> b), ctx);
            assertEquals(1, m.size(), ctx);

            // f may read the map
            m.put(2, impl.value(100));
            assertEquals(impl.value(103), m.merge(1, impl.value(0), (a, b) -> a + m.get(2)), ctx + ": f reading the map");
            // f may write the map, even grow it; the result is still stored under the key
            long grown = m.merge(1, impl.value(1), (a, b) -> {
                for (long k = 1000; k < 3000; k++) m.put(k, impl.value(k));
                return a + b;
            });
            assertEquals(impl.value(104), grown, ctx);
            assertEquals(impl.value(104), m.get(1), ctx + ": value after f grew the map");
            assertEquals(2002, m.size(), ctx);
            // f may even remove the key: merge stores the result again
            assertEquals(impl.value(7), m.merge(1, impl.value(7), (a, b) -> { m.remove(1); return b; }), ctx);
            assertEquals(impl.value(7), m.get(1), ctx + ": value after f removed the key");
            // f throwing: nothing changes, and the map is not left "being written"
            assertThrows(ArithmeticException.class, () -> m.merge(1, impl.value(1), (a, b) -> {
                throw new ArithmeticException("f failed");
            }), ctx);
            assertEquals(impl.value(7), m.get(1), ctx + ": value after f threw");
            assertEquals(impl.value(7), m.put(1, impl.value(8)), ctx + ": writes still work after f threw");
            m.core().checkInvariants();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void putIfAbsentAndSetBasics(Impl impl) {
        try (MapUnderTest m = impl.create()) {
            String ctx = impl.toString();
            for (long k = 0; k < 500; k++) assertEquals(0, m.putIfAbsent(k, impl.value(k + 1)), ctx + ": insert " + k);
            for (long k = 0; k < 500; k++) {
                assertEquals(impl.value(k + 1), m.putIfAbsent(k, impl.value(-k)), ctx + ": existing " + k);
            }
            for (long k = 0; k < 500; k++) assertEquals(impl.value(k + 1), m.get(k), ctx + ": unchanged " + k);
            assertEquals(500, m.size(), ctx);
        }
    }

    @Test
    void setsAddContainsRemove() {
        try (IntSet s = IntSet.create(); LongSet l = LongSet.create()) {
            assertTrue(s.add(1) && l.add(1L));
            assertFalse(s.add(1) || l.add(1L));
            assertTrue(s.contains(1) && l.contains(1L));
            assertFalse(s.contains(2) || l.contains(2L));
            assertTrue(s.remove(1) && l.remove(1L));
            assertFalse(s.remove(1) || l.remove(1L));
            assertTrue(s.isEmpty() && l.isEmpty());
            assertTrue(s.add(0) && l.add(0L) && s.contains(0) && l.contains(0L), "key 0, like an empty slot's bytes");
            assertTrue(l.add(Long.MIN_VALUE) && l.add(Long.MAX_VALUE) && s.add(Integer.MIN_VALUE) && s.add(-1));
            assertEquals(3, l.size());
            assertEquals(3, s.size());
        }
    }

    /** A write while a write is in progress (merge's f runs outside it, so use a cursor-free path). */
    @Test
    void mergeFunctionRunsOutsideTheWrite() {
        try (LongLongMap m = LongLongMap.create()) {
            m.put(1, 1);
            // Would throw ConcurrentModificationException if f ran while hashWriting is set.
            m.merge(1, 1, (a, b) -> {
                m.put(2, 2);
                return a + b;
            });
            assertEquals(2, m.get(1));
            assertEquals(0, m.stats().flags() & 4, "hashWriting is clear after merge");
        } catch (ConcurrentModificationException e) {
            throw new AssertionError("merge ran f inside the write", e);
        }
    }

    // ------------------------------------------------------------------ hints

    /** Go 1.19: makemap's B for a hint (the smallest B with hint <= 6.5 * 2^B, 0 up to 8). */
    static Stream<Arguments> hintTable() {
        long[][] table = {
            {0, 0}, {1, 0}, {8, 0}, {9, 1}, {13, 1}, {14, 2}, {26, 2}, {27, 3}, {52, 3}, {53, 4},
            {104, 4}, {105, 5}, {208, 5}, {209, 6}, {3328, 9}, {3329, 10}, {1 << 20, 18},
        };
        List<Arguments> a = new ArrayList<>();
        for (Impl i : MapImpls.ALL) for (long[] row : table) a.add(Arguments.of(i, row[0], (int) row[1]));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} hint={1} -> B={2}")
    @MethodSource("hintTable")
    void hintGivesGosB(Impl impl, long hint, int b) {
        try (MapUnderTest m = impl.create(hint)) {
            MapStats s = m.stats();
            assertEquals(b, s.B(), impl + ": create(" + hint + ")");
            assertEquals(b == 0 ? 0 : 1L << b, s.buckets(), impl + ": a hint of 0..8 allocates no bucket (Go: nil buckets)");
            assertFalse(s.growing(), impl.toString());
            assertEquals(b, m.raw().headerBytes()[9], impl + ": B in the header");
        }
        try (MapUnderTest m = impl.build(hint, 0, 1)) {
            assertEquals(b, m.stats().B(), impl + ": builder().expectedSize(" + hint + ")");
        }
    }

    static Stream<Arguments> badHints() {
        long[] hints = {0, -1, -8, -9, -1000, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE / 2,
            1L << 48, 1L << 62};
        return MapImpls.ALL.stream().flatMap(i -> java.util.Arrays.stream(hints).mapToObj(h -> Arguments.of(i, h)));
    }

    @ParameterizedTest(name = "{0} hint={1}")
    @MethodSource("badHints")
    void badHintsAreIgnored(Impl impl, long hint) {
        try (MapUnderTest m = impl.create(hint)) {
            String ctx = impl + " hint=" + hint;
            assertEquals(0, m.stats().B(), ctx + ": Go ignores the hint, B = 0");
            for (long k = 0; k < 1000; k++) m.put(k * 31, impl.value(k));
            for (long k = 0; k < 1000; k++) assertEquals(impl.value(k), m.get(k * 31), ctx);
            assertEquals(1000, m.size(), ctx);
            m.core().checkInvariants();
        }
    }

    static Stream<Arguments> presizeHints() {
        long[] hints = {1, 8, 9, 13, 14, 26, 27, 52, 53, 100, 104, 105, 208, 209, 1000, 6656, 6657, 50_000};
        return MapImpls.ALL.stream().flatMap(i -> java.util.Arrays.stream(hints).mapToObj(h -> Arguments.of(i, h)));
    }

    /** Go's promise for make(map, hint): inserting hint entries needs no growth. */
    @ParameterizedTest(name = "{0} hint={1}")
    @MethodSource("presizeHints")
    void fillingAPresizedMapToItsHintNeverGrows(Impl impl, long hint) {
        long seed = ConformanceSuite.RUN_SEED ^ hint;
        String ctx = ctx(impl, seed, "presized hint=" + hint);
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(hint, 0, ConformanceSuite.builderSeed(seed))) {
            int b = m.stats().B();
            assertEquals(ConformanceSuite.goB(hint), b, ctx);
            Set<Long> keys = new HashSet<>();
            while (keys.size() < hint) {
                long k = impl.randomKey(r);
                if (!keys.add(k)) continue;
                m.put(k, impl.value(k));
                MapStats s = m.stats();
                if (s.B() != b || s.growing()) fail(ctx + ": grew at " + keys.size() + " entries: " + s);
            }
            assertEquals(hint, m.size(), ctx);
            MapStats s = m.stats();
            assertEquals(b, s.B(), ctx + ": B after filling to the hint");
            m.core().checkInvariants();
        }
    }

    private static void fail(String msg) {
        org.junit.jupiter.api.Assertions.fail(msg);
    }

    // ------------------------------------------------------------------ introspection

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void headerAndBucketBytesAgreeWithStats(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, ConformanceSuite.builderSeed(seed))) {
            String ctx = ctx(impl, seed, "headerBytes");
            int n = r.nextInt(0, 3000);
            for (int i = 0; i < n; i++) m.put(impl.randomKey(r), impl.randomValue(r));
            if (r.nextBoolean()) for (int i = 0; i < 200 && !m.stats().growing(); i++) m.put(impl.randomKey(r), impl.randomValue(r));
            MapStats s = m.stats();
            byte[] h = m.raw().headerBytes();
            assertEquals(48, h.length, ctx);
            ByteBuffer bb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(m.size(), bb.getLong(0), ctx + ": count");
            assertEquals(s.flags(), h[8] & 0xFF, ctx + ": flags");
            assertEquals(s.B(), h[9] & 0xFF, ctx + ": B");
            assertEquals(s.noverflow(), bb.getShort(10) & 0xFFFF, ctx + ": noverflow");
            assertEquals(s.hash0(), bb.getInt(12), ctx + ": hash0");
            assertEquals(s.growing(), bb.getLong(24) != 0, ctx + ": oldbuckets != nil while growing");
            assertEquals(s.nevacuate(), bb.getLong(32), ctx + ": nevacuate");
            assertEquals(s.count(), m.size(), ctx);
            long nb = 1L << s.B();
            long live = 0;
            for (long i = 0; i < nb; i++) {
                byte[] bucket = m.raw().bucketBytes(i);
                assertEquals(s.bucketSize(), bucket.length, ctx + ": bucket length");
                for (int slot = 0; slot < 8; slot++) if ((bucket[slot] & 0xFF) >= 5) live++; // minTopHash
            }
            if (!s.growing()) assertTrue(live <= m.size(), ctx + ": more live slots than entries");
            assertThrows(IndexOutOfBoundsException.class, () -> m.raw().bucketBytes(-1), ctx);
            assertThrows(IndexOutOfBoundsException.class, () -> m.raw().bucketBytes(nb), ctx);
            // Go's bmap: 8 tophash bytes, 8 key slots, 8 value slots, the overflow pointer (no padding on amd64)
            assertEquals(impl.keyKind().slotSize, s.keySize(), ctx + ": key slot (String: Go's string header)");
            assertEquals(impl.valueKind().slotSize(), s.valueSize(), ctx + ": value slot");
            assertEquals(8 + 8 * (s.keySize() + s.valueSize()) + 8, s.bucketSize(), ctx + ": bucket size");
        }
    }
}
