// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.function.LongConsumer;

/**
 * Test-only hook: lets a test make an allocation fail to prove that every failure leaves the map
 * consistent. Not part of the API (this package is not exported); null in production.
 */
public final class FaultInjection {
    private FaultInjection() {}

    private static volatile LongConsumer hook;

    /** Installs a hook called with the byte count before every allocation; it may throw. */
    public static void install(LongConsumer h) {
        hook = h;
    }

    static void beforeAllocation(long bytes) {
        LongConsumer h = hook;
        if (h != null) h.accept(bytes);
    }
}
