// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A hint Go would honor but whose buckets this machine cannot hold fails cleanly, not later at a touch. */
class HugeHintTest {
    @Test
    void anHonoredHintBeyondPhysicalMemoryThrowsAClearError() {
        long hint = 1L << 40; // Go honors it (1 TiB entries, ~22 TiB of buckets)
        OffHeapOutOfMemoryError e = assertThrows(OffHeapOutOfMemoryError.class, () -> LongLongMap.create(hint));
        assertTrue(e.requestedBytes() > (1L << 40), "names the bytes asked for: " + e.getMessage());
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
        try (LongLongMap m = LongLongMap.create(1 << 16)) { // and the next map is fine
            m.put(1, 1);
            assertEquals(1, m.get(1));
        }
    }
}
