// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.OffHeapOutOfMemoryError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;

import static dev.hmap.internal.MapMemory.*;

/**
 * A map's own reservation: the memory of a map that outgrew the small-map pool ({@link SmallPool}), or
 * was made large. One virtual range, addressed by offsets from its start.
 *
 * <pre>
 *  0          72                       2 MiB                                              reserved
 *  +----------+------------------------+--------------------------------------------------+
 *  | hmap hdr | small zone: page blocks| huge zone: page blocks, 2 MiB-aligned when large,  |
 *  | + extra  | and size-class chunks  | MADV_HUGEPAGE (bucket arrays of large maps)       |
 *  +----------+------------------------+--------------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li><b>Offsets, not addresses.</b> Everything stored inside the map (bucket, overflow and extra
 *       pointers) is an offset into this reservation, so a map's bytes are position-independent and
 *       the reservation can move ({@code mremap}) without touching them. Offset 0 is the header, so no
 *       allocation ever has offset 0 and 0 can mean nil.</li>
 *   <li><b>Zero without a loop.</b> Page blocks come from never-touched reservation space or from
 *       ranges freed with {@code madvise(MADV_DONTNEED)}; both read as zero, so a new bucket array of
 *       any size is ready at once (the kernel zeroes a page at its first touch, spread over the puts
 *       that touch it). Only size-class blocks (at most 2 KiB) are zeroed by a fill on reuse.</li>
 *   <li><b>Free page ranges</b> are indexed by {@link FreeRanges}, outside the ranges themselves (they
 *       must stay untouched): first fit by address within the block's zone, O(log n) per allocation and
 *       free, so a map with thousands of holes pays no scan over them.</li>
 *   <li><b>Growth of the reservation.</b> When the huge zone is full, a reservation four times larger
 *       is mapped and both zones are moved into it with {@code mremap(MREMAP_DONTUNMAP)}: page tables
 *       move, no byte is copied, and the old range stays mapped (reading zero) until {@link #close()},
 *       so a racing reader that still holds the old segment never faults.</li>
 *   <li><b>Safe close.</b> Every segment belongs to one shared {@link Arena}; closing it makes the JDK
 *       invalidate the segments on all threads before the ranges are unmapped. Not quite: an access the
 *       close finds under way may still complete after it (JDK-8364167), so a map's close() first waits
 *       for a write of the map that races it (misuse; see MapCore.awaitWriter).</li>
 * </ul>
 *
 * <p>Not thread-safe: the owning map serializes all calls (through {@link MapMemory}).
 */
final class Reservation {
    private final Arena arena = Arena.ofShared();
    /** Held by the prefault thread during a step, and by close() and growReservation() around unmapping. */
    final Object populateLock = new Object();
    /** Prefault tasks for this memory not yet seen finished (owner thread only; see {@link #cancelPrefaults}). */
    private final ArrayList<Prefaulter.Task> prefaulting = new ArrayList<>(2);
    private volatile boolean populateUnsupported;
    /** The file this reservation maps, or null for anonymous memory (see {@link MappedFile}). */
    private final MappedFile file;
    private long base;
    private long reserved;
    private MemorySegment segment;
    private long[] oldMappings = new long[0]; // (address, length) pairs kept mapped until close
    private volatile boolean closed;

    private long smallTop = PAGE;       // bump pointer of the small zone (page 0 holds the header)
    private long hugeTop = SMALL_ZONE;  // bump pointer of the huge zone
    // Free page ranges, coalesced; every byte in them reads as zero.
    private FreeRanges free = new FreeRanges();
    // Per heap, per size class: singly linked free lists through the first 8 bytes of each free block;
    // and the chunks and large blocks each heap owns (for dropping a heap whole).
    private final long[][] classHead = new long[2][CLASS_SIZE.length];
    private final long[] classTop = new long[2], classEnd = new long[2];
    private final BlockSet[] heapBlocks = {new BlockSet(), new BlockSet()};

    // Freed page ranges not yet given back to the kernel (still counted in liveBytes).
    private long[] deferredStart = new long[8], deferredLen = new long[8];
    private int deferredCount;

    private long liveBytes;
    /** [0, legacyEnd): blocks adopted from a pooled region (see {@link #adopt}). */
    private long legacyEnd;

    private Reservation(long bytes) {
        long size = alignUp(Math.max(MIN_RESERVATION, bytes), HUGE_PAGE);
        this.file = null;
        this.base = mapReservation(size, size);
        this.reserved = size;
        remap();
        this.liveBytes = PAGE; // page 0: the hmap header and mapextra
    }

    private Reservation(MappedFile f) {
        this.file = f;
        this.base = f.mapBase();
        this.reserved = f.mapLength();
        remap();
        this.liveBytes = PAGE;
    }

    /**
     * The memory of a map in file {@code f}: the file's bytes after its header page. Departures from
     * anonymous memory, as the file demands: freed ranges are zeroed with a fill (in the same bounded
     * steps) instead of {@code MADV_DONTNEED}, which does not zero a shared file mapping; nothing is given
     * back while a map is evacuated; the reservation grows by growing the file ({@link MappedFile#ensure});
     * and no huge pages (the page cache has 4 KiB pages). The allocator's state lives in Java objects while
     * the map is open and is written to the file by {@link #checkpoint}.
     */
    static Reservation onFile(MappedFile f) {
        return new Reservation(f);
    }

