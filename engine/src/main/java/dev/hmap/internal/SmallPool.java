// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.OffHeapOutOfMemoryError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where small maps live: regions of shared cohorts, so a map of a few entries costs a few hundred bytes,
 * one bump of a pointer to make and no system call to close, and a million of them need a few hundred
 * mappings instead of two each. hmap's own departure from Go (whose maps all come from its allocator).
 *
 * <pre>
 *  a cohort: one 2 MiB mapping, one shared Arena, regions of one size class, handed out in order
 *  0                                                                              2 MiB
 *  +---------+---------+---------+---------+---------+- - - - - - - - - - - - - -+
 *  | region  | region  | region  | region  | region  |   not yet handed out       |
 *  | map A   | (dead)  | map C   | (dead)  | map E   |   (never touched: zero)    |
 *  +---------+---------+---------+---------+---------+- - - - - - - - - - - - - -+
 *  ^ next: the bump pointer; a region is never handed out twice
 * </pre>
 *
 * <ul>
 *   <li><b>Regions.</b> A pooled map's memory is one region: its header at offset 0, its blocks after it,
 *       every pointer an offset from the region's start. A map that outgrows its region copies it into a
 *       larger one (at most 64 KiB, so at most a 64 KiB copy), then into a reservation of its own
 *       ({@link Reservation#adopt}).</li>
 *   <li><b>No reuse while the arena is open.</b> A region given back (its map closed, or moved to a larger
 *       region) is dead: it is never handed out again, because a thread racing that close may still hold
 *       the old segment and write through it. Its pages go back to the kernel ({@code MADV_DONTNEED})
 *       once no live region shares them, in runs of up to 64 KiB per cohort, and the dead range stays
 *       mapped, so such a thread reads stale bytes or zeros of the dead map and never touches another
 *       map's memory.</li>
 *   <li><b>Retirement.</b> When every region of a full cohort is dead, its arena is closed (one handshake
 *       with all threads, for the whole cohort) and its mapping unmapped. A thread still inside an
 *       access gets IllegalStateException from the JDK, as with a map of its own (and a map whose close
 *       retires the cohort first waits for a write of its own that races it, see MapCore.awaitWriter).</li>
 *   <li><b>Charging.</b> The pages a live region keeps resident are charged to the live regions on them: on
 *       each page, its handed-out bytes (live and dead) in proportion to the bytes each live region covers
 *       ({@link #charge}). A map's {@code offHeapBytes} is its charge, so dead neighbours it keeps resident
 *       are its cost, and the charges add up to the pool's resident bytes ({@link #pinnedBytes}). Not
 *       charged: the waiting dead pages below, and the not yet handed-out rest of a cohort's current
 *       page (capacity, not slack).</li>
 *   <li><b>What is held back.</b> Physical memory: the pages that still hold a live region, so at most
 *       one page (plus the region itself when it straddles two) per live pooled map, and up to 64 KiB of
 *       dead pages per cohort waiting to go back together. Address space:
 *       at most one cohort (2 MiB, virtual) per live pooled map, in the worst case of one long-lived map
 *       in each cohort; mappings: one per cohort.</li>
 * </ul>
 *
 * <p>Thread-safe: a lock per size class guards its cohorts' bookkeeping. No lock is held across a system
 * call: the {@code mmap} of a new cohort, the {@code madvise} of dead pages (a busy count keeps the cohort
 * mapped meanwhile) or a retirement.
 */
public final class SmallPool {
    private SmallPool() {}

    /** Region sizes: steps of 1.33-1.5x, so a region's slack is at most a third of it. */
    static final int[] REGION_SIZE = {128, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192,
        12288, 16384, 24576, 32768, 49152, 65536};
    /** The largest region: a map needing more moves to a reservation of its own. */
    public static final long MAX_REGION = REGION_SIZE[REGION_SIZE.length - 1];
    static final long COHORT_BYTES = 2L << 20;
    private static final long PAGE = MapMemory.PAGE;
    /** Dead pages given back to the kernel at once (see {@link #release}): at most this much waits per cohort. */
    static final long MADVISE_BATCH = 16 * PAGE;

    /** Maps ask for pooled memory unless {@code -Dhmap.pool=false} (then every map has its own reservation). */
    static final boolean ENABLED = !"false".equals(System.getProperty("hmap.pool"));

    private static final Object[] LOCKS = new Object[REGION_SIZE.length];
    /** Per class, the cohort regions are handed out from (null until the first), and one spare. */
    /**
     * Regions come in two streams per class, each with cohorts of its own: GROWING for a new map and for a
     * map that outgrew its region, SETTLED for a map that packed itself into a smaller region when a growth
     * ended. A growing map passes through several regions within a few puts, so a GROWING cohort's regions
     * mostly die together and their pages go back to the kernel; were they interleaved with the regions
     * maps rest in, each dead one would stay resident beside a live neighbour. 100,000 maps of 100 entries
     * built from empty one after another held 5.3 KiB resident each for their 3.1 KiB regions with one
     * stream, 3.3 KiB with two; 20 entries, 2.5 and 1.7 KiB for 1.0 KiB.
     */
    static final int GROWING = 0, SETTLED = 1;
    /** Per class and stream ({@code 2 * cls + stream}), the cohort regions are handed out from, and one spare. */
    private static final Cohort[] CURRENT = new Cohort[2 * REGION_SIZE.length], SPARE = new Cohort[2 * REGION_SIZE.length];
    private static final AtomicLong MAPPED_COHORTS = new AtomicLong();
    /**
     * Per class, the handed-out bytes of pages that hold a live region: what live pooled maps keep resident
     * and are charged for, dead neighbours included. Guarded by the class's lock.
     */
    private static final long[] PINNED = new long[REGION_SIZE.length];

    static {
        for (int i = 0; i < LOCKS.length; i++) LOCKS[i] = new Object();
    }

    /** The smallest class whose regions hold {@code bytes}, or -1 when none does. */
    static int classFor(long bytes) {
        for (int c = 0; c < REGION_SIZE.length; c++) if (REGION_SIZE[c] >= bytes) return c;
        return -1;
    }

    /** Cohorts mapped now (each one mapping of {@link #COHORT_BYTES}). */
    public static long mappedCohorts() {
        return MAPPED_COHORTS.get();
    }

    /** A cohort: one mapping, one arena, the regions of one class. Guarded by its class's lock. */
    static final class Cohort {
        final int cls;
        final long regionSize;
        final long base;
        final Arena arena;
        /** The whole cohort; regions are slices of it. */
        final MemorySegment segment;
        final int capacity;
        /** Regions handed out so far (the bump pointer, in regions). */
        int next;
        /** Regions handed out and not yet given back. */
        int live;
        /** Threads inside a madvise of this cohort's pages: it is not unmapped under them. */
        int busy;
        /** No more regions come from it (it was full); retired once live and busy are 0. */
        boolean sealed;
        /** Dead pages not yet given back: [pendFrom, pendTo) of the cohort, or pendFrom = -1. */
        long pendFrom = -1, pendTo;
        /** Per page: bytes of it that live regions cover (0: the page holds no live region). */
        final int[] pageLive;

        private Cohort(int cls, long base) {
            this.cls = cls;
            this.regionSize = REGION_SIZE[cls];
            this.base = base;
            this.arena = Arena.ofShared();
            this.segment = MemorySegment.ofAddress(base).reinterpret(COHORT_BYTES, arena, null);
            this.capacity = (int) (COHORT_BYTES / regionSize);
            this.pageLive = new int[(int) (COHORT_BYTES / PAGE)];
        }

        /** Maps a new cohort (no lock held). */
        static Cohort map(int cls) {
            FaultInjection.beforeCohort(COHORT_BYTES);
            long base = Reservation.mapReservation(COHORT_BYTES, COHORT_BYTES);
            MAPPED_COHORTS.incrementAndGet();
            return new Cohort(cls, base);
        }

        /** Hands out the next region; the caller holds the class lock and checked next &lt; capacity. */
        private long take() {
            long off = next * regionSize;
            for (int p = (int) (off / PAGE), last = (int) ((off + regionSize - 1) / PAGE); p <= last; p++) {
                // A page that held only dead regions is pinned again, with them (resident once touched).
                if (pageLive[p] == 0) PINNED[cls] += handedOut(p);
                pageLive[p] += (int) overlap(off, p);
            }
            next++;
            live++;
            PINNED[cls] += regionSize;
            return off;
        }

        /** Bytes of page {@code p} handed out so far, live or dead: the rest is the pool's, not yet anyone's. */
        long handedOut(int p) {
            return Math.clamp(next * regionSize - p * PAGE, 0, PAGE);
        }

        /** Bytes of page {@code p} that the region at {@code off} covers. */
        long overlap(long off, int p) {
            return Math.min(off + regionSize, (p + 1) * PAGE) - Math.max(off, p * PAGE);
        }

        /**
         * What the live region at {@code off} is charged: on each page it touches, the page's handed-out
         * bytes (its own, its live neighbours' and dead regions' that it keeps resident) in proportion to
         * the bytes it covers, rounded up. The caller holds the class lock.
         */
        long charge(long off) {
            long c = 0;
            for (int p = (int) (off / PAGE), last = (int) ((off + regionSize - 1) / PAGE); p <= last; p++) {
                long o = overlap(off, p), l = pageLive[p];
                if (l > 0) c += (o * handedOut(p) + l - 1) / l; // 0: a racing close() released it already
            }
            return c;
        }

        /** Unmaps the cohort: its arena is closed first, so every thread's segments of it are invalid. */
        private void retire() {
            arena.close();
            Native.munmap(base, COHORT_BYTES);
            MAPPED_COHORTS.decrementAndGet();
        }
    }

    /** What the live region at {@code off} of {@code k} is charged (see {@link Cohort#charge}). Any thread. */
    static long charge(Cohort k, long off) {
        synchronized (LOCKS[k.cls]) {
            return k.charge(off);
        }
    }

    /**
     * Bytes of the pool that live regions keep resident: theirs, and the dead regions that share a page
     * with one. The charges of all live regions add up to this, give or take a byte per region and page
     * (rounding). Not counted: pages no live region touches that wait to go back to the kernel, at most
     * {@link #MADVISE_BATCH} per cohort.
     */
    public static long pinnedBytes() {
        long sum = 0;
        for (int c = 0; c < REGION_SIZE.length; c++) {
            synchronized (LOCKS[c]) {
                sum += PINNED[c];
            }
        }
        return sum;
    }

    /** A region handed out: its cohort, and its offset in the cohort. */
    record Region(Cohort cohort, long off) {}

    /**
     * A region of class {@code cls} from stream {@code stream} ({@link #GROWING}, {@link #SETTLED}); it
     * reads as zero. The caller owns it until it gives it back ({@link #release}).
     *
     * @throws OffHeapOutOfMemoryError when a new cohort cannot be mapped; nothing changes then
     */
    static Region acquire(int cls, int stream) {
        Object lock = LOCKS[cls];
        int at = 2 * cls + stream;
        for (;;) {
            Cohort retired = null;
            Region got = null;
            synchronized (lock) {
                Cohort k = CURRENT[at];
                if (k != null && k.next == k.capacity) {
                    k.sealed = true;
                    if (k.live == 0 && k.busy == 0) retired = k;
                    k = CURRENT[at] = null;
                }
                if (k == null && SPARE[at] != null) {
                    k = CURRENT[at] = SPARE[at];
                    SPARE[at] = null;
                }
                if (k != null) got = new Region(k, k.take());
            }
            if (retired != null) retired.retire();
            if (got != null) return got;
            // Outside the lock: a creation never waits for another thread's mmap.
            Cohort fresh = Cohort.map(cls), extra = null;
            synchronized (lock) {
                if (SPARE[at] == null) {
                    SPARE[at] = fresh;
                } else {
                    extra = fresh; // another thread mapped one meanwhile
                }
            }
            if (extra != null) extra.retire();
        }
    }

    /**
     * Gives a region back: it is dead from now on (see the class comment). Pages no live region touches
     * any more, and that no future region will use, go back to the kernel; the cohort is unmapped when
     * it was full and this was its last live region. Any thread.
     */
    static void release(Cohort k, long off) {
        release(k, off, null);
    }

    /** As {@link #release(Cohort, long)}; {@code beforeRetire}, unless null, runs (outside the lock) before the cohort retires. */
    static void release(Cohort k, long off, Runnable beforeRetire) {
        long size = k.regionSize;
        long from = -1, to = -1;
        boolean retire;
        synchronized (LOCKS[k.cls]) {
            k.live--;
            assert k.live >= 0 : "a region given back twice";
            long bumped = k.next * size;
            for (int p = (int) (off / PAGE), last = (int) ((off + size - 1) / PAGE); p <= last; p++) {
                if ((k.pageLive[p] -= (int) k.overlap(off, p)) == 0) PINNED[k.cls] -= k.handedOut(p);
                assert k.pageLive[p] >= 0 : "a region given back twice";
                if (k.pageLive[p] == 0 && (p + 1) * PAGE <= bumped) {
                    if (from < 0) from = p * PAGE;
                    to = (p + 1) * PAGE;
                }
            }
            if (from >= 0) {
                // Dead pages wait in one contiguous run per cohort and go back together, a system call (and
                // a TLB flush) per MADVISE_BATCH instead of per page; a run that cannot extend the waiting
                // one sends that one back instead.
                if (k.pendFrom >= 0 && (from == k.pendTo || to == k.pendFrom)) {
                    k.pendFrom = Math.min(from, k.pendFrom);
                    k.pendTo = Math.max(to, k.pendTo);
                    from = -1;
                } else {
                    long f = k.pendFrom, t = k.pendTo;
                    k.pendFrom = from;
                    k.pendTo = to;
                    from = f;
                    to = t;
                }
                if (from < 0 && k.pendTo - k.pendFrom >= MADVISE_BATCH) {
                    from = k.pendFrom;
                    to = k.pendTo;
                    k.pendFrom = -1;
                }
            }
            retire = k.sealed && k.live == 0 && k.busy == 0;
            if (!retire && from >= 0) {
                // Outside the lock, but counted in `busy`: the cohort is not unmapped under the madvise.
                k.busy++;
            } else {
                from = -1;
            }
        }
        if (retire) {
            if (beforeRetire != null) beforeRetire.run();
            k.retire();
            return;
        }
        if (from < 0) return;
        Native.madvise(k.base + from, to - from, Native.MADV_DONTNEED);
        synchronized (LOCKS[k.cls]) {
            k.busy--;
            retire = k.sealed && k.live == 0 && k.busy == 0;
        }
        if (retire) {
            if (beforeRetire != null) beforeRetire.run();
            k.retire();
        }
    }
}
