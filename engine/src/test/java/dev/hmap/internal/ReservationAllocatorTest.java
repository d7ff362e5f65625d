// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.hmap.internal.MapMemory.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The reservation's page-block allocator: a differential run against the linear first-fit scan it
 * replaced (same offsets, same free ranges), a run over both heaps and the size classes that checks only
 * the invariants, and a count of the index's steps on a reservation with 10,000 holes.
 *
 * <p>Seeds: a few fixed ones and one random per run; {@code -Dhmap.test.seed=N} replaces the random one
 * (every failure names its seed), {@code -Dhmap.test.long=true} makes the runs 20 times longer.
 */
class ReservationAllocatorTest {
    static final boolean LONG = Boolean.getBoolean("hmap.test.long");
    static final long RUN_SEED;

    static {
        Long fixed = Long.getLong("hmap.test.seed");
        RUN_SEED = fixed != null ? fixed : new SplittableRandom().nextLong();
    }

    static long[] seeds() {
        return new long[] {1, 42, RUN_SEED};
    }

    static int ops(int n) {
        return LONG ? 20 * n : n;
    }

    /**
     * A size in bytes above 2 KiB: mostly a few pages, some near the zone limit, some huge, rarely very
     * large; only below the zone limit while {@code smallOnly} (bounds what the run keeps resident).
     */
    static long randomBytes(Random rnd, boolean smallOnly) {
        int k = rnd.nextInt(smallOnly ? 750 : 1000);
        if (k < 400) return MAX_SMALL + 1 + rnd.nextInt((int) (4 * PAGE) - MAX_SMALL);
        if (k < 600) return 4 * PAGE + 1 + rnd.nextInt((int) (28 * PAGE));
        if (k < 750) return 32 * PAGE + rnd.nextInt((int) (SMALL_BLOCK_LIMIT - 32 * PAGE + 2 * PAGE));
        if (k < 900) return SMALL_BLOCK_LIMIT + rnd.nextInt((int) (HUGE_PAGE - SMALL_BLOCK_LIMIT + PAGE));
        if (k < 997) return HUGE_PAGE + rnd.nextInt((int) (4 * HUGE_PAGE));
        return (64L << 20) + rnd.nextInt(192 << 20);
    }

    // ---------------------------------------------------------------- differential

    @Test
    void pageBlocksMatchTheFirstFitScanTheyReplace() {
        for (long seed : seeds()) differential(seed, ops(10_000));
    }