    /** The segment over [base, base + reserved): read-only for a file opened read-only. */
    private void remap() {
        MemorySegment s = MemorySegment.ofAddress(base).reinterpret(reserved, arena, null);
        segment = file != null && file.readOnly ? s.asReadOnly() : s;
    }

    /** Reserves address space for a map expected to need about {@code expectedBytes}. */
    static Reservation reserve(long expectedBytes) {
        long max = MAX_RESERVATION;
        return new Reservation(expectedBytes > max / 4 ? max : 4 * Math.max(0, expectedBytes));
    }

    /**
     * A reservation that takes over the first {@code used} bytes of a pooled map's region, copied to the
     * same offsets (they are position-independent). That prefix stays allocated as a whole ("legacy"):
     * its blocks of at most 2 KiB are reused through the size classes when freed (the region rounds them
     * the same way), larger ones are not reused, so at most the region's size stays held.
     */
    static Reservation adopt(MemorySegment region, long used, long expectedBytes) {
        return reserve(expectedBytes).takeOver(region, used);
    }

    /** {@link #adopt} into this reservation, made earlier and not used yet (see {@link MapMemory#prepareOwn}). */
    Reservation takeOver(MemorySegment region, long used) {
        MemorySegment.copy(region, 0, segment, 0, used);
        legacyEnd = used;
        smallTop = Math.max(PAGE, alignUp(used, PAGE));
        liveBytes = smallTop;
        return this;
    }

    /** The segment over the whole reservation; changes when the reservation grows. */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * Bytes the map holds: live page blocks and size-class chunks, plus freed ranges still waiting to be
     * given back to the kernel. Ranges already given back (reading zero, reusable) do not count.
     */
    public long liveBytes() {
        return liveBytes;
    }

    public long reservedBytes() {
        return reserved;
    }

    /**
     * Allocates {@code bytes} of zeroed memory and returns its offset (never 0). Blocks up to 2 KiB are
     * 8-byte aligned, larger ones page aligned, and those of 2 MiB and more huge-page aligned.
     *
     * @throws OffHeapOutOfMemoryError when the kernel refuses the memory; nothing is changed then
     */
    public long allocate(long bytes) {
        return allocate(bytes, STRUCTURE);
    }

    /** As {@link #allocate(long)}, from heap {@code heap}. */
    public long allocate(long bytes, int heap) {
        checkOpen();
        if (bytes <= 0) throw new IllegalArgumentException("allocation of " + bytes + " bytes");
        checkBlockSize(bytes);
        FaultInjection.beforeAllocation(bytes);
        return allocateMoved(bytes, heap);
    }

    /** The reservation is NORESERVE: refuse what could never be backed instead of failing at a touch. */
    static void checkBlockSize(long bytes) {
        if (bytes > PHYSICAL_MEMORY) {
            throw new OffHeapOutOfMemoryError("a block of " + bytes + " bytes exceeds this machine's "
                    + PHYSICAL_MEMORY + " bytes of memory", bytes);
        }
    }

    /**
     * An allocation already checked (and counted by fault injection) by a pooled map that has just moved
     * here; the reservation was made large enough for it ({@link #adopt}), so it cannot fail.
     */
    long allocateMoved(long bytes, int heap) {
        long off;
        if (bytes <= MAX_SMALL) {
            off = allocateSmall(heap, classOf(bytes));
        } else {
            long size = alignUp(bytes, PAGE);
            off = heap == STRUCTURE ? 0 : takeReusable(size);
            if (off != 0) {
                Layouts.zero(segment, off, size); // resident: a fill, no fault (and still counted in liveBytes)
            } else {
                off = allocatePages(size);
                liveBytes += size;
            }
            if (heap != STRUCTURE) heapBlocks[heap].add(off, size);
        }
        return off;
    }

    /** Frees a block of heap {@code heap}. */
    public void free(long off, long bytes, int heap) {
        checkOpen();
        if (off < legacyEnd) {
            freeLegacy(off, bytes, heap);
        } else if (bytes <= MAX_SMALL) {
            pushFree(heap, classOf(bytes), off);
        } else {
            long size = alignUp(bytes, PAGE);
            if (heap != STRUCTURE) {
                heapBlocks[heap].remove(off);
                if (keepForReuse(off, size)) return;
            }
            defer(off, size);
        }
    }

    // Freed page blocks of the byte heap, kept resident for the next block of the same size: a churn of
    // large values frees one block per write and takes another; giving each back (MADV_DONTNEED) and
    // faulting its successor in cost ~46 µs per replace of values up to 64 KiB (BytesMemory --churn
    // --keys 10000 --max-len 65536), where a fill of the kept block costs a few. By page count up to
    // REUSE_MAX_PAGES, at most reuseBudget() bytes in all; they stay in liveBytes, and clear() gives them back.

