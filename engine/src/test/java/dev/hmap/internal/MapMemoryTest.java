// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.*;

class MapMemoryTest {

    static boolean allZero(MemorySegment m, long off, long len) {
        for (long i = 0; i < len; i += 8) if (m.get(Layouts.LONG, off + i) != 0) return false;
        return true;
    }

    @Test
    void blocksAreZeroAlignedDisjointAndReused() {
        try (var ignored = new Closer(MapMemory.reserve(0))) {
            MapMemory mm = ignored.m;
            long small = mm.allocate(144), page = mm.allocate(10_000), huge = mm.allocate(5L << 20);
            MemorySegment m = mm.segment();
            assertTrue(small >= MapMemory.RESERVED_PREFIX && small % 16 == 0);
            assertEquals(0, page % MapMemory.PAGE);
            assertEquals(0, huge % (2L << 20), "large blocks are huge-page aligned");
            assertTrue(allZero(m, small, 144) && allZero(m, page, 10_000) && allZero(m, huge, 5L << 20));
            m.asSlice(small, 144).fill((byte) 7);
            m.asSlice(page, 10_000).fill((byte) 7);
            m.asSlice(huge, 5L << 20).fill((byte) 7);
            long live = mm.liveBytes();
            mm.free(page, 10_000);
            mm.free(huge, 5L << 20);
            mm.free(small, 144);
            assertTrue(mm.hasDeferred(), "page blocks go back to the kernel later, in steps");
            assertEquals(live, mm.liveBytes(), "until then they still count");
            mm.releaseDeferred(2L << 20);
            assertTrue(mm.hasDeferred(), "one step hands back at most its budget");
            mm.releaseDeferred(Long.MAX_VALUE);
            assertFalse(mm.hasDeferred());
            assertEquals(live - (5L << 20) - 3 * MapMemory.PAGE, mm.liveBytes(), "exact accounting");
            long huge2 = mm.allocate(5L << 20), page2 = mm.allocate(10_000), small2 = mm.allocate(130);
            assertEquals(huge, huge2, "freed ranges are reused");
            assertEquals(small, small2, "size classes are reused");
            m = mm.segment();
            assertTrue(allZero(m, huge2, 5L << 20), "a reused range reads zero (MADV_DONTNEED)");
            assertTrue(allZero(m, page2, 10_000));
            assertTrue(allZero(m, small2, 144), "a reused size-class block is zeroed");
            assertNull(mm.checkConsistency());
        }
    }

    @Test
    void releaseAndZeroGiveZeroPages() {
        try (var c = new Closer(MapMemory.reserve(0))) {
            MapMemory mm = c.m;
            long off = mm.allocate(8L << 20);
            MemorySegment m = mm.segment();
            m.asSlice(off, 8L << 20).fill((byte) 1);
            long end = mm.release(off + 100, off + (4L << 20) + 5);
            assertEquals(off + (4L << 20), end, "whole huge pages only");
            assertEquals(1, m.get(Layouts.BYTE, off + (2L << 20) - 1), "a partly covered huge page is kept");
            assertTrue(allZero(m, off + (2L << 20), 2L << 20));
            assertEquals(off + 5, mm.release(off + 5, off + (1L << 20)), "nothing to release");
            mm.zero(off + 3, (8L << 20) - 10);
            assertEquals(1, m.get(Layouts.BYTE, off + 2));
            assertTrue(allZero(m, off + 8, (8L << 20) - 16));
            assertEquals(1, m.get(Layouts.BYTE, off + (8L << 20) - 1));
        }
    }

    @Test
    void theReservationMovesWithoutCopyingAndTheOldRangeStaysReadable() {
        try (var c = new Closer(MapMemory.reserve(0))) {
            MapMemory mm = c.m;
            long before = mm.reservedBytes();
            long a = mm.allocate(1 << 20);
            MemorySegment old = mm.segment();
            old.set(Layouts.LONG, a, 0xC0FFEEL);
            long b = mm.allocate(before); // cannot fit: the reservation grows
            assertTrue(mm.reservedBytes() > before);
            MemorySegment now = mm.segment();
            assertNotEquals(old.address(), now.address());
            assertEquals(0xC0FFEEL, now.get(Layouts.LONG, a), "contents moved with the pages");
            assertEquals(0L, old.get(Layouts.LONG, a), "a stale segment reads zero instead of faulting");
            assertTrue(allZero(now, b, 1 << 20));
        }
    }

    @Test
    void closeFreesEverythingAndLaterUseThrows() {
        MapMemory mm = MapMemory.reserve(0);
        long a = mm.allocate(4096);
        MemorySegment seg = mm.segment();
        mm.close();
        mm.close(); // idempotent
        assertEquals(0, mm.liveBytes());
        assertThrows(IllegalStateException.class, () -> seg.get(Layouts.LONG, a), "the arena is closed");
        assertThrows(IllegalStateException.class, () -> mm.allocate(16));
    }

    record Closer(MapMemory m) implements AutoCloseable {
        @Override
        public void close() {
            m.close();
        }
    }
}
