// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.MapMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leak check can fail: an open map is reported with where it was made, a closed one is not. */
class LeakCheckExtensionTest {
    @Test
    void reportsAnOpenMapAndWhereItWasMade() {
        long before = MapMemory.liveReservations();
        IntSet set = IntSet.builder().build();
        try {
            String report = LeakCheckExtension.leakReport("this test", before);
            assertNotNull(report, "an open map is a leak");
            assertTrue(report.contains("leaked 1 map"), report);
            if (Boolean.getBoolean("hmap.trackMemory")) {
                assertTrue(report.contains("reportsAnOpenMapAndWhereItWasMade"), report);
            }
        } finally {
            set.close();
        }
        assertEquals(before, MapMemory.liveReservations());
        assertNull(LeakCheckExtension.leakReport("this test", before), "a closed map is no leak");
    }
}