    static final int REUSE_MAX_PAGES = 256;
    private final long[][] reusable = new long[REUSE_MAX_PAGES + 1][];
    private final int[] reusableCount = new int[REUSE_MAX_PAGES + 1];
    private long reusableBytes;

    private long reuseBudget() {
        return Math.max(4L << 20, liveBytes / 32);
    }

    private boolean keepForReuse(long off, long size) {
        int pages = (int) Math.min(size / PAGE, Integer.MAX_VALUE);
        if (pages > REUSE_MAX_PAGES || reusableBytes + size > reuseBudget()) return false;
        long[] a = reusable[pages];
        int n = reusableCount[pages];
        if (a == null || n == a.length) reusable[pages] = a = Arrays.copyOf(a == null ? new long[0] : a, Math.max(8, 2 * n));
        a[n] = off;
        reusableCount[pages] = n + 1;
        reusableBytes += size;
        return true;
    }

    /** A kept block of exactly size bytes, or 0. */
    private long takeReusable(long size) {
        long pages = size / PAGE;
        if (pages > REUSE_MAX_PAGES || reusableCount[(int) pages] == 0) return 0;
        int p = (int) pages;
        reusableBytes -= size;
        return reusable[p][--reusableCount[p]];
    }

    /** Gives every kept block back (deferred, as a free is). */
    private void dropReusable() {
        for (int p = 1; p <= REUSE_MAX_PAGES; p++) {
            for (int i = 0; i < reusableCount[p]; i++) defer(reusable[p][i], (long) p * PAGE);
            reusableCount[p] = 0;
        }
        reusableBytes = 0;
    }

    /** Frees every block of {@code heap} at once (its chunks and large blocks), e.g. all String keys. */
    public void dropHeap(int heap) {
        checkOpen();
        if (heap == STRUCTURE) throw new IllegalArgumentException("the structure heap cannot be dropped");
        BlockSet blocks = heapBlocks[heap];
        blocks.forEach(this::defer);
        blocks.clear();
        dropReusable();
        java.util.Arrays.fill(classHead[heap], 0L);
        classTop[heap] = classEnd[heap] = 0;
    }

    /** A block of the adopted prefix: size-class blocks are reused, larger ones stay with the prefix. */
    private void freeLegacy(long off, long bytes, int heap) {
        if (bytes <= MAX_SMALL) pushFree(heap, classOf(bytes), off);
    }

    private void pushFree(int heap, int c, long off) {
        segment.set(Layouts.LONG, off, classHead[heap][c]);
        classHead[heap][c] = off;
    }

    /** Frees a block returned by {@link #allocate} with the same {@code bytes}. */
    public void free(long off, long bytes) {
        freeReleased(off, bytes, off);
    }

    /**
     * Frees a block whose first {@code releasedUpTo - off} bytes were already given back with
     * {@link #release}. The part already released is reusable at once; the rest is queued and handed back
     * to the kernel by {@link #releaseDeferred} in bounded steps, so freeing a large array (or many slabs)
     * never costs one caller milliseconds of page zapping.
     */
    public void freeReleased(long off, long bytes, long releasedUpTo) {
        checkOpen();
        if (off < legacyEnd) {
            freeLegacy(off, bytes, STRUCTURE);
            return;
        }
        if (bytes <= MAX_SMALL) {
            pushFree(STRUCTURE, classOf(bytes), off);
            return;
        }
        long size = alignUp(bytes, PAGE);
        long from = Math.min(Math.max(alignUp(releasedUpTo, PAGE), off), off + size);
        if (from > off) {
            free.add(off, from - off);
            liveBytes -= from - off;
        }
        if (from < off + size) defer(from, off + size - from);
    }

    /** Whether freed memory still waits to go back to the kernel (one field read, for hot paths). */
    public boolean hasDeferred() {
        return deferredCount != 0;
    }

    /**
     * Hands up to {@code budget} bytes of freed memory back to the kernel ({@code MADV_DONTNEED}); they
     * become reusable (and read zero). Called by writes while {@link #hasDeferred()}.
     */
    public void releaseDeferred(long budget) {
        checkOpen();
        while (budget > 0 && deferredCount > 0) {
            int i = deferredCount - 1;
            long s = deferredStart[i], len = deferredLen[i];
            // Cut at huge-page boundaries, so no huge page is split.
            long n = Math.min(len, Math.max(HUGE_PAGE - (s & (HUGE_PAGE - 1)), budget & -HUGE_PAGE));
            dontNeed(s, n);
            free.add(s, n);
            liveBytes -= n;
            budget -= n;
            if (n == len) {
                deferredCount--;
            } else {
                deferredStart[i] = s + n;
                deferredLen[i] = len - n;
            }
        }
    }

    private void defer(long off, long len) {
        if (deferredCount == deferredStart.length) {
            deferredStart = Arrays.copyOf(deferredStart, deferredCount * 2);
            deferredLen = Arrays.copyOf(deferredLen, deferredCount * 2);
        }
        deferredStart[deferredCount] = off;
        deferredLen[deferredCount++] = len;
    }

