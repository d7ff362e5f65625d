// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared machinery of the conformance suites (DifferentialTest, IterationSemanticsTest, ViewContractTest,
 * CloseSemanticsTest, ApiExtrasTest): the implementations and seeds they run over, the reference model,
 * and assertion helpers that always name the implementation and the seed.
 *
 * <p>Seeds: every randomized test runs with a few fixed seeds plus one random seed per run, printed at
 * start-up. {@code -Dhmap.test.seed=N} replaces the random one (to reproduce a failure, pass the seed the
 * failure message names). {@code -Dhmap.test.long=true} adds 4 seeds and makes command streams 5 times
 * longer, and enables the B >= 16 differential run (where Go's noverflow becomes approximate).
 */
final class ConformanceSuite {
    private ConformanceSuite() {}

    /** Longer variants: {@code -Dhmap.test.long=true}. */
    static final boolean LONG = Boolean.getBoolean("hmap.test.long");

    /** The per-run random seed (or {@code -Dhmap.test.seed}). */
    static final long RUN_SEED;

    static {
        Long fixed = Long.getLong("hmap.test.seed");
        RUN_SEED = fixed != null ? fixed : new SplittableRandom().nextLong();
        System.out.println("[hmap conformance] run seed = " + RUN_SEED + (fixed != null ? " (from -Dhmap.test.seed)"
                : " (random; reproduce with -Dhmap.test.seed=" + RUN_SEED + ")") + (LONG ? ", long mode" : ""));
    }

    private static final long[] FIXED_SEEDS = {1, 42, 0x5EED_CAFE_F00DL};

    /** Fixed seeds, the run seed, and in long mode 4 more derived from the run seed. */
    static long[] seeds() {
        LongStream s = LongStream.concat(Arrays.stream(FIXED_SEEDS), LongStream.of(RUN_SEED));
        if (LONG) s = LongStream.concat(s, new SplittableRandom(RUN_SEED).longs(4));
        return s.distinct().toArray();
    }

    /** Scales a count (operations, sizes) in long mode. */
    static int scaled(int n) {
        return LONG ? n * 5 : n;
    }

    static Stream<Impl> all() {
        return MapImpls.ALL.stream();
    }

    static Stream<Impl> maps() {
        return MapImpls.MAPS.stream();
    }

    /** Maps of word values: with a missing value, addTo and merge. */
    static Stream<Impl> wordMaps() {
        return MapImpls.WORD_MAPS.stream();
    }

    static Stream<Arguments> wordMapsWithSeeds() {
        return withSeeds(MapImpls.WORD_MAPS);
    }

    static Stream<Impl> sets() {
        return MapImpls.SETS.stream();
    }

    static Stream<Impl> strings() {
        return MapImpls.STRINGS.stream();
    }

    static Stream<Arguments> allWithSeeds() {
        return withSeeds(MapImpls.ALL);
    }

    static Stream<Arguments> mapsWithSeeds() {
        return withSeeds(MapImpls.MAPS);
    }

    static Stream<Arguments> setsWithSeeds() {
        return withSeeds(MapImpls.SETS);
    }

    /** The String types with all the suite's seeds (for the String tests themselves). */
    static Stream<Arguments> stringsWithSeeds() {
        long[] seeds = seeds();
        return MapImpls.STRINGS.stream().flatMap(i -> Arrays.stream(seeds).mapToObj(s -> Arguments.of(i, s)));
    }

    private static Stream<Arguments> withSeeds(List<Impl> impls) {
        long[] seeds = seeds(), stringSeeds = stringSeeds();
        return impls.stream().flatMap(i -> Arrays.stream(i.byteStringKeys() ? stringSeeds : seeds).mapToObj(s -> Arguments.of(i, s)));
    }

    /**
     * String maps and sets run with fewer seeds (their operations cost several times more, and the key
     * mapping already varies the keys' forms): seed 42, the run seed, and in long mode the 4 more.
     */
    static long[] stringSeeds() {
        return Arrays.stream(seeds()).filter(s -> s != 1 && s != 0x5EED_CAFE_F00DL).toArray();
    }

    /** A builder seed (hash0 and cursor starts) derived from the test seed, so failures replay exactly. */
    static int builderSeed(long seed) {
        long z = seed * 0x9E3779B97F4A7C15L;
        return (int) (z ^ (z >>> 32));
    }

    /** The context every assertion message starts with. */
    static String ctx(Impl impl, long seed, String what) {
        return impl + " seed=" + seed + " [" + what + "] (reproduce: -Dhmap.test.seed=" + seed + ")";
    }

    /** Go's makemap: the smallest B with hint <= 6.5 * 2^B (or hint <= 8). For moderate hints. */
    static int goB(long hint) {
        int b = 0;
        while (hint > 8 && hint > 13 * ((1L << b) / 2)) b++;
        return b;
    }

    /** MapCore.checkInvariants with the context prepended to its message. */
    static void checkInvariants(MapUnderTest m, Supplier<String> ctx) {
        try {
            m.core().checkInvariants();
        } catch (AssertionError e) {
            throw new AssertionError(ctx.get() + ": invariant violated: " + e.getMessage(), e);
        }
    }

    /** Asserts m holds exactly ref: size, every lookup, and one full cursor walk (each key once). */
    static void assertSameContents(MapUnderTest m, RefMap ref, Supplier<String> ctx) {
        assertEquals(ref.size(), m.size(), () -> ctx.get() + ": size");
        assertEquals(ref.size() == 0, m.isEmpty(), () -> ctx.get() + ": isEmpty");
        for (Map.Entry<Long, Long> e : ref.map.entrySet()) {
            long k = e.getKey();
            if (!m.containsKey(k)) fail(ctx.get() + ": key " + k + " missing");
            assertEquals(e.getValue().longValue(), m.get(k), () -> ctx.get() + ": value of key " + k);
        }
        Set<Long> seen = new HashSet<>();
        Cur c = m.cursor();
        while (c.next()) {
            long k = c.key();
            if (!seen.add(k)) fail(ctx.get() + ": cursor visited key " + k + " twice");
            Long v = ref.map.get(k);
            if (v == null) fail(ctx.get() + ": cursor visited key " + k + " which is not in the map");
            assertEquals(v.longValue(), c.value(), () -> ctx.get() + ": cursor value of key " + k);
        }
        assertEquals(ref.size(), seen.size(), () -> ctx.get() + ": cursor visited " + seen.size() + " keys");
    }

    /**
     * The reference model: a java.util.HashMap plus a dense key list, so a random present key can be
     * picked in O(1).
     */
    static final class RefMap {
        final HashMap<Long, Long> map = new HashMap<>();
        private final ArrayList<Long> keys = new ArrayList<>();
        private final HashMap<Long, Integer> pos = new HashMap<>();

        Long put(long k, long v) {
            Long prev = map.put(k, v);
            if (prev == null) {
                pos.put(k, keys.size());
                keys.add(k);
            }
            return prev;
        }

        Long get(long k) {
            return map.get(k);
        }

        boolean containsKey(long k) {
            return map.containsKey(k);
        }

        Long remove(long k) {
            Long prev = map.remove(k);
            if (prev != null) {
                int i = pos.remove(k);
                Long last = keys.remove(keys.size() - 1);
                if (i < keys.size()) {
                    keys.set(i, last);
                    pos.put(last, i);
                }
            }
            return prev;
        }

        void clear() {
            map.clear();
            keys.clear();
            pos.clear();
        }

        int size() {
            return map.size();
        }

        /** A present key chosen uniformly; the map must not be empty. */
        long randomKey(SplittableRandom r) {
            return keys.get(r.nextInt(keys.size()));
        }

        Set<Long> keySet() {
            return new HashSet<>(map.keySet());
        }
    }
}
