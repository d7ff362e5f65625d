// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongConsumer;

/**
 * Test-only hook: lets a test make an allocation fail to prove that every failure leaves the map
 * consistent. Not part of the API (this package is not exported); null in production.
 */
public final class FaultInjection {
    private FaultInjection() {}

    /**
     * Two hooks: every allocation of a map's memory, and the small-map pool's cohort mappings. The second
     * is apart because cohorts are shared by many maps and mapped when one fills, whatever the map does:
     * counted with a map's allocations, they would make a workload's allocation points depend on what ran
     * before it.
     */
    private static final int ALLOCATION = 0, COHORT = 1;
    private static final AtomicReferenceArray<LongConsumer> HOOKS = new AtomicReferenceArray<>(2);

    /** Installs a hook called with the byte count before every allocation; it may throw. */
    public static void install(LongConsumer h) {
        HOOKS.set(ALLOCATION, h);
    }

    /** Installs a hook called with the byte count before every cohort mapping; it may throw. */
    public static void installCohortHook(LongConsumer h) {
        HOOKS.set(COHORT, h);
    }

    static void beforeAllocation(long bytes) {
        fire(ALLOCATION, bytes);
    }

    static void beforeCohort(long bytes) {
        fire(COHORT, bytes);
    }

    private static void fire(int point, long bytes) {
        LongConsumer h = HOOKS.get(point);
        if (h != null) h.accept(bytes);
    }
}
