// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A map sized by its hint and filled to it does not prepare the next, doubled array: that array is made
 * early (at 7/8 of the growth threshold) only for maps that grow past their hint.
 */
class PresizedMapTest {

    @Test
    void fillingToTheHintPreparesNoLargerArray() {
        int hint = 100_000; // B = 14: the threshold is 106,496 and 7/8 of it 93,184, below the hint
        try (LongLongMap m = LongLongMap.create(hint)) {
            long presized = m.stats().offHeapBytes();
            int b = m.stats().B();
            for (long k = 0; k < hint; k++) m.put(k * 0x9E3779B97F4A7C15L, k);
            long filled = m.stats().offHeapBytes();
            assertEquals(b, m.stats().B());
            long nextArray = (1L << (b + 1)) * m.stats().bucketSize();
            assertTrue(filled - presized < nextArray / 4, "filling to the hint took " + (filled - presized)
                    + " bytes more (overflow slabs only; the next array would be " + nextArray + ")");
            for (long k = hint; k < 106_497; k++) m.put(k * 0x9E3779B97F4A7C15L, k); // past the hint: it grows
            assertTrue(m.stats().B() > b || m.stats().growing(), "grew past the threshold");
        }
    }
}