    private static void differential(long seed, int ops) {
        Random rnd = new Random(seed);
        Reservation r = Reservation.reserve(0);
        FirstFitModel model = new FirstFitModel();
        Live live = new Live(r);
        int step = 0, most = 0;
        long reserved = r.reservedBytes();
        try {
            for (; step < ops; step++) {
                most = Math.max(most, r.freeRanges().count());
                int k = rnd.nextInt(100);
                long grow = r.reservedBytes() - SMALL_ZONE + PAGE; // fits nowhere: the reservation moves (mremap)
                if (step == ops / 2 && grow <= 2L << 30) {
                    long before = r.reservedBytes(), off = r.allocate(grow);
                    assertEquals(model.allocate(alignUp(grow, PAGE)), off, "growth: offset");
                    assertTrue(r.reservedBytes() > before, "the reservation grew");
                    live.allocated(r.segment(), off, grow, STRUCTURE);
                    live.checkAllPatterns(r.segment()); // every block moved with its pages
                } else if (live.isEmpty() || (k < 50 && live.size() < 1_500)) {
                    long bytes = randomBytes(rnd, live.large >= 40), off = r.allocate(bytes); // may move the segment
                    assertEquals(model.allocate(alignUp(bytes, PAGE)), off, "first fit chose another offset");
                    live.allocated(r.segment(), off, bytes, STRUCTURE);
                } else if (k < 90) {
                    long[] b = live.removeRandom(rnd, r.segment());
                    long off = b[0], bytes = b[1], size = alignUp(bytes, PAGE);
                    if (size >= 4 * HUGE_PAGE && rnd.nextBoolean()) {
                        long upTo = r.release(off, off + rnd.nextLong(size));
                        r.freeReleased(off, bytes, upTo);
                        model.freeReleased(off, size, upTo);
                    } else {
                        r.free(off, bytes);
                        model.freeReleased(off, size, off);
                    }
                } else {
                    long budget = rnd.nextInt(4) == 0 ? Long.MAX_VALUE : rnd.nextLong(6 * HUGE_PAGE);
                    r.releaseDeferred(budget);
                    model.releaseDeferred(budget);
                }
                assertEquals(r.liveBytes(), r.recountLiveBytes(), "recount");
                assertEquals(model.liveBytes(live), r.liveBytes(), "liveBytes");
                if (step % 16 == 0) {
                    assertArrayEquals(model.ranges(), r.freeRanges().ranges(), "free ranges");
                    assertNull(r.checkConsistency());
                }
                if (step % 512 == 0) live.checkAllPatterns(r.segment());
            }
            r.releaseDeferred(Long.MAX_VALUE);
            model.releaseDeferred(Long.MAX_VALUE);
            assertArrayEquals(model.ranges(), r.freeRanges().ranges(), "free ranges at the end");
            assertNull(r.checkConsistency());
            live.checkAllPatterns(r.segment());
            assertTrue(r.reservedBytes() > reserved, "the run made the reservation grow");
            System.out.println("[reservation allocator] seed " + seed + ": " + ops + " operations, up to " + most
                    + " free ranges, reservation " + (reserved >> 20) + " -> " + (r.reservedBytes() >> 20) + " MiB");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (reproduce with -Dhmap.test.seed=" + seed + "), step "
                    + step + ": " + e.getMessage(), e);
        } finally {
            r.close();
        }
    }

    /**
     * The allocator this index replaced, written as plainly as possible: first fit by a linear scan over
     * the free ranges of the block's zone, then the bump pointers; freed page ranges deferred and handed
     * back as {@link Reservation#releaseDeferred} does.
     */
    static final class FirstFitModel {
        final TreeMap<Long, Long> free = new TreeMap<>();
        long smallTop = PAGE, hugeTop = SMALL_ZONE;
        final ArrayList<long[]> deferred = new ArrayList<>();

        long allocate(long size) {
            long align = size >= HUGE_PAGE ? HUGE_PAGE : PAGE;
            boolean small = size < SMALL_BLOCK_LIMIT;
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                long s = e.getKey(), end = s + e.getValue();
                if ((s < SMALL_ZONE) != small) continue;
                long a = alignUp(s, align);
                if (a + size <= end) {
                    free.remove(s);
                    if (a > s) free.put(s, a - s);
                    if (a + size < end) free.put(a + size, end - a - size);
                    return a;
                }
            }
            if (small && smallTop + size <= SMALL_ZONE) {
                smallTop += size;
                return smallTop - size;
            }
            if (small) { // the small zone is full: a range of the huge zone, before its top
                for (Map.Entry<Long, Long> e : free.tailMap(SMALL_ZONE).entrySet()) {
                    long s = e.getKey(), end = s + e.getValue();
                    if (s + size <= end) {
                        free.remove(s);
                        if (s + size < end) free.put(s + size, end - s - size);
                        return s;
                    }
                }
            }
            long a = alignUp(hugeTop, align);
            if (a > hugeTop) addFree(hugeTop, a - hugeTop);
            hugeTop = a + size;
            return a;
        }

        void addFree(long off, long size) {
            Map.Entry<Long, Long> p = free.lowerEntry(off), n = free.higherEntry(off);
            boolean zone = off < SMALL_ZONE;
            if (n != null && n.getKey() == off + size && (n.getKey() < SMALL_ZONE) == zone) {
                free.remove(n.getKey());
                size += n.getValue();
            }
            if (p != null && p.getKey() + p.getValue() == off && (p.getKey() < SMALL_ZONE) == zone) {
                free.put(p.getKey(), p.getValue() + size);
            } else {
                free.put(off, size);
            }
        }

        void freeReleased(long off, long size, long releasedUpTo) {
            long from = Math.min(Math.max(alignUp(releasedUpTo, PAGE), off), off + size);
            if (from > off) addFree(off, from - off);
            if (from < off + size) deferred.add(new long[] {from, off + size - from});
        }

        void releaseDeferred(long budget) {
            while (budget > 0 && !deferred.isEmpty()) {
                long[] d = deferred.get(deferred.size() - 1);
                long n = Math.min(d[1], Math.max(HUGE_PAGE - (d[0] & (HUGE_PAGE - 1)), budget & -HUGE_PAGE));
                addFree(d[0], n);
                budget -= n;
                if (n == d[1]) {
                    deferred.remove(deferred.size() - 1);
                } else {
                    d[0] += n;
                    d[1] -= n;
                }
            }
        }

        /** The header page, the live blocks, and what waits to be handed back. */
        long liveBytes(Live live) {
            long n = PAGE;
            for (long[] b : live.blocks.values()) n += alignUp(b[1], PAGE);
            for (long[] d : deferred) n += d[1];
            return n;
        }

        long[] ranges() {
            long[] out = new long[2 * free.size()];
            int i = 0;
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                out[i++] = e.getKey();
                out[i++] = e.getValue();
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- both heaps and the size classes

    @Test
    void blocksOfBothHeapsAndAllSizesStayApartAlignedAndZero() {
        for (long seed : seeds()) mixed(seed, ops(10_000));
    }

    private static void mixed(long seed, int ops) {
        Random rnd = new Random(seed);
        Reservation r = Reservation.reserve(0);
        Live live = new Live(r);
        int step = 0;
        try {
            for (; step < ops; step++) {
                int k = rnd.nextInt(1000);
                int heap = rnd.nextInt(3) == 0 ? BYTES : STRUCTURE;
                if (k < 3) {
                    r.dropHeap(BYTES);
                    live.dropped(BYTES);
                } else if (live.isEmpty() || (k < 500 && live.size() < 1_500)) {
                    long bytes = rnd.nextBoolean() ? 1 + rnd.nextInt(MAX_SMALL) : randomBytes(rnd, live.large >= 40);
                    long off = r.allocate(bytes, heap); // may move the segment
                    live.allocated(r.segment(), off, bytes, heap);
                } else if (k < 900) {
                    long[] b = live.removeRandom(rnd, r.segment());
                    r.free(b[0], b[1], (int) b[2]);
                } else {
                    r.releaseDeferred(rnd.nextInt(4) == 0 ? Long.MAX_VALUE : rnd.nextLong(6 * HUGE_PAGE));
                }
                assertEquals(r.liveBytes(), r.recountLiveBytes(), "recount");
                if (step % 16 == 0) assertNull(r.checkConsistency());
                if (step % 512 == 0) live.checkAllPatterns(r.segment());
            }
            live.checkAllPatterns(r.segment());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (reproduce with -Dhmap.test.seed=" + seed + "), step "
                    + step + ": " + e.getMessage(), e);
        } finally {
            r.close();
        }
    }

    /**
     * The live blocks, each with a pattern in its first (and for size classes, last) 8 bytes, and every
     * place a pattern was ever written: a block handed out over such a place must read zero there.
     * Large blocks are written at one place only, so the run keeps few pages resident.
     */
    static final class Live {
        final Reservation r;
        /** offset -> {bytes, size, heap, index in offs} */
        final TreeMap<Long, long[]> blocks = new TreeMap<>();
        final ArrayList<Long> offs = new ArrayList<>();
        final TreeSet<Long> dirty = new TreeSet<>();
        /** Live blocks of SMALL_BLOCK_LIMIT or more. */
        int large;

        Live(Reservation r) {
            this.r = r;
        }

        boolean isEmpty() {
            return blocks.isEmpty();
        }

        int size() {
            return blocks.size();
        }

        static long pattern(long off) {
            return (off * 0x9E3779B97F4A7C15L) | 1;
        }

        static long size(long bytes) {
            return bytes <= MAX_SMALL ? CLASS_SIZE[classOf(bytes)] : alignUp(bytes, PAGE);
        }

        void allocated(MemorySegment m, long off, long bytes, int heap) {
            long size = size(bytes);
            String at = "block [" + off + ", +" + size + ") of " + bytes + " bytes ";
            if (bytes > MAX_SMALL) {
                assertEquals(0, off % (size >= HUGE_PAGE ? HUGE_PAGE : PAGE), at + "misaligned");
                assertTrue(off >= PAGE, at + "in the header page");
            } else {
                assertEquals(0, off % 8, at + "misaligned");
                assertTrue(off >= RESERVED_PREFIX, at + "in the header");
            }
            assertTrue(off + size <= r.reservedBytes(), at + "outside the reservation of " + r.reservedBytes());
            Map.Entry<Long, long[]> below = blocks.floorEntry(off), above = blocks.ceilingEntry(off);
            if (below != null) assertTrue(below.getKey() + below.getValue()[1] <= off, at + "overlaps " + below.getKey());
            if (above != null) assertTrue(off + size <= above.getKey(), at + "overlaps " + above.getKey());
            if (bytes <= MAX_SMALL) {
                for (long i = 0; i < size; i += 8) assertEquals(0, m.get(Layouts.LONG, off + i), at + "not zero at +" + i);
            }
            for (var it = dirty.subSet(off, off + size).iterator(); it.hasNext(); ) {
                long p = it.next();
                assertEquals(0, m.get(Layouts.LONG, p), at + "not zero at " + p + ", written before it was freed");
                it.remove();
            }
            for (long p : places(off, size)) {
                m.set(Layouts.LONG, p, pattern(p));
                dirty.add(p);
            }
            blocks.put(off, new long[] {bytes, size, heap, offs.size()});
            if (size >= SMALL_BLOCK_LIMIT) large++;
            offs.add(off);
        }

        static long[] places(long off, long size) {
            return size > MAX_SMALL || size < 16 ? new long[] {off} : new long[] {off, off + size - 8};
        }

        /** Takes a random live block out (its pattern checked) and returns {offset, bytes, heap}. */
        long[] removeRandom(Random rnd, MemorySegment m) {
            long off = offs.get(rnd.nextInt(offs.size()));
            long[] b = blocks.get(off);
            checkPattern(m, off, b);
            remove(off);
            return new long[] {off, b[0], b[2]};
        }

        private void remove(long off) {
            long[] b = blocks.remove(off);
            if (b[1] >= SMALL_BLOCK_LIMIT) large--;
            int i = (int) b[3];
            long last = offs.remove(offs.size() - 1);
            if (last != off) {
                offs.set(i, last);
                blocks.get(last)[3] = i;
            }
        }

        /** dropHeap: every block of the heap is gone (the places written stay to be checked). */
        void dropped(int heap) {
            for (long off : new ArrayList<>(offs)) if (blocks.get(off)[2] == heap) remove(off);
        }

        void checkPattern(MemorySegment m, long off, long[] b) {
            for (long p : places(off, b[1])) {
                assertEquals(pattern(p), m.get(Layouts.LONG, p), "live block [" + off + ", +" + b[1] + ") changed at " + p);
            }
        }

        void checkAllPatterns(MemorySegment m) {
            for (Map.Entry<Long, long[]> e : blocks.entrySet()) checkPattern(m, e.getKey(), e.getValue());
        }
    }

    // ---------------------------------------------------------------- cost

    /**
     * 10,000 holes in the huge zone: an allocation that fits only near the end, one that fits in the
     * middle, and frees that coalesce on both sides each visit O(log n) records (the scan this replaced
     * visited every range before the one it took, ~n). Counts steps; times nothing.
     */
    /**
     * Blocks of a few pages, more of them live than the 2 MiB small zone holds, replaced one at a time:
     * the address range in use must stop growing once the churn is steady. Before small blocks looked
     * for a free range in the huge zone, each replacement bumped its top by the block's size.
     */
    /**
     * A freed page block of the byte heap is kept resident and handed to the next block of its size, zeroed
     * by a fill, with liveBytes unchanged; a structure block is not; dropHeap gives kept blocks back.
     */
    @Test
    void freedByteBlocksAreReusedResidentAndGivenBackByDropHeap() {
        Reservation r = Reservation.reserve(0);
        try {
            long size = 16 * PAGE;
            long a = r.allocate(size, BYTES);
            r.segment().asSlice(a, size).fill((byte) 0x5A);
            long live = r.liveBytes();
            r.free(a, size, BYTES);
            assertEquals(live, r.liveBytes(), "a kept block stays counted");
            long b = r.allocate(size - 100, BYTES); // the same page count
            assertEquals(a, b, "the kept block is the next one of its size");
            assertEquals(live, r.liveBytes());
            for (long o = 0; o < size; o += 8) assertEquals(0L, r.segment().get(Layouts.LONG, b + o), "zeroed at " + o);
            assertNull(r.checkConsistency());

            long c = r.allocate(size, STRUCTURE);
            r.free(c, size, STRUCTURE);
            assertNotEquals(c, r.allocate(size, STRUCTURE), "structure blocks are not kept (their frees are deferred)");

            r.releaseDeferred(Long.MAX_VALUE); // the structure block's free
            r.free(b, size, BYTES);
            long before = r.liveBytes();
            r.dropHeap(BYTES);
            r.releaseDeferred(Long.MAX_VALUE);
            assertEquals(before - size, r.liveBytes(), "dropHeap gives the kept block back");
            assertEquals(r.liveBytes(), r.recountLiveBytes());
        } finally {
            r.close();
        }
    }

    @Test
    void aChurnOfSmallPageBlocksPastTheSmallZoneReusesFreedRanges() {
        Reservation r = Reservation.reserve(0);
        try {
            SplittableRandom rnd = new SplittableRandom(RUN_SEED);
            long[] off = new long[64], len = new long[64]; // up to 64 x 64 KiB live: twice the small zone
            for (int i = 0; i < off.length; i++) {
                len[i] = PAGE * (1 + rnd.nextInt(16));
                off[i] = r.allocate(len[i]);
            }
            long topAfterWarmUp = 0;
            for (int step = 0; step < 20_000; step++) {
                int i = rnd.nextInt(off.length);
                r.free(off[i], len[i]);
                r.releaseDeferred(Long.MAX_VALUE);
                len[i] = PAGE * (1 + rnd.nextInt(16));
                off[i] = r.allocate(len[i]);
                if (step == 2_000) topAfterWarmUp = r.hugeTop();
            }
            assertTrue(r.hugeTop() <= topAfterWarmUp + SMALL_ZONE, "seed " + RUN_SEED + ": the huge zone's top went from "
                    + topAfterWarmUp + " to " + r.hugeTop() + " under a churn of at most 4 MiB live");
            assertNull(r.checkConsistency(), "seed " + RUN_SEED);
            assertEquals(r.recountLiveBytes(), r.liveBytes(), "seed " + RUN_SEED);
        } finally {
            r.close();
        }
    }

    /**
     * Two threads writing one map (misuse) can leave a cycle in the index. A walk around it touches no
     * map memory, so closing the map would not end it: every walk must stop with an exception instead.
     */
    @Test
    void aCycleInTheIndexEndsTheWalksWithAnException() throws ReflectiveOperationException {
        FreeRanges f = new FreeRanges();
        for (int i = 0; i < 64; i++) f.add(SMALL_ZONE + 4 * PAGE * i, PAGE); // 64 ranges, apart
        java.lang.reflect.Field recs = FreeRanges.class.getDeclaredField("recs"), root = FreeRanges.class.getDeclaredField("root");
        recs.setAccessible(true);
        root.setAccessible(true);
        long[] r = (long[]) recs.get(f);
        int top = ((int[]) root.get(f))[FreeRanges.HUGE];
        int right = (int) (FreeRanges.RECORD.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("right")) / Long.BYTES);
        int x = top;
        while (r[x * FreeRanges.SLOTS + right] != FreeRanges.NIL) x = (int) r[x * FreeRanges.SLOTS + right];
        r[x * FreeRanges.SLOTS + right] = top; // the rightmost range's right child: the root
        long beyond = SMALL_ZONE + 1024 * PAGE; // above every range: each walk goes right
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            assertThrows(java.util.ConcurrentModificationException.class, () -> f.add(beyond, PAGE));
            assertThrows(java.util.ConcurrentModificationException.class, () -> f.overlaps(beyond, PAGE));
        });
    }

    @Test
    void allocateAndFreeVisitLogarithmicallyManyRanges() {
        Reservation r = Reservation.reserve(0);
        try {
            FreeRanges f = r.freeRanges();
            int n = 20_000, tail = 100;
            long[] off = new long[n + tail];
            for (int i = 0; i < off.length; i++) off[i] = r.allocate(PAGE); // one page each
            int first = 0;
            while (off[first] < SMALL_ZONE) first++;
            int mid = first + (n - first) / 2;
            for (int i = first + 1; i < n; i += 2) {
                if (Math.abs(i - mid) > 65) r.free(off[i], PAGE); // one page holes, apart
            }
            for (int i = mid - 64; i <= mid + 64; i++) r.free(off[i], PAGE); // 129 pages in the middle
            for (int i = n; i < off.length; i++) r.free(off[i], PAGE);       // 100 pages at the end
            r.releaseDeferred(Long.MAX_VALUE);
            int ranges = f.count();
            assertTrue(ranges > 9_000, ranges + " ranges");
            assertNull(r.checkConsistency());
            // An AVL tree of n records is at most 1.44 log2(n + 2) high; each operation walks a few paths.
            int maxHeight = (int) (1.45 * Math.log(ranges + 2) / Math.log(2));
            assertTrue(f.height(FreeRanges.HUGE) <= maxHeight, "height " + f.height(FreeRanges.HUGE));
            long bound = 4L * maxHeight + 4;
            long[] cost = new long[4];

            long before = f.steps;
            long a = r.allocate(SMALL_BLOCK_LIMIT + 1);  // 65 pages: only the middle run holds them
            cost[0] = f.steps - before;
            assertEquals(off[mid - 64], a, "first fit");
            before = f.steps;
            long b = r.allocate(65 * PAGE + 1);          // 66: the middle run's rest is too short, the end's is not
            cost[1] = f.steps - before;
            assertEquals(off[n], b, "first fit");

            r.free(off[first + 2], PAGE);                // between two holes: coalesces on both sides
            before = f.steps;
            r.releaseDeferred(Long.MAX_VALUE);
            cost[2] = f.steps - before;
            assertEquals(ranges - 1, f.count(), "two holes and the freed page became one range");

            r.free(a, SMALL_BLOCK_LIMIT + 1);            // back into the middle: coalesces with its rest
            before = f.steps;
            r.releaseDeferred(Long.MAX_VALUE);
            cost[3] = f.steps - before;

            System.out.println("[reservation allocator] " + f.count() + " free ranges, tree height "
                    + f.height(FreeRanges.HUGE) + ", records visited by allocate, allocate, free, free: "
                    + Arrays.toString(cost) + " (bound " + bound + ")");
            for (long c : cost) assertTrue(c <= bound, Arrays.toString(cost) + " steps, bound " + bound);
            assertNull(r.checkConsistency());
            assertEquals(r.liveBytes(), r.recountLiveBytes());
        } finally {
            r.close();
        }
    }
}
