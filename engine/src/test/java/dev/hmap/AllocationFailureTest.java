// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.FaultInjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every allocation a workload makes (first bucket, growth arrays, overflow buckets and slabs, String key
 * bytes) is made to fail once, in turn: the failing call throws OffHeapOutOfMemoryError, the map keeps
 * exactly its previous contents and invariants, the same call succeeds when retried, and an evacuation
 * the failure interrupted still completes. Every type (through MapUnderTest), plus String keys over
 * 2 KiB and colliding long keys; each prints how many allocation points it failed.
 */
class AllocationFailureTest {
    static final long SEED = 0x5EED;

    @AfterEach
    void uninstall() {
        FaultInjection.install(null);
    }

    /** String keys of several lengths, some over 2 KiB (page-sized key blocks). */
    static final StringKeyCodec.Codec PADDED = StringKeyCodec.of(
            k -> "#".repeat((int) (k % 7 == 0 ? 2100 : k % 5 * 9)) + ":" + k, s -> Long.parseLong(s.substring(s.indexOf(':') + 1)));

    /** Failed calls that hit a map in the middle of an evacuation (see failEachAllocationInTurn). */
    static long failuresDuringGrowth;

    /**
     * The workload, in thirds: grow from empty, churn (removes and inserts over a narrower key range),
     * then clear and grow again; keyOf maps the workload's keys to the map's. Returns the number of failed calls.
     */
    static long workload(MapUnderTest m, LongUnaryOperator keyOf, Map<Long, Long> ref, boolean checkEach, int steps) {
        SplittableRandom r = new SplittableRandom(SEED);
        long failures = 0;
        int third = steps / 3;
        for (int step = 0; step < steps; step++) {
            int phase = step / third;
            for (;;) { // retry the same operation until it succeeds
                try {
                    if (step == 2 * third) {
                        m.clear();
                        ref.clear();
                    } else if (phase == 0 || phase == 2 || r.nextBoolean()) {
                        long k = keyOf.applyAsLong(r.nextLong(phase == 1 ? 2 * third : 1_000_000)), v = m.impl().value(r.nextLong());
                        long prev = m.put(k, v);
                        Long want = ref.put(k, v);
                        assertEquals(want == null ? 0 : want, prev, "put " + k);
                    } else {
                        long k = keyOf.applyAsLong(r.nextLong(2 * third));
                        long prev = m.remove(k);
                        Long want = ref.remove(k);
                        assertEquals(want == null ? 0 : want, prev, "remove " + k);
                    }
                    break;
                } catch (OffHeapOutOfMemoryError e) {
                    failures++;
                    if (m.core().stats().growing()) failuresDuringGrowth++;
                    assertTrue(e.requestedBytes() > 0, e.getMessage());
                    if (checkEach) {
                        m.core().checkInvariants();
                        assertEquals(ref.size(), m.size(), "size after a failed call at step " + step);
                        assertEquals(ref, contents(m), "contents after a failed call at step " + step);
                    }
                }
            }
        }
        return failures;
    }

    static Map<Long, Long> contents(MapUnderTest m) {
        Map<Long, Long> out = new HashMap<>();
        m.forEach(out::put);
        return out;
    }

    /** Returns the number of allocation points failed. */
    static long failEachAllocationInTurn(Supplier<MapUnderTest> make, LongUnaryOperator keyOf, int steps) {
        // Dry run: count the allocations the workload makes.
        // The map is made before the hook goes in, in both runs (making one is tested on its own).
        long[] count = {0};
        try (MapUnderTest m = make.get()) {
            FaultInjection.install(bytes -> count[0]++);
            workload(m, keyOf, new HashMap<>(), false, steps);
        }
        long total = count[0];
        assertTrue(total > 5, "the workload allocates: " + total);
        long failed = 0;
        for (long k = 1; k <= total; k++) {
            long target = k;
            long[] seen = {0};
            try (MapUnderTest m = make.get()) {
                Map<Long, Long> ref = new HashMap<>();
                FaultInjection.install(bytes -> {
                    if (++seen[0] == target) {
                        throw new OffHeapOutOfMemoryError("injected failure of allocation " + target, bytes);
                    }
                });
                failed += workload(m, keyOf, ref, true, steps);
                FaultInjection.install(null);
                m.core().checkInvariants();
                assertEquals(ref, contents(m), "final contents, allocation " + k + " failed");
                finishEvacuation(m, keyOf, ref);
            }
        }
        assertEquals(total, failed, "every allocation point was failed once");
        return total;
    }

    /** An evacuation that an injected failure interrupted still completes: rewrites drive it to the end. */
    static void finishEvacuation(MapUnderTest m, LongUnaryOperator keyOf, Map<Long, Long> ref) {
        for (int i = 0; m.core().stats().growing(); i++) {
            assertTrue(i < 1_000_000, "the evacuation never completes");
            long k = ref.isEmpty() ? keyOf.applyAsLong(i) : ref.keySet().iterator().next();
            long v = m.impl().value(i);
            m.put(k, v);
            ref.put(k, v);
        }
        m.core().checkInvariants();
        assertEquals(ref, contents(m), "contents after the evacuation completed");
    }

    static final java.util.concurrent.atomic.AtomicLong POINTS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Every type: every allocation point of a grow/churn/clear workload fails once in turn. Fewer
     * steps for String keys, since every key is an allocation too.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("dev.hmap.ConformanceSuite#all")
    void everyTypeSurvivesEveryAllocationFailure(MapImpls.Impl impl) {
        failuresDuringGrowth = 0;
        long points = failEachAllocationInTurn(() -> impl.build(0, 0, 1), impl::key, impl.ownsBytes() ? 450 : 9000);
        long total = POINTS.addAndGet(points);
        System.out.printf("[alloc-failure] %s: %d allocation points failed (%d during an evacuation); "
                + "running total %d%n", impl, points, failuresDuringGrowth, total);
        assertTrue(failuresDuringGrowth > 0, "some failure must hit an evacuation in progress");
    }

    /**
     * Keys that all land in old bucket 0 for hash0 = 1 up to B = 12: long overflow chains, so evacuating
     * that bucket needs fresh overflow buckets, which it reserves before moving anything.
     */
    static long[] collidingKeys() {
        long s0 = dev.hmap.internal.Hashing.seed0(1), s1 = dev.hmap.internal.Hashing.seed1(1);
        long[] keys = new long[400];
        for (long k = 0, n = 0; n < keys.length; k++) {
            if ((dev.hmap.internal.Hashing.hash64(k, s0, s1) & 0xFFF) == 0) keys[(int) n++] = k;
        }
        return keys;
    }

    @Test
    void collidingKeysSurviveEveryAllocationFailure() {
        long[] keys = collidingKeys();
        failEachAllocationInTurn(() -> MapImpls.named("LongLongMap").build(0, 0, 1), k -> keys[(int) (k % keys.length)], 1200);
    }

    @Test
    void stringLongMapSurvivesEveryAllocationFailure() {
        // Every key is an allocation too, so fewer steps keep the run short (~250 allocation points).
        failEachAllocationInTurn(() -> MapImpls.named("StringLongMap").withCodec(PADDED).build(0, 0, 1), k -> k, 450);
    }
}
