// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.MapMemory;
import dev.hmap.internal.SmallPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fails every test class that leaves map memory live: the count of open reservations
 * ({@link MapMemory#liveReservations()}) must be back where it was when the class started, and with no map
 * open, no region of the small-map pool may be left live. Registered for
 * all tests by autodetection (junit-platform.properties, META-INF/services). With
 * {@code -Dhmap.trackMemory=true} (set by the surefire configuration) the failure shows where each leaked
 * map was made. Test classes run one at a time, so a class's delta is its own.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheckExtension.class);
    /** Reservations that existed before a class started (not its own to close). */
    private static final Set<Throwable> SEEN = ConcurrentHashMap.newKeySet();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("live", MapMemory.liveReservations());
        SEEN.addAll(MapMemory.liveSites(t -> true));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String leak = leakReport(context.getDisplayName(), context.getStore(NS).get("live", Long.class));
        if (leak != null) throw new AssertionError(leak);
    }

    /** Null when no more reservations are live than {@code before}; else what leaked and where. */
    static String leakReport(String name, long before) {
        long after = MapMemory.liveReservations();
        // With every map closed, no pooled region may be left live: one given back twice (or never) would
        // show here, whatever the class did to its maps.
        if (after == 0 && SmallPool.pinnedBytes() != 0) {
            return name + " left " + SmallPool.pinnedBytes() + " bytes of the small-map pool pinned with no map open";
        }
        if (after <= before) return null;
        List<Throwable> sites = MapMemory.liveSites(t -> !SEEN.contains(t));
        StringBuilder sb = new StringBuilder(name + " leaked " + (after - before)
                + " map(s): close every map a test makes (try-with-resources)");
        for (Throwable t : sites.subList(0, Math.min(3, sites.size()))) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            sb.append('\n').append(w.toString().lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse(""));
        }
        SEEN.addAll(sites); // report each leak once
        return sb.toString();
    }
}
