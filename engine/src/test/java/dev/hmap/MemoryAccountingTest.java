// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import dev.hmap.internal.MapCore;
import dev.hmap.internal.MapMemory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5, resources: {@code stats().offHeapBytes()} is exact (equal to the allocator's layout recounted
 * from scratch after every operation of a grow/churn/clear/iterate workload) and drops to zero with the
 * reservation on close(), for every type; and memory plateaus over 10^7 random operations at a
 * steady size (printed as the ratio of the peak to the post-fill level). The steady-state run covers one
 * long and one String type by default and every type under {@code -Dhmap.test.long=true}.
 */
class MemoryAccountingTest {
    static final long SEED = ConformanceSuite.RUN_SEED;
    /**
     * The steady-state runs use a fixed seed unless -Dhmap.test.seed is given: the peaks are the moments
     * of same-size growth, whose height varies by a few percent from cycle to cycle with the key sequence,
     * so a fixed key sequence makes failures reproducible.
     */
    static final long STEADY_SEED = Long.getLong("hmap.test.seed", 1);

    static MapMemory memoryOf(OffHeapMap map) {
        try {
            Field f = MapCore.class.getDeclaredField("memory");
            f.setAccessible(true);
            return (MapMemory) f.get(map);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void offHeapBytesIsExactAndZeroAfterClose(Impl impl) {
        long liveBefore = MapMemory.liveReservations();
        MapUnderTest m = impl.build(0, 0, 7);
        try {
            exactUntilClose(impl, m, liveBefore);
        } finally {
            m.close();
        }
    }

    private static void exactUntilClose(Impl impl, MapUnderTest m, long liveBefore) {
        MapMemory mem = memoryOf(m.raw());
        assertEquals(liveBefore + 1, MapMemory.liveReservations(), "a map holds one reservation");
        SplittableRandom r = new SplittableRandom(SEED);
        List<Long> keys = new ArrayList<>();
        long peak = 0;
        for (int i = 0; i < 30_000; i++) {
            int op = r.nextInt(100);
            String what;
            if (i == 20_000) {
                m.clear();
                keys.clear();
                what = "clear";
            } else if (op < 45 || keys.isEmpty()) {
                long k = impl.key(r.nextLong());
                m.put(k, impl.value(r.nextLong()));
                keys.add(k);
                what = "put";
            } else if (op < 55) { // a present key: a byte-string value of another length takes another block
                m.put(keys.get(r.nextInt(keys.size())), impl.value(r.nextLong()));
                what = "replace";
            } else if (op < 95) {
                int j = r.nextInt(keys.size());
                m.remove(keys.get(j));
                keys.set(j, keys.get(keys.size() - 1));
                keys.remove(keys.size() - 1);
                what = "remove";
            } else {
                Cur c = m.cursor(); // cursors pin arrays: the pinned ones must be counted too
                for (int n = 0; n < 50 && c.next(); n++) {
                    if (n % 7 == 0) m.put(impl.key(r.nextLong()), impl.value(1));
                }
                what = "cursor";
            }
            long reported = m.stats().offHeapBytes();
            peak = Math.max(peak, reported);
            if (reported != mem.recountLiveBytes()) {
                throw new AssertionError(impl + " seed=" + SEED + " op " + i + " (" + what + "): offHeapBytes "
                        + reported + " but the allocator's layout holds " + mem.recountLiveBytes());
            }
        }
        assertTrue(peak > 256 << 10, impl + ": the workload grows the map past 256 KiB, peak " + peak);
        m.close();
        assertTrue(mem.isClosed(), "close() closes the memory");
        assertEquals(0, mem.liveBytes(), impl + ": bytes held after close()");
        assertEquals(liveBefore, MapMemory.liveReservations(), impl + ": the reservation is released by close()");
        m.close(); // idempotent: must not uncount twice
        assertEquals(liveBefore, MapMemory.liveReservations(), impl + ": a second close() changes nothing");
    }

    // ------------------------------------------------------------------ steady state

    /**
     * Fill to n fresh keys, then ops random operations (a third each: put a fresh key, remove a random
     * present key, get), with the size held within 5% of n. offHeapBytes is sampled every 10^4 operations;
     * neither the peak of the second half nor the peak overall may exceed the
     * peak of the first half or the post-fill level by more than PEAK_TOLERANCE. Returns peak / post-fill.
     */
    static double plateau(MapUnderTest m, int n, long ops) {
        Impl impl = m.impl();
        String name = impl.name();
        SplittableRandom r = new SplittableRandom(STEADY_SEED);
        long[] keys = new long[n + n / 10 + 1];
        int size = 0;
        long next = r.nextLong(); // fresh keys: a counter from a random start, mixed by the map's hash
        for (; size < n; size++) put(m, keys[size] = next++);
        long postFill = m.stats().offHeapBytes();
        long[] samples = new long[(int) (ops / 10_000)];
        for (long i = 0; i < ops; i++) {
            int op = r.nextInt(3);
            if (op == 0 && size > n * 0.95 || size > n * 1.05) {
                int j = r.nextInt(size);
                m.remove(impl.key(keys[j]));
                keys[j] = keys[--size];
            } else if (op == 1 || size < n * 0.95) {
                put(m, keys[size++] = next++);
            } else {
                long k = keys[r.nextInt(size)];
                if (m.get(impl.key(k)) != impl.value(k)) {
                    throw new AssertionError(name + " seed=" + STEADY_SEED + ": a present key was not found at op " + i);
                }
            }
            if ((i + 1) % 10_000 == 0) samples[(int) (i / 10_000)] = m.stats().offHeapBytes();
        }
        assertEquals(size, m.size(), name + " seed=" + STEADY_SEED + ": size");
        long firstMax = 0, lastMax = 0;
        for (int i = 0; i < samples.length; i++) {
            if (i < samples.length / 2) firstMax = Math.max(firstMax, samples[i]);
            else lastMax = Math.max(lastMax, samples[i]);
        }
        double ratio = (double) Math.max(firstMax, lastMax) / postFill;
        StringBuilder tenths = new StringBuilder();
        for (int t = 0; t < 10; t++) {
            long max = 0;
            for (int i = t * samples.length / 10; i < (t + 1) * samples.length / 10; i++) max = Math.max(max, samples[i]);
            tenths.append(t == 0 ? "" : " ").append(max >> 10);
        }
        System.out.printf("[steady] %s peak KiB per tenth of the run: %s%n", name, tenths);
        System.out.printf("[steady] %s n=%d ops=%d: post-fill %d B, peak first half %d B, peak second half %d B, "
                + "peak/post-fill %.3f, final %d B (seed %d)%n", name, n, ops, postFill, firstMax, lastMax, ratio,
                samples[samples.length - 1], STEADY_SEED);
        assertTrue(lastMax <= firstMax * PEAK_TOLERANCE, name + " seed=" + STEADY_SEED + ": memory keeps growing at a steady size: peak "
                + lastMax + " B in the second half > " + firstMax + " B in the first (post-fill " + postFill + ")");
        assertTrue(ratio <= PEAK_TOLERANCE, name + " seed=" + STEADY_SEED + ": memory at a steady size peaked at "
                + Math.max(firstMax, lastMax) + " B, " + ratio + "x the " + postFill + " B after the fill");
        return ratio;
    }

    /** Key k with value k (folded into the type's domains). */
    private static void put(MapUnderTest m, long k) {
        m.put(m.impl().key(k), m.impl().value(k));
    }

    static final long OPS = 10_000_000;
    /**
     * Deletes keep overflow chains packed and reuse emptied buckets, so no same-size growth happens and the
     * footprint after the fill is the footprint for good (observed: exactly 1.000 for LongLong and
     * StringLong, seed 1). The slack allows a random key mix to need a few more overflow buckets or key
     * size-class pages than the fill did; a leak, or Go's overflow build-up (peaks of 1.6-1.7x), exceeds it.
     */
    static final double PEAK_TOLERANCE = 1.03;

    @Test
    void longLongMemoryPlateausAtSteadySize() {
        try (MapUnderTest m = MapImpls.named("LongLongMap").build(0, 0, 3)) {
            plateau(m, 100_000, OPS);
        }
    }

    /** Keys of 9 to 24 bytes: past the 8-byte inline threshold, so key bytes are allocated too. */
    @Test
    void stringLongMemoryPlateausAtSteadySize() {
        StringKeyCodec.Codec hex = StringKeyCodec.of(k -> "key-" + Long.toHexString(k), s -> Long.parseUnsignedLong(s, 4, s.length(), 16));
        try (MapUnderTest m = MapImpls.named("StringLongMap").withCodec(hex).build(0, 0, 3)) {
            plateau(m, 100_000, OPS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void everyTypePlateausAtSteadySize(Impl impl) {
        Assumptions.assumeTrue(ConformanceSuite.LONG, "long mode (-Dhmap.test.long=true)");
        try (MapUnderTest m = impl.build(0, 0, 3)) {
            plateau(m, 100_000, OPS);
        }
    }
}