    /**
     * Gives the whole huge pages inside [from, to) back to the kernel while the block stays allocated;
     * they read as zero afterwards. Returns the end of what was released (&lt;= to), or {@code from} if
     * nothing was.
     */
    public long release(long from, long to) {
        checkOpen();
        if (file != null) return from; // a file keeps its pages (see onFile)
        // Whole huge pages only: releasing part of one would make the kernel split it.
        long a = alignUp(from, HUGE_PAGE), b = to & -HUGE_PAGE;
        if (b <= a) return from;
        dontNeed(a, b - a);
        return b;
    }

    /** Zeroes [off, off + bytes): whole pages through the kernel, the edges with a fill. */
    public void zero(long off, long bytes) {
        checkOpen();
        long a = alignUp(off, PAGE), b = (off + bytes) & -PAGE;
        if (b - a >= 16 * PAGE) {
            Layouts.zero(segment, off, a - off);
            dontNeed(a, b - a);
            Layouts.zero(segment, b, off + bytes - b);
        } else {
            Layouts.zero(segment, off, bytes);
        }
    }

    /** Frees every byte; idempotent. Other threads still accessing the map get IllegalStateException. */
    public void close() {
        if (closed) return;
        synchronized (populateLock) {
            if (closed) return; // two racing close() calls: one unmaps and uncounts
            closed = true;
        }
        arena.close(); // the JDK invalidates the segments on every thread before we unmap
        if (file != null) {
            file.close();
        } else {
            Native.munmap(base, reserved);
        }
        for (int i = 0; i < oldMappings.length; i += 2) Native.munmap(oldMappings[i], oldMappings[i + 1]);
        liveBytes = 0;
        segment = CLOSED;
    }

    /** Asks the prefault thread to fault [off, off + len) in ahead of use. */
    public void prefault(long off, long len) {
        if (populateUnsupported) return;
        Prefaulter.Task t = Prefaulter.submit(this, off, len);
        if (t == null) return;
        forgetFinishedPrefaults();
        prefaulting.add(t);
    }

    private void forgetFinishedPrefaults() {
        for (int i = prefaulting.size() - 1; i >= 0; i--) {
            if (prefaulting.get(i).done) prefaulting.remove(i);
        }
    }

    /**
     * Cancels the prefault tasks that cover part of [off, off + len), which is being given back: a step
     * after this one would fault it in again, resident but no longer counted. A step already running
     * finishes (this thread does not wait for it), so at most one step, 2 MiB, may stay resident per task.
     */
    private void cancelPrefaults(long off, long len) {
        for (int i = prefaulting.size() - 1; i >= 0; i--) {
            Prefaulter.Task t = prefaulting.get(i);
            if (!t.done && !t.overlaps(off, off + len)) continue;
            t.cancelled = true;
            prefaulting.remove(i);
        }
    }

    /**
     * Faults [off, off + len) in now, on the calling thread, with the kernel's zeroed pages (huge pages
     * where the range is advised for them): the puts that later write there never wait for a fault.
     */
    public void populate(long off, long len) {
        checkOpen();
        for (long o = off; o < off + len; o += Prefaulter.STEP) {
            long n = Math.min(Prefaulter.STEP, off + len - o);
            if (!populateUnsupported) {
                Native.Result r = Native.madvise(base + o, n, Native.MADV_POPULATE_WRITE);
                if (r.errno() == 0) continue;
                if (r.errno() == Native.EINVAL) populateUnsupported = true; // kernel before 5.14
            }
            // A write of zero onto a zeroed page faults it in without changing it.
            for (long p = o; p < o + n; p += PAGE) segment.set(Layouts.BYTE, p, (byte) 0);
        }
    }

