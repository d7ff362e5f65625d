// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.OffHeapOutOfMemoryError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory one map owns, addressed by offsets from its start: first a region of the small-map pool
 * ({@link SmallPool}), and once the map needs more than {@link SmallPool#MAX_REGION}, a reservation of
 * its own ({@link Reservation}). Maps made large start with their reservation.
 *
 * <pre>
 *  a pooled map's region (128 B to 64 KiB, a slice of a shared cohort)
 *  0          72                                                         top        size
 *  +----------+--------------------------------------------------------+----------+
 *  | hmap hdr | blocks: bucket arrays, overflow slabs, key bytes,      | zero     |
 *  | + extra  | and holes (freed blocks, first fit, coalesced)        |          |
 *  +----------+--------------------------------------------------------+----------+
 * </pre>
 *
 * <ul>
 *   <li><b>Offsets, not addresses.</b> Every pointer the map stores is an offset from its start (0, the
 *       header, means nil), so the map's bytes are position-independent: a region that is full is copied
 *       whole into a larger one, and the last region into the start of a reservation, with no pointer
 *       rewritten. {@link #segment()} changes then; the map reloads it after every call that allocates.</li>
 *   <li><b>Blocks.</b> In a region, blocks up to 2 KiB round to the reservation's size classes (so a block
 *       moved into a reservation is freed into the right class) and larger ones to 8 bytes. Every block is
 *       zeroed as it is handed out: at most 64 KiB, and usually far less.</li>
 *   <li><b>Accounting.</b> {@link #liveBytes()} of a pooled map is what its region is charged: the region,
 *       slack included, and its share of the dead regions it keeps resident ({@link SmallPool#charge}).</li>
 * </ul>
 *
 * <p>Not thread-safe: the owning map serializes all calls, except {@link #close()}, which may race itself.
 */
public final class MapMemory {
    public static final long PAGE = 4096;
    static final long HUGE_PAGE = 2L << 20;
    /** [0, SMALL_ZONE) is never advised for huge pages, so a small map costs a few 4 KiB pages. */
    static final long SMALL_ZONE = HUGE_PAGE;
    /** Page blocks below this size go to the small zone while it has room. */
    static final long SMALL_BLOCK_LIMIT = 256L << 10;
    /**
     * Size classes (at most 25% slack above 64 bytes, 8-byte steps below), carved from 64 KiB chunks.
     * Every class is a multiple of 8, so blocks are 8-aligned.
     */
    static final int[] CLASS_SIZE = {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
        384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048};
    static final int MAX_SMALL = CLASS_SIZE[CLASS_SIZE.length - 1];
    static final long CLASS_CHUNK = 64L << 10;
    /** Heaps: 0 for the map's structure, 1 for the bytes of string keys and values (dropped whole by clear()). */
    public static final int STRUCTURE = 0, BYTES = 1;
    /** Bytes at offset 0 that belong to the map itself (hmap header and mapextra), never allocated. */
    public static final long RESERVED_PREFIX = 128;
    /**
     * Address space is cheap and each map costs two VMAs anyway, so a map starts with 1 GiB and moves
     * (mremap, no copy) only past that: at most a few times in its life, and never for small maps.
     */
    static final long MIN_RESERVATION = 1L << 30;
    /** Reservations above this fail fast: beyond what any Linux/x86-64 process can map. */
    static final long MAX_RESERVATION = 1L << 46;

    static final long PHYSICAL_MEMORY = Native.physicalMemory();
    static final boolean HUGE_PAGES = !"false".equals(System.getProperty("hmap.hugePages"));

    /**
     * The segment of a closed map: as large as a segment can be (so no offset fails the bounds check,
     * which the JDK makes first) and of an arena already closed, so any access throws
     * IllegalStateException. It maps nothing and is never dereferenced.
     */
    public static final MemorySegment CLOSED;

    static {
        Arena a = Arena.ofShared();
        CLOSED = MemorySegment.ofAddress(0).reinterpret(Long.MAX_VALUE, a, null);
        a.close();
    }

    // Live map memories (pooled or not), so a test run can prove every map it made was closed: two atomic
    // updates per map lifetime. Where each was made is recorded only under -Dhmap.trackMemory=true (the test run).
    private static final AtomicLong LIVE = new AtomicLong();
    private static final Map<MapMemory, Throwable> LIVE_SITES =
            Boolean.getBoolean("hmap.trackMemory") ? new ConcurrentHashMap<>() : null;


    /** Where a region's first block starts: after the hmap header and mapextra. */
    public static final long REGION_START = HmapHeader.EXTRA + HmapHeader.EXTRA_SIZE;

    /** The reservation, once the map has one; null while pooled. */
    private Reservation own;
    /** A reservation made ahead of the move out of the pool (see {@link #prepareOwn}); null if none. */
    private Reservation next;
    /** How much of {@link #next} is faulted in. */
    private long nextFaulted;
    /** A larger region taken ahead of the growth that needs it (see {@link #prepareRegion}); null if none. */
    private SmallPool.Cohort aheadCohort;
    private long aheadOff, aheadFaulted;
    /** The pooled region: its cohort (null once the map has its own reservation), start, class, bump. */
    private SmallPool.Cohort cohort;
    private long regionOff;
    private int regionClass;
    private long top;
    /** Free blocks below top, as (offset << 32 | length), sorted by offset, coalesced; null if none yet. */
    private long[] holes;
    private int nholes;
    private MemorySegment segment;
    /**
     * Set once, under this object's monitor. The region, the region taken ahead and the reservations
     * change hands under it too, and a move swaps in its new region only if the old one is still the
     * map's, so a close() or a second writer racing a move (misuse) cannot give a region back twice: that
     * would let a live neighbour's page go back to the kernel, and retire a cohort that live maps use.
     */
    private volatile boolean closed;

    private MapMemory() {
        LIVE.incrementAndGet();
        if (LIVE_SITES != null) LIVE_SITES.put(this, new Throwable("map memory made here"));
    }

    /** Map memories made and not yet closed, in this JVM (for leak checks). */
    public static long liveReservations() {
        return LIVE.get();
    }

    /**
     * Where each live memory was made (empty unless {@code -Dhmap.trackMemory=true}); only those for
     * which {@code include} holds, e.g. the ones made since a test started.
     */
    public static List<Throwable> liveSites(java.util.function.Predicate<Throwable> include) {
        List<Throwable> out = new ArrayList<>();
        if (LIVE_SITES != null) for (Throwable t : LIVE_SITES.values()) if (include.test(t)) out.add(t);
        return out;
    }

    /** The live memories (empty unless {@code -Dhmap.trackMemory=true}): for tests that add up the pool's charges. */
    static List<MapMemory> liveMemories() {
        return LIVE_SITES == null ? List.of() : new ArrayList<>(LIVE_SITES.keySet());
    }

    /** A reservation of its own, for a map expected to need about {@code expectedBytes}. */
    public static MapMemory reserve(long expectedBytes) {
        Reservation r = Reservation.reserve(expectedBytes);
        MapMemory m = new MapMemory();
        m.own = r;
        m.segment = r.segment();
        return m;
    }

    /** The memory of a map in a file: the file's bytes after its header page (see {@link Reservation#onFile}). */
    static MapMemory onFile(MappedFile f) {
        MapMemory m = new MapMemory();
        m.own = Reservation.onFile(f);
        m.segment = m.own.segment();
        return m;
    }

    /** The map's own reservation, for a file-backed map's snapshot and state; null while pooled. */
    Reservation reservation() {
        return own;
    }

    /** See {@link Reservation#follow}. */
    boolean follow() {
        boolean grew = own.follow();
        segment = own.segment();
        return grew;
    }

    /** See {@link Reservation#checkpoint}; the segment may change (the file may grow to hold the snapshot). */
    void checkpoint(long[] state) {
        own.checkpoint(state);
        segment = own.segment();
    }

    /**
     * Memory for a map whose blocks are expected to need {@code expectedBytes}: a pooled region when that
     * fits one (and pooling is on), else a reservation of its own.
     */
    public static MapMemory forMap(long expectedBytes) {
        int c = SmallPool.ENABLED ? SmallPool.classFor(REGION_START + Math.max(0, expectedBytes)) : -1;
        if (c < 0) return reserve(expectedBytes);
        FaultInjection.beforeAllocation(SmallPool.REGION_SIZE[c]);
        MapMemory m = new MapMemory();
        SmallPool.Region g;
        try {
            g = SmallPool.acquire(c, SmallPool.GROWING);
        } catch (RuntimeException | Error e) {
            m.uncount();
            throw e;
        }
        m.setRegion(g.cohort(), g.off());
        m.top = REGION_START;
        return m;
    }

    private void setRegion(SmallPool.Cohort k, long off) {
        cohort = k;
        regionOff = off;
        regionClass = k.cls;
        segment = k.segment.asSlice(off, k.regionSize);
    }

    /**
     * Copies the map's bytes ({@code from}, up to top) into region {@code g}, makes it the map's in place of
     * the one at {@code oldOff} of {@code old}, and gives that one back. When the copy fails, or the map was
     * closed or moved by another thread meanwhile (misuse), nothing changes: {@code g} goes back and the
     * caller stops. The copy goes through a slice of exactly the new region, so a racing writer's top
     * cannot make it spill into a neighbour.
     */
    private void moveInto(SmallPool.Cohort old, long oldOff, MemorySegment from, SmallPool.Region g) {
        SmallPool.Cohort k = g.cohort();
        boolean moved;
        try {
            MemorySegment.copy(from, 0, k.segment.asSlice(g.off(), k.regionSize), 0, top);
            synchronized (this) {
                moved = stillIn(old, oldOff);
                if (moved) setRegion(k, g.off());
            }
        } catch (RuntimeException e) {
            SmallPool.release(k, g.off());
            throw e;
        }
        if (moved) {
            SmallPool.release(old, oldOff); // outside the monitor: it may make a system call
            return;
        }
        SmallPool.release(k, g.off());
        throw lostRace();
    }

    /**
     * Under this object's monitor: whether the map is open and still in the region at {@code oldOff} of
     * {@code old}, so a move from it may swap in its new memory (and only that move gives the old one back).
     */
    private boolean stillIn(SmallPool.Cohort old, long oldOff) {
        return !closed && cohort == old && regionOff == oldOff;
    }

    private RuntimeException lostRace() {
        return closed ? closedError() : new java.util.ConcurrentModificationException("the map was moved by another thread");
    }

    /** Takes the region taken ahead out of the map's hands (close() no longer sees it); null if none. */
    private synchronized SmallPool.Region claimAhead() {
        SmallPool.Cohort k = aheadCohort;
        aheadCohort = null;
        return k == null ? null : new SmallPool.Region(k, aheadOff);
    }

    /** The region taken ahead of a growth, or null (for tests). */
    synchronized SmallPool.Region ahead() {
        return aheadCohort == null ? null : new SmallPool.Region(aheadCohort, aheadOff);
    }

    /** Whether the map still lives in a pooled region. */
    public boolean pooled() {
        return cohort != null;
    }

    /** The segment over the map's memory; changes when it moves (a larger region, a reservation). */
    public MemorySegment segment() {
        return segment;
    }

    /** Bytes the map holds: its region, or what its reservation holds (see {@link Reservation#liveBytes}). */
    public long liveBytes() {
        if (closed) return 0;
        return own != null ? own.liveBytes() : pooledBytes();
    }

    /**
     * A pooled map's bytes: what its region is charged (the region, and its share of dead regions that
     * it keeps resident, see {@link SmallPool#charge}), the same for a region taken ahead, and the pages
     * faulted in so far of its reservation-to-be.
     */
    private long pooledBytes() {
        SmallPool.Cohort k = aheadCohort;
        return SmallPool.charge(cohort, regionOff) + nextFaulted + (k == null ? 0 : SmallPool.charge(k, aheadOff));
    }

    /**
     * One step of preparing a growth whose new array takes {@code bytes}; true while there are more. When
     * that array beside what the region holds now will not fit the largest region, the map is about to
     * leave the pool: the first step makes its reservation, and each later one faults in one page of what
     * the move will copy into. The put that moves the map then copies at most 64 KiB into resident memory,
     * where it would otherwise also map (about 25 us on the development VM) and fault 16 pages (about
     * 45 us). One system call per step, each on its own put. The pages faulted in so far count in
     * {@link #liveBytes()}.
     *
     * @throws OffHeapOutOfMemoryError when it cannot be had (the move will ask again)
     */
    public boolean prepareOwn(long bytes) {
        if (own != null) return false;
        checkOpen();
        Reservation n = next;
        if (n == null) {
            long want = top + blockSize(bytes);
            if (want <= SmallPool.MAX_REGION) return false;
            Reservation r = Reservation.reserve(want);
            if (offerNext(r, 0)) return true;
            r.close();
            throw lostRace();
        }
        n.populate(nextFaulted, PAGE);
        nextFaulted += PAGE;
        return nextFaulted < SmallPool.MAX_REGION;
    }

    public long reservedBytes() {
        return own != null ? own.reservedBytes() : SmallPool.REGION_SIZE[regionClass];
    }

    /**
     * Allocates {@code bytes} of zeroed memory and returns its offset (never 0). Blocks are 8-byte
     * aligned; in a reservation, larger ones page aligned and those of 2 MiB and more huge-page aligned.
     *
     * @throws OffHeapOutOfMemoryError when the memory cannot be had; nothing is changed then
     */
    public long allocate(long bytes) {
        return allocate(bytes, STRUCTURE);
    }

    /** As {@link #allocate(long)}, from heap {@code heap}. */
    public long allocate(long bytes, int heap) {
        if (own != null) {
            long off = own.allocate(bytes, heap);
            segment = own.segment(); // the reservation may have grown
            return off;
        }
        checkOpen();
        if (bytes <= 0) throw new IllegalArgumentException("allocation of " + bytes + " bytes");
        FaultInjection.beforeAllocation(bytes);
        Reservation.checkBlockSize(bytes);
        long size = blockSize(bytes);
        long ho = takeHole(size);
        if (ho > 0) {
            Layouts.zero(segment, ho, size);
            return ho;
        }
        if (top + size > SmallPool.REGION_SIZE[regionClass]) {
            outgrow(top + size);
            // Past this point nothing may fail: the map has moved, and reloads its segment only on success.
            if (own != null) {
                long off = own.allocateMoved(bytes, heap);
                segment = own.segment();
                return off;
            }
        }
        long off = top;
        top += size;
        Layouts.zero(segment, off, size); // below an old top it may hold a freed block's bytes
        return off;
    }

    /** The lowest hole of at least {@code size} bytes, cut from its start; 0 if none is large enough. */
    private long takeHole(long size) {
        for (int i = 0; i < nholes; i++) {
            long h = holes[i], ho = h >>> 32, hl = h & 0xFFFFFFFFL;
            if (hl < size) continue;
            if (hl == size) {
                System.arraycopy(holes, i + 1, holes, i, --nholes - i);
            } else {
                holes[i] = (ho + size) << 32 | (hl - size);
            }
            return ho;
        }
        return 0;
    }

    /**
     * Gives a pooled map back the room its growth left behind. {@code blocks} holds (offset, bytes) pairs
     * of blocks the caller can move, sorted by offset; every other block stays where it is. Each movable
     * block slides down, in order, to the lowest place that holds it, so the used part of the region packs
     * toward its start; when it then fits a smaller region and {@code mayShrink}, the map moves into one.
     * Returns the blocks' new offsets; the caller rewrites every pointer into them and reloads
     * {@link #segment()}. Nothing here can fail: a smaller region that cannot be had is simply not taken.
     *
     * <p>Without it a map's region keeps the peak of its last growth, old and new array side by side, and
     * overflow slabs made during the evacuation above them: a 100-entry LongLongMap would keep 6 KiB
     * where its buckets need 2.6.
     */
    public long[] compact(long[] blocks, boolean mayShrink) {
        int n = blocks.length / 2;
        long[] to = new long[n];
        if (own != null) {
            for (int i = 0; i < n; i++) to[i] = blocks[2 * i];
            return to;
        }
        checkOpen();
        SmallPool.Region unneeded = claimAhead(); // the growth it was taken for is over: it was not needed
        if (unneeded != null) SmallPool.release(unneeded.cohort(), unneeded.off());
        // Fixed blocks: what is neither a hole nor movable, as sorted (start, end) pairs.
        long[] used = new long[2 * (nholes + 1)];
        int nu = 0;
        long at = REGION_START;
        for (int i = 0; i <= nholes; i++) {
            long ho = i < nholes ? holes[i] >>> 32 : top;
            if (ho > at) {
                used[nu++] = at;
                used[nu++] = ho;
            }
            if (i < nholes) at = ho + (holes[i] & 0xFFFFFFFFL);
        }
        long[] fixed = new long[nu + 2 * n];
        int nf = 0;
        for (int u = 0; u < nu; u += 2) { // used ranges minus the movable blocks inside them
            long from = used[u];
            for (int i = 0; i < n; i++) {
                long bo = blocks[2 * i], be = bo + blockSize(blocks[2 * i + 1]);
                if (be <= from || bo >= used[u + 1]) continue;
                if (bo > from) {
                    fixed[nf++] = from;
                    fixed[nf++] = bo;
                }
                from = be;
            }
            if (from < used[u + 1]) {
                fixed[nf++] = from;
                fixed[nf++] = used[u + 1];
            }
        }
        // Slide: in address order each block lands at or below where it was, so a copy never overwrites a
        // block not yet moved.
        long cursor = REGION_START, newTop = nf > 0 ? fixed[nf - 1] : REGION_START;
        int f = 0;
        for (int i = 0; i < n; i++) {
            long off = blocks[2 * i], bytes = blocks[2 * i + 1], size = blockSize(bytes);
            for (;;) {
                while (f < nf && fixed[f + 1] <= cursor) f += 2;
                if (f < nf && fixed[f] < cursor + size) {
                    cursor = fixed[f + 1];
                } else {
                    break;
                }
            }
            if (cursor != off) MemorySegment.copy(segment, off, segment, cursor, bytes);
            to[i] = cursor;
            cursor += size;
            newTop = Math.max(newTop, cursor);
        }
        // The holes are what is left between the blocks, fixed and moved, below the new top.
        long[] all = new long[nf + 2 * n];
        System.arraycopy(fixed, 0, all, 0, nf);
        for (int i = 0; i < n; i++) {
            all[nf + 2 * i] = to[i];
            all[nf + 2 * i + 1] = to[i] + blockSize(blocks[2 * i + 1]);
        }
        sortPairs(all);
        nholes = 0;
        top = newTop;
        at = REGION_START;
        for (int i = 0; i < all.length; i += 2) {
            if (all[i] > at) insertHole(nholes, at, all[i] - at);
            at = Math.max(at, all[i + 1]);
        }
        int c = SmallPool.classFor(top);
        if (mayShrink && c >= 0 && c < regionClass) {
            SmallPool.Cohort oldCohort = cohort;
            long oldOff = regionOff;
            MemorySegment from = segment;
            try {
                moveInto(oldCohort, oldOff, from, SmallPool.acquire(c, SmallPool.SETTLED));
            } catch (RuntimeException | OutOfMemoryError e) {
                // Stays in the larger region: correct, only less compact (or closed meanwhile).
            }
        }
        return to;
    }

    /** Sorts pairs of longs ((start, end) or (offset, length)) by their first element; a handful of them. */
    static void sortPairs(long[] a) {
        for (int i = 2; i < a.length; i += 2) {
            long s = a[i], e = a[i + 1];
            int j = i - 2;
            for (; j >= 0 && a[j] > s; j -= 2) {
                a[j + 2] = a[j];
                a[j + 3] = a[j + 1];
            }
            a[j + 2] = s;
            a[j + 3] = e;
        }
    }

    /** Inserts the hole [off, off + len) at index i of the sorted list (the caller keeps it sorted and coalesced). */
    private void insertHole(int i, long off, long len) {
        if (holes == null) holes = new long[4];
        if (nholes == holes.length) holes = Arrays.copyOf(holes, nholes * 2);
        System.arraycopy(holes, i, holes, i + 1, nholes - i);
        holes[i] = off << 32 | len;
        nholes++;
    }

    /** A region block's size: the reservation's size class up to 2 KiB, 8-byte steps beyond. */
    private static long blockSize(long bytes) {
        return bytes <= MAX_SMALL ? CLASS_SIZE[classOf(bytes)] : alignUp(bytes, 8);
    }

    /**
     * The region cannot hold {@code needed} bytes: copy it into the smallest region that can, or past
     * {@link SmallPool#MAX_REGION} into a reservation of its own. The old region is given back dead.
     */
    private void outgrow(long needed) {
        SmallPool.Cohort oldCohort = cohort;
        long oldOff = regionOff;
        SmallPool.Region ahead = claimAhead();
        MemorySegment from = segment;
        int c = SmallPool.classFor(needed);
        try {
            if (c < 0) {
                toReservation(oldCohort, oldOff, from, needed);
            } else if (ahead != null && ahead.cohort().cls >= c) {
                SmallPool.Region k = ahead; // prepared, its pages faulted in: the copy takes no fault
                ahead = null;
                moveInto(oldCohort, oldOff, from, k);
            } else {
                // may throw: nothing changed then
                moveInto(oldCohort, oldOff, from, SmallPool.acquire(c, SmallPool.GROWING));
            }
        } catch (RuntimeException | Error e) {
            // Nothing changed: it waits for the next attempt (or goes back, when the map was closed meanwhile).
            if (ahead != null && !offerAhead(ahead, aheadFaulted)) SmallPool.release(ahead.cohort(), ahead.off());
            throw e;
        }
        if (ahead != null) SmallPool.release(ahead.cohort(), ahead.off()); // prepared for a need that turned out larger
    }

    /**
     * Past the pool: the region's bytes move into a reservation of the map's own (the one prepared, if any),
     * and the region goes back; as {@link #moveInto} when the map was closed or moved meanwhile.
     */
    private void toReservation(SmallPool.Cohort old, long oldOff, MemorySegment from, long needed) {
        Reservation prepared = claimNext(), r;
        try {
            r = prepared != null ? prepared.takeOver(from, top) : Reservation.adopt(from, top, needed);
        } catch (RuntimeException | Error e) { // nothing changed yet
            if (prepared != null && !offerNext(prepared, nextFaulted)) prepared.close();
            throw e;
        }
        boolean moved;
        synchronized (this) {
            moved = stillIn(old, oldOff);
            if (moved) {
                own = r;
                segment = r.segment();
                cohort = null;
                holes = null;
                nholes = 0;
            }
        }
        if (moved) {
            SmallPool.release(old, oldOff);
            return;
        }
        r.close();
        throw lostRace();
    }

    /**
     * Makes {@code g}, {@code faulted} bytes of it faulted in, the region taken ahead; false when the map was
     * closed or already has one (another writer, misuse): then the caller gives it back.
     */
    private synchronized boolean offerAhead(SmallPool.Region g, long faulted) {
        if (closed || aheadCohort != null) return false;
        aheadCohort = g.cohort();
        aheadOff = g.off();
        aheadFaulted = faulted;
        return true;
    }

    /** As {@link #offerAhead}, for the reservation prepared for the move out of the pool. */
    private synchronized boolean offerNext(Reservation r, long faulted) {
        if (closed || next != null) return false;
        next = r;
        nextFaulted = faulted;
        return true;
    }

    /** Takes the prepared reservation out of the map's hands (close() no longer sees it); null if none. */
    private synchronized Reservation claimNext() {
        Reservation r = next;
        next = null;
        return r;
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the map's memory is closed");
    }

    /**
     * One step of preparing, within the pool, a growth whose new array takes {@code bytes}; true while
     * there are more. When that array beside what the region holds now needs a larger region (of more
     * than a page), the first step takes it and each later one faults in one of its pages, so the put that
     * starts the growth copies into resident memory instead of faulting up to 16 fresh pages (about
     * 3 us each on the development VM). The region taken ahead counts in {@link #liveBytes()}.
     *
     * @throws OffHeapOutOfMemoryError when it cannot be had (the move will ask again)
     */
    public boolean prepareRegion(long bytes) {
        if (own != null) return false;
        checkOpen();
        SmallPool.Cohort a = aheadCohort; // read once: a racing close() takes it (misuse)
        if (a == null) {
            int c = SmallPool.classFor(top + blockSize(bytes));
            if (c < 0 || c <= regionClass || SmallPool.REGION_SIZE[c] <= PAGE) return false;
            SmallPool.Region g = SmallPool.acquire(c, SmallPool.GROWING);
            if (offerAhead(g, 0)) return true;
            SmallPool.release(g.cohort(), g.off());
            throw lostRace();
        }
        // Every page in already: a map that prepares again (its prepare was scheduled anew, as after a growth
        // that cursors held back) must not fault past the region, into its neighbours' memory.
        if (aheadFaulted >= a.regionSize) return false;
        // A write of zero onto a zeroed page faults it in without changing it.
        a.segment.set(Layouts.BYTE, aheadOff + aheadFaulted, (byte) 0);
        aheadFaulted += PAGE;
        return aheadFaulted < a.regionSize;
    }

    /** Frees a block of heap {@code heap}. */
    public void free(long off, long bytes, int heap) {
        if (own != null) {
            own.free(off, bytes, heap);
            return;
        }
        checkOpen();
        long size = blockSize(bytes);
        if (off + size == top) {
            top = off;
            // A hole that now ends at top goes back to the bump pointer too.
            if (nholes > 0) {
                long h = holes[nholes - 1], ho = h >>> 32, hl = h & 0xFFFFFFFFL;
                if (ho + hl == top) {
                    top = ho;
                    nholes--;
                }
            }
            return;
        }
        int i = 0;
        while (i < nholes && (holes[i] >>> 32) < off) i++;
        long start = off, len = size;
        if (i > 0) {
            long p = holes[i - 1], po = p >>> 32, pl = p & 0xFFFFFFFFL;
            if (po + pl == off) { // merge with the hole before
                start = po;
                len += pl;
                System.arraycopy(holes, i, holes, i - 1, nholes - i);
                nholes--;
                i--;
            }
        }
        if (i < nholes && (holes[i] >>> 32) == start + len) { // merge with the hole after
            len += holes[i] & 0xFFFFFFFFL;
            holes[i] = start << 32 | len;
            return;
        }
        insertHole(i, start, len);
    }

    /** Frees every block of {@code heap} at once, e.g. all String keys (see {@link #retainOnly} for regions). */
    public void dropHeap(int heap) {
        if (own != null) {
            own.dropHeap(heap);
            return;
        }
        checkOpen();
        if (heap == STRUCTURE) throw new IllegalArgumentException("the structure heap cannot be dropped");
        // A region does not track its blocks by heap: clear() ends with retainOnly, which frees them all.
    }

    /**
     * After clear(): every block but the one at {@code off} (the bucket array) is free. A region rebuilds
     * its holes; a reservation has already freed each block (and dropped the key heap) and does nothing.
     */
    public void retainOnly(long off, long bytes) {
        if (own != null) return;
        checkOpen();
        nholes = 0;
        top = off + blockSize(bytes);
        if (off > REGION_START) insertHole(0, REGION_START, off - REGION_START);
    }

    /** Frees a block returned by {@link #allocate} with the same {@code bytes}. */
    public void free(long off, long bytes) {
        free(off, bytes, STRUCTURE);
    }

    /** See {@link Reservation#freeReleased}; a region never releases part of a block. */
    public void freeReleased(long off, long bytes, long releasedUpTo) {
        if (own != null) {
            own.freeReleased(off, bytes, releasedUpTo);
        } else {
            free(off, bytes, STRUCTURE);
        }
    }

    /** Whether freed memory still waits to go back to the kernel (one field read, for hot paths). */
    public boolean hasDeferred() {
        Reservation r = own;
        return r != null && r.hasDeferred();
    }

    /** See {@link Reservation#releaseDeferred}. */
    public void releaseDeferred(long budget) {
        if (own != null) own.releaseDeferred(budget);
    }

    /** See {@link Reservation#release}; a region holds no whole huge page and releases nothing. */
    public long release(long from, long to) {
        if (own != null) return own.release(from, to);
        checkOpen();
        return from;
    }

    /** Zeroes [off, off + bytes). */
    public void zero(long off, long bytes) {
        if (own != null) {
            own.zero(off, bytes);
            return;
        }
        checkOpen();
        Layouts.zero(segment, off, bytes);
    }

    /**
     * Frees every byte; idempotent, and safe against a racing close(). Other threads still accessing the
     * map get IllegalStateException, or for a pooled map may still read its stale bytes until its cohort
     * retires (see {@link SmallPool}).
     */
    public void close() {
        close(null);
    }

    /**
     * As {@link #close()}; {@code beforeUnmap}, unless null, runs before an arena of the map's is closed
     * (its reservations', or a cohort's it retires), outside every lock: there the map waits for a write
     * racing the close to end (see MapCore.awaitWriter).
     */
    public void close(Runnable beforeUnmap) {
        Reservation o, n;
        SmallPool.Cohort k, a;
        long ko, ao;
        synchronized (this) {
            if (closed) return;
            closed = true;
            o = own;
            n = next;
            k = cohort;
            ko = regionOff;
            a = aheadCohort;
            ao = aheadOff;
            // Out of the map's hands, as claimAhead() takes it: a write racing this close (misuse) that has
            // passed its open check would otherwise claim it, find the map closed, and give it back again.
            aheadCohort = null;
            segment = CLOSED;
        }
        if (beforeUnmap != null && (o != null || n != null)) beforeUnmap.run();
        if (o != null) o.close();
        if (k != null) SmallPool.release(k, ko, beforeUnmap);
        if (n != null) n.close();
        if (a != null) SmallPool.release(a, ao, beforeUnmap);
        uncount();
    }

    private void uncount() {
        LIVE.decrementAndGet();
        if (LIVE_SITES != null) LIVE_SITES.remove(this);
    }

    /** Asks the prefault thread to fault [off, off + len) in ahead of use (reservations only). */
    public void prefault(long off, long len) {
        if (own != null) own.prefault(off, len);
    }

    /** Faults [off, off + len) in now (reservations only: a region is at most 64 KiB). */
    public void populate(long off, long len) {
        if (own != null) own.populate(off, len);
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) throw closedError();
    }

    static int classOf(long bytes) {
        if (bytes <= 64) return (int) Math.max(0, (bytes + 7) / 8 - 1);
        int c = 8;
        while (CLASS_SIZE[c] < bytes) c++;
        return c;
    }

    public static long alignUp(long x, long align) {
        return (x + align - 1) & -align;
    }

    /**
     * The bytes in use recounted from the layout instead of the running total. Equals {@link #liveBytes()}
     * while open (a check of it).
     */
    public long recountLiveBytes() {
        if (closed) return 0;
        if (own != null) return own.recountLiveBytes();
        return top <= SmallPool.REGION_SIZE[regionClass] ? pooledBytes() : -1;
    }

    /** For checkInvariants: the allocator's free blocks never overlap and stay inside what is used. */
    public String checkConsistency() {
        if (own != null) return own.checkConsistency();
        if (top < REGION_START || top > SmallPool.REGION_SIZE[regionClass]) return "region top " + top + " outside the region";
        long prevEnd = REGION_START;
        for (int i = 0; i < nholes; i++) {
            long ho = holes[i] >>> 32, hl = holes[i] & 0xFFFFFFFFL;
            if (ho < prevEnd || hl <= 0 || ho + hl > top || (i > 0 && ho == prevEnd)) {
                return "region hole " + i + " [" + ho + ", +" + hl + ") overlaps, escapes or was not coalesced";
            }
            prevEnd = ho + hl;
        }
        if (prevEnd == top && nholes > 0) return "a hole ends at the region's top";
        return null;
    }

    /** The bytes the map's blocks may occupy, for tests that compare a map's memory before and after. */
    public byte[] usedBytes() {
        if (own != null) return own.usedBytes();
        return segment.asSlice(0, top).toArray(Layouts.BYTE);
    }

    /** A growable list of longs (no boxing). */
    static final class LongList {
        private long[] a = new long[16];
        private int n;

        void add(long x, long y) {
            if (n + 2 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = x;
            a[n++] = y;
        }

        long get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        void clear() {
            n = 0;
        }
    }
}