    /**
     * One step of task {@code t}, on the prefault thread; false once the task is cancelled, this memory is
     * closed, or populating fails.
     */
    boolean populateStep(Prefaulter.Task t, long off, long len) {
        synchronized (populateLock) {
            if (t.cancelled || closed || populateUnsupported || off + len > reserved) return false;
            Native.Result r = Native.madvise(base + off, len, Native.MADV_POPULATE_WRITE);
            if (r.errno() == Native.EINVAL) populateUnsupported = true; // kernel before 5.14
            return r.errno() == 0;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the map's memory is closed");
    }

    // ---------------------------------------------------------------- size classes

    private long allocateSmall(int heap, int c) {
        long size = CLASS_SIZE[c];
        long off = classHead[heap][c];
        if (off != 0) {
            classHead[heap][c] = segment.get(Layouts.LONG, off);
            Layouts.zero(segment, off, size);
            return off;
        }
        if (classTop[heap] + size > classEnd[heap]) {
            long chunk = allocatePages(CLASS_CHUNK);
            liveBytes += CLASS_CHUNK;
            if (heap != STRUCTURE) heapBlocks[heap].add(chunk, CLASS_CHUNK);
            classTop[heap] = chunk;
            classEnd[heap] = chunk + CLASS_CHUNK;
        }
        off = classTop[heap];
        classTop[heap] += size;
        return off;
    }

    // ---------------------------------------------------------------- page blocks

    private long allocatePages(long size) {
        long align = size >= HUGE_PAGE ? HUGE_PAGE : PAGE;
        boolean small = size < SMALL_BLOCK_LIMIT;
        // First fit in the free ranges (they are zero) of the block's own zone.
        long off = free.take(small ? FreeRanges.SMALL : FreeRanges.HUGE, size, align);
        if (off >= 0) return off;
        if (small && smallTop + size <= SMALL_ZONE) {
            off = smallTop;
            smallTop += size;
            return off;
        }
        // A small block that the full small zone cannot hold goes to the huge zone: into a free range
        // there first. Bumping the top instead would leave freed small blocks only to blocks of 256 KiB or
        // more, so a churn of a few pages would grow the address range without bound.
        if (small && (off = free.take(FreeRanges.HUGE, size, align)) >= 0) return off;
        long a = alignUp(hugeTop, align);
        if (a + size > reserved) {
            growReservation(a + size);
        }
        if (a > hugeTop) free.add(hugeTop, a - hugeTop); // alignment gap stays usable
        hugeTop = a + size;
        return a;
    }

    private void dontNeed(long off, long len) {
        if (len <= 0) return;
        cancelPrefaults(off, len);
        if (file != null) {
            Layouts.zero(segment, off, len); // a shared file mapping does not read zero after MADV_DONTNEED
            return;
        }
        Native.Result r = Native.madvise(base + off, len, Native.MADV_DONTNEED);
        if (r.errno() != 0) {
            // Cannot happen for our own private anonymous ranges; zero by hand so the invariant holds.
            Layouts.zero(segment, off, len);
        }
    }

    // ---------------------------------------------------------------- the reservation

    /** Mappings one reservation can add to the process's count: the range, split by the huge-page advice. */
    static final int RESERVATION_MAPPINGS = 2;

    /**
     * Maps {@code size} bytes of NORESERVE address space aligned to 2 MiB; huge zone advised. The range is
     * first mapped {@link ProcessLimits#ADDRESS_HEADROOM} larger and trimmed, so the JVM keeps that much
     * address space after it (see {@link ProcessLimits}).
     */
    static long mapReservation(long size, long request) {
        long addr = reserve(size, request, Native.PROT_READ | Native.PROT_WRITE);
        // Best effort: without THP support the advice fails and plain pages are used.
        if (HUGE_PAGES) Native.madvise(addr + SMALL_ZONE, size - SMALL_ZONE, Native.MADV_HUGEPAGE);
        return addr;
    }

    /** As {@link #mapReservation}, inaccessible (PROT_NONE): address space a file is mapped into. */
    static long reserveAddressSpace(long size, long request) {
        return reserve(size, request, Native.PROT_NONE);
    }

    private static long reserve(long size, long request, int prot) {
        ProcessLimits.reserveMappings(RESERVATION_MAPPINGS, request);
        long span = size + HUGE_PAGE + ProcessLimits.ADDRESS_HEADROOM;
        Native.Result r = Native.mmap(0, span, prot,
                Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE);
        if (r.value() == -1L) {
            throw new OffHeapOutOfMemoryError("cannot reserve " + size + " bytes of address space for "
                    + request + " bytes while keeping " + ProcessLimits.ADDRESS_HEADROOM + " free for the JVM "
                    + "(mmap errno " + r.errno() + "; the process's address-space limit, ulimit -v, is "
                    + ProcessLimits.addressSpaceLimit() + "). Close maps you no longer need", request);
        }
        long raw = r.value();
        long addr = alignUp(raw, HUGE_PAGE);
        if (addr > raw) Native.munmap(raw, addr - raw);
        long tail = raw + span - (addr + size);
        if (tail > 0) Native.munmap(addr + size, tail);
        return addr;
    }

    private void growReservation(long needed) {
        if (needed > MAX_RESERVATION) {
            throw new OffHeapOutOfMemoryError("a map cannot address more than " + MAX_RESERVATION
                    + " bytes (asked for " + needed + ")", needed);
        }
        if (file != null) {
            synchronized (populateLock) { // the mapping may move
                file.ensure(needed);
                base = file.mapBase();
                reserved = file.mapLength();
                remap();
            }
            return;
        }
        long size = alignUp(Math.max(Math.min(reserved * 8, MAX_RESERVATION), needed), HUGE_PAGE);
        long addr = mapReservation(size, needed - hugeTop);
        synchronized (populateLock) { // no prefault step may run while the pages move
            moveReservation(addr, size, needed);
        }
    }

    private void moveReservation(long addr, long size, long needed) {
        try {
            // The moved zones split the new range, and the old one stays mapped until close.
            ProcessLimits.reserveMappings(RESERVATION_MAPPINGS, needed);
        } catch (OffHeapOutOfMemoryError e) {
            Native.munmap(addr, size);
            throw e;
        }
        // Move both zones (two VMAs) into the new reservation; page tables move, no copy.
        if (!move(base, SMALL_ZONE, addr) || !move(base + SMALL_ZONE, reserved - SMALL_ZONE, addr + SMALL_ZONE)) {
            Native.munmap(addr, size);
            throw new OffHeapOutOfMemoryError("cannot move the map's memory to a larger reservation", needed);
        }
        oldMappings = withRange(oldMappings, base, reserved);
        base = addr;
        reserved = size;
        remap();
    }

    /** {@code ranges}, (address, length) pairs, with one more. */
    static long[] withRange(long[] ranges, long addr, long len) {
        long[] r = Arrays.copyOf(ranges, ranges.length + 2);
        r[r.length - 2] = addr;
        r[r.length - 1] = len;
        return r;
    }

    private static boolean move(long from, long len, long to) {
        Native.Result r = Native.mremap(from, len, len,
                Native.MREMAP_MAYMOVE | Native.MREMAP_FIXED | Native.MREMAP_DONTUNMAP, to);
        if (r.value() != -1L) return true;
        if (r.errno() != Native.EINVAL) return false;
        // Kernels before 5.7 lack DONTUNMAP: move, then map the old range again so it stays readable.
        r = Native.mremap(from, len, len, Native.MREMAP_MAYMOVE | Native.MREMAP_FIXED, to);
        if (r.value() == -1L) return false;
        Native.mmap(from, len, Native.PROT_READ,
                Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE | Native.MAP_FIXED);
        return true;
    }

    // ---------------------------------------------------------------- the file's snapshot

    /** Where the last checkpoint wrote its snapshot (free space past hugeTop, zeroed again by markDirty). */
    private long snapshotOff, snapshotLen;

    /** Appends the allocator's state to {@code out}; {@link #restoreState} reads it back. */
    void saveState(Snapshot.Writer out) {
        out.put(smallTop).put(hugeTop).put(liveBytes).put(legacyEnd);
        for (int h = 0; h < 2; h++) {
            for (long head : classHead[h]) out.put(head);
            out.put(classTop[h]).put(classEnd[h]);
        }
        out.put(free.count());
        free.forEach((o, n) -> out.put(o).put(n));
        BlockSet blocks = heapBlocks[BYTES];
        out.put(blocks.size());
        blocks.forEach((o, n) -> out.put(o).put(n));
        out.put(deferredCount);
        for (int i = 0; i < deferredCount; i++) out.put(deferredStart[i]).put(deferredLen[i]);
        int kept = 0;
        for (int c : reusableCount) kept += c;
        out.put(kept);
        for (int p = 1; p <= REUSE_MAX_PAGES; p++) {
            for (int i = 0; i < reusableCount[p]; i++) out.put(p).put(reusable[p][i]);
        }
    }

    /** Restores what {@link #saveState} wrote, into a reservation fresh from {@link #onFile}. */
    void restoreState(Snapshot.Reader in) {
        long end = reserved;
        smallTop = in.next(PAGE, SMALL_ZONE, "the small zone's top");
        hugeTop = in.next(SMALL_ZONE, end, "the huge zone's top");
        liveBytes = in.next(PAGE, end, "the live bytes");
        legacyEnd = in.next(0, end, "the adopted prefix");
        for (int h = 0; h < 2; h++) {
            for (int c = 0; c < classHead[h].length; c++) classHead[h][c] = in.next(0, end, "a size-class head");
            classTop[h] = in.next(0, end, "a chunk's top");
            classEnd[h] = in.next(classTop[h], end, "a chunk's end");
        }
        for (int i = 0, n = in.count(2); i < n; i++) {
            long o = in.next(PAGE, end, "a free range"), len = in.next(PAGE, end - o, "a free range's length");
            free.add(o, len);
        }
        for (int i = 0, n = in.count(2); i < n; i++) {
            long o = in.next(PAGE, end, "a block"), len = in.next(1, end - o, "a block's length");
            heapBlocks[BYTES].add(o, len);
        }
        for (int i = 0, n = in.count(2); i < n; i++) {
            long o = in.next(PAGE, end, "a deferred range"), len = in.next(1, end - o, "a deferred range's length");
            defer(o, len);
        }
        for (int i = 0, n = in.count(2); i < n; i++) {
            int p = (int) in.next(1, REUSE_MAX_PAGES, "a kept block's pages");
            long o = in.next(PAGE, end - (long) p * PAGE, "a kept block");
            if (!keepForReuse(o, (long) p * PAGE)) defer(o, (long) p * PAGE);
        }
        String bad = checkConsistency();
        if (bad != null) throw in.damaged(bad);
        if (recountLiveBytes() != liveBytes) {
            throw in.damaged("its live bytes do not add up");
        }
    }

    /**
     * The state a clean file's header points to, checksum checked.
     *
     * @throws IllegalArgumentException if it lies outside the map or its checksum does not match
     */
    long[] readSnapshot() {
        MemorySegment h = file.header();
        long off = FileHeader.snapshotOffset(h), len = FileHeader.snapshotLength(h);
        if (off < PAGE || len <= 0 || len % 8 != 0 || off > reserved - len) {
            throw new IllegalArgumentException("cannot open " + file.path + ": its header points to a state snapshot "
                    + "outside the file (" + off + ", " + len + " bytes)");
        }
        MemorySegment snap = segment.asSlice(off, len);
        if (FileHeader.crc(snap) != FileHeader.snapshotChecksum(h)) {
            throw new IllegalArgumentException("cannot open " + file.path + ": its state snapshot checksum does not match");
        }
        snapshotOff = off;
        snapshotLen = len;
        return snap.toArray(Layouts.LONG);
    }

    /**
     * Makes the file clean: writes {@code state} past every allocated block, forces the map's memory
     * and then the header, marked clean and pointing to it, to storage.
     *
     * @throws OffHeapOutOfMemoryError if the file cannot grow to hold the snapshot; the file stays dirty
     */
    void checkpoint(long[] state) {
        checkOpen();
        long off = alignUp(hugeTop, PAGE), len = 8L * state.length;
        if (off + len > reserved) growReservation(off + len);
        MemorySegment.copy(state, 0, segment, Layouts.LONG, off, state.length);
        long crc = FileHeader.crc(segment.asSlice(off, len));
        file.sync(0, off + len);
        FileHeader.markClean(file.header(), file.mapLength(), off, len, crc);
        file.sync(0, 0);
        snapshotOff = off;
        snapshotLen = len;
    }

    /**
     * Marks the file dirty, on storage, before the first write after it was clean; then zeroes the old
     * snapshot, which lies in free space that must read zero.
     */
    void markDirty() {
        checkOpen();
        FileHeader.markDirty(file.header());
        file.syncHeader();
        if (snapshotLen > 0) Layouts.zero(segment, snapshotOff, snapshotLen);
        snapshotLen = 0;
    }

    /** A shared reader's memory follows its file's growth (see {@link MappedFile#follow}); false if it did not grow. */
    boolean follow() {
        checkOpen();
        synchronized (populateLock) {
            if (!file.follow()) return false;
            base = file.mapBase();
            reserved = file.mapLength();
            remap();
            return true;
        }
    }

    /** The file, or null for anonymous memory. */
    MappedFile file() {
        return file;
    }

    /**
     * After a writer was killed: the allocator's state rebuilt from the blocks the map reaches, given as
     * {@code n} (offset, bytes as asked of {@link #allocate}, heap) triples; everything else is free. Pages
     * that hold no block become free ranges, and are zeroed where they are not zero already (a read
     * first, so pages that are zero are not written); the room between the size-class blocks of a page
     * goes to the size-class free lists of that page's heap; runs of byte-heap pages, and byte-heap page
     * blocks, are the heap's blocks again (for clear()). A block given twice (an entry and its copy share
     * their bytes) counts once. Linear in the map's length: a bit per 8 bytes, a kind per page, no sort.
     * Returns the bytes it zeroed.
     *
     * @throws IllegalStateException if a block lies outside the map, or page-aligned blocks and size-class
     *                               blocks share a page: not a map a killed writer can leave; nothing changed
     */
    long rebuild(long[] offs, long[] bytes, int[] heaps, int n) {
        checkOpen();
        long pages = reserved / PAGE;
        if (pages > Integer.MAX_VALUE) throw new IllegalStateException("a map of " + reserved + " bytes is too large to repair");
        byte[] kind = new byte[(int) pages]; // FREE_PAGE, or 1 + heap for size-class pages, or PAGE_BLOCK
        long[] words = new long[(int) ((reserved / 8 + 63) / 64)]; // a bit per 8 bytes of size-class pages in use
        kind[0] = PAGE_BLOCK; // the header page
        long[] bigOff = new long[16], bigSize = new long[16];
        int big = 0;
        for (int i = 0; i < n; i++) {
            long o = offs[i], b = bytes[i];
            long size = b <= MAX_SMALL ? CLASS_SIZE[classOf(b)] : alignUp(b, PAGE);
            if (o < PAGE || b <= 0 || o > reserved - size || (o & 7) != 0 || (o < SMALL_ZONE && o + size > SMALL_ZONE)) {
                throw new IllegalStateException("block [" + o + ", +" + b + ") lies outside the map");
            }
            if (b > MAX_SMALL) {
                if ((o & (PAGE - 1)) != 0) throw new IllegalStateException("page block at " + o + " is not page-aligned");
                int p0 = (int) (o / PAGE), p1 = (int) ((o + size) / PAGE);
                if (kind[p0] == PAGE_BLOCK) continue; // given twice
                for (int p = p0; p < p1; p++) {
                    if (kind[p] != FREE_PAGE) throw new IllegalStateException("page block at " + o + " overlaps another block");
                    kind[p] = PAGE_BLOCK;
                }
                if (heaps[i] != STRUCTURE) {
                    if (big == bigOff.length) {
                        bigOff = Arrays.copyOf(bigOff, 2 * big);
                        bigSize = Arrays.copyOf(bigSize, 2 * big);
                    }
                    bigOff[big] = o;
                    bigSize[big++] = size;
                }
            } else {
                byte k = (byte) (1 + heaps[i]);
                for (long p = o / PAGE; p <= (o + size - 1) / PAGE; p++) {
                    if (kind[(int) p] != FREE_PAGE && kind[(int) p] != k) {
                        throw new IllegalStateException("block at " + o + " shares a page with a block of another kind");
                    }
                    kind[(int) p] = k;
                }
                for (long u = o >>> 3, e = (o + size) >>> 3; u < e; u++) words[(int) (u >>> 6)] |= 1L << u;
            }
        }
        free = new FreeRanges();
        for (long[] h : classHead) Arrays.fill(h, 0L);
        Arrays.fill(classTop, 0L);
        Arrays.fill(classEnd, 0L);
        for (BlockSet b : heapBlocks) b.clear();
        deferredCount = 0;
        Arrays.fill(reusableCount, 0);
        reusableBytes = 0;
        legacyEnd = 0;
        for (int i = 0; i < big; i++) heapBlocks[BYTES].add(bigOff[i], bigSize[i]);
        // The tops: past the last page in use of each zone.
        int smallPages = (int) (SMALL_ZONE / PAGE);
        int lastSmall = 0, lastHuge = smallPages - 1;
        for (int p = 0; p < smallPages && p < pages; p++) if (kind[p] != FREE_PAGE) lastSmall = p;
        for (int p = smallPages; p < pages; p++) if (kind[p] != FREE_PAGE) lastHuge = p;
        smallTop = (lastSmall + 1L) * PAGE;
        hugeTop = (lastHuge + 1L) * PAGE;
        long zeroed = 0;
        for (int p = 0; p < pages; ) {
            int q = p + 1;
            if (kind[p] == FREE_PAGE) {
                boolean zoneEnd = p < smallPages;
                while (q < pages && kind[q] == FREE_PAGE && (q < smallPages) == zoneEnd) q++;
                long from = p * PAGE, to = q * PAGE;
                zeroed += zeroIfNot(from, to);
                if (to <= smallTop || (from >= SMALL_ZONE && to <= hugeTop)) free.add(from, to - from);
            } else if (kind[p] != PAGE_BLOCK) {
                int heap = kind[p] - 1;
                while (q < pages && kind[q] == kind[p] && q != smallPages) q++;
                carveUnused(words, heap, p * PAGE, q * PAGE);
                if (heap != STRUCTURE) heapBlocks[heap].add(p * PAGE, (q - p) * PAGE);
            }
            p = q;
        }
        liveBytes = recountLiveBytes();
        String bad = checkConsistency();
        if (bad != null) throw new IllegalStateException("the rebuilt allocator is inconsistent: " + bad);
        return zeroed;
    }

    private static final byte FREE_PAGE = 0, PAGE_BLOCK = (byte) 0x7F;

    /** The runs of [from, to) whose 8-byte units are not in use: onto the size-class free lists of {@code heap}. */
    private void carveUnused(long[] words, int heap, long from, long to) {
        long u = from >>> 3, end = to >>> 3;
        while (u < end) {
            if ((words[(int) (u >>> 6)] & 1L << u) != 0) {
                u++;
                continue;
            }
            long start = u;
            while (u < end && (words[(int) (u >>> 6)] & 1L << u) == 0) u++;
            carve(heap, start << 3, u << 3);
        }
    }

    /** The room [from, to) between size-class blocks of heap {@code heap}: onto its free lists, largest classes first. */
    private void carve(int heap, long from, long to) {
        while (to - from >= CLASS_SIZE[0]) {
            int c = CLASS_SIZE.length - 1;
            while (CLASS_SIZE[c] > to - from) c--;
            pushFree(heap, c, from);
            from += CLASS_SIZE[c];
        }
    }

    private static final MemorySegment ZERO_PAGE = Arena.global().allocate(PAGE);

    /** Zeroes the pages of [from, to) (page-aligned) that are not zero; returns the bytes written. */
    private long zeroIfNot(long from, long to) {
        long z = 0;
        for (long p = from; p < to; p += PAGE) {
            if (MemorySegment.mismatch(segment, p, p + PAGE, ZERO_PAGE, 0, PAGE) >= 0) {
                Layouts.zero(segment, p, PAGE);
                z += PAGE;
            }
        }
        return z;
    }

    /**
     * The bytes in use recounted from the layout instead of the running total: everything below the two
     * bump pointers that is not in a free range. Equals {@link #liveBytes()} while open (a check of it).
     */
    public long recountLiveBytes() {
        if (closed) return 0;
        return smallTop + (hugeTop - SMALL_ZONE) - free.bytes();
    }

    /** The bytes below the two bump pointers: [0, smallTop) and [SMALL_ZONE, hugeTop), concatenated. */
    byte[] usedBytes() {
        byte[] a = segment.asSlice(0, smallTop).toArray(Layouts.BYTE);
        byte[] b = segment.asSlice(SMALL_ZONE, hugeTop - SMALL_ZONE).toArray(Layouts.BYTE);
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * For checkInvariants: the allocator's free ranges never overlap, are coalesced and stay inside the
     * used part of their zone, and no range waiting to be given back is free.
     */
    public String checkConsistency() {
        String f = free.check(smallTop, hugeTop);
        if (f != null) return f;
        for (int d = 0; d < deferredCount; d++) {
            if (free.overlaps(deferredStart[d], deferredLen[d])) {
                return "deferred range [" + deferredStart[d] + ", +" + deferredLen[d] + ") overlaps a free range";
            }
        }
        return null;
    }

    /** The top of the huge zone's used part: the reservation's address range in use (for tests). */
    long hugeTop() {
        return hugeTop;
    }

    /** The free page ranges (for tests). */
    FreeRanges freeRanges() {
        return free;
    }
}
