// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import static dev.hmap.internal.HmapHeader.*;
import static dev.hmap.internal.Tophash.*;

/**
 * The half of Go 1.19's map algorithm that does not depend on the key type, shared by every generated
 * map and set: header bookkeeping, makemap/makeBucketArray, hashGrow, newoverflow, incrnoverflow,
 * advanceEvacuationMark, delete's emptyRest back-propagation, mapclear, memory ownership, stats and the
 * executable invariants. The generated classes hold the loops that must be specialized for speed
 * (lookup, assign, delete, evacuate, iteration), as Go's map_fast32.go / map_fast64.go do.
 *
 * <h2>The design in one screen</h2>
 * A map is an array of 2^B buckets; a bucket holds 8 slots (tophash byte, key, value) and a pointer to an
 * overflow bucket. The low B bits of a key's hash pick the bucket, the top byte (tophash) tells slots
 * apart without comparing keys. When count exceeds 6.5 per bucket (load factor 13/2), or there are about
 * as many overflow buckets as buckets, the map <i>grows</i>: a new array (twice as large, or the same
 * size to squeeze out overflow buckets left by deletes) is made, and every later write first
 * <i>evacuates</i> the old bucket it is about to use plus one more, in order, so no single call pays for
 * the whole move. Old bucket i goes to new buckets i (X) and i + 2^oldB (Y), chosen by one hash bit.
 * Reads during a growth look in the old bucket until it is evacuated. Iterators start at a random bucket
 * and slot and cope with growth by reading the old bucket and keeping only the keys that land in the
 * new bucket they are at (see the generated cursor).
 *
 * <h2>Where hmap departs from Go</h2>
 * <ul>
 *   <li>Memory is the map's own ({@link MapMemory}); pointers are offsets into it. The old array is given
 *       back to the kernel while it is evacuated (2 MiB at a time behind {@code nevacuate}) and freed when
 *       evacuation completes, unless a live cursor still reads it (Go's GC keeps it alive for iterators;
 *       here cursors pin it, and an abandoned cursor's pin is dropped by a {@link Cleaner}).</li>
 *   <li>Overflow buckets come from slabs per bucket array and are freed with it. A delete in a chain with
 *       overflow buckets moves the chain's last entry into the hole, and a tail that becomes empty is
 *       unlinked and kept for the next chain that needs a bucket (Go leaves holes and empty buckets
 *       linked until a same-size growth). So a map churning at a steady size keeps the footprint it had
 *       after the fill, and noverflow counts the buckets still linked. Neither happens while a cursor is
 *       open (it may have passed the hole, or stand in the bucket): then the map behaves as Go's.</li>
 *   <li>Before evacuating a bucket, the overflow buckets it may need are reserved, so an allocation
 *       failure never leaves a bucket half-evacuated.</li>
 *   <li>{@code clear()} ends the cursors that were open (Go keeps them on a stale array); entries present
 *       before the clear are then never visited.</li>
 * </ul>
 */
public abstract class MapCore {
    /** Go's maxAlloc on linux/amd64: a hint needing more bucket memory than this is ignored. */
    static final long MAX_ALLOC = 1L << 48;
    /** The old array is given back to the kernel in steps of this size while it is evacuated. */
    static final long RELEASE_STEP = 2L << 20;
    private static final Cleaner CLEANER = Cleaner.create();

    protected final BucketDescriptor layout;
    private final long bs, overflowOff;
    protected final MapMemory memory;
    /**
     * The map's memory; {@link #CLOSED} once closed. Reload after any call that may allocate (it can
     * move).
     */
    protected MemorySegment mem;

    /**
     * What {@code mem} becomes on close: a segment of an arena that is already closed, so that a thread
     * racing the close, even one that read the field afterwards, gets IllegalStateException from the JDK
     * on its next access instead of a NullPointerException (or, with raw pointers, a crash).
     */
    public static final MemorySegment CLOSED = MapMemory.CLOSED;

    // Mirrors of the header fields, written through to memory on every change (hashWriting: see storedFlags).
    protected long count;
    protected int flags;
    protected int B;
    protected int noverflow;
    protected int hash0;
    protected long buckets, oldbuckets, nevacuate, nextOverflow;
    /** Overflow buckets of the current array unlinked by deletes, chained through their overflow pointers. */
    long freeOverflow, freeOverflowCount;
    /** Hash keys derived from hash0. */
    protected long seed0, seed1;
    /**
     * Whether keys hash by {@code String.hashCode()} mixed with the seeds, not by their bytes (String keys
     * only, the builder's {@code stringHashCode}); a map file records it.
     */
    protected final boolean stringHashCode;
    /** Bumped by clear(); a cursor from an earlier epoch ends. */
    protected long epoch;
    /** Counts write calls: code that ran a callback between two steps can tell whether the map changed. */
    private long writes;
    /**
     * Go's hashWriting, as hmap keeps it: the thread inside a write (set by beginWrite), null at rest, and
     * {@link #POISONED_WRITER} once poisoned. A second writer that got past beginWrite's check overwrites
     * or clears it, and the first one to end finds someone else's value there.
     */
    private Object writer;
    private static final Object POISONED_WRITER = new Object();
    /**
     * Two writes overlapped (seen by beginWrite, endWrite, or a write failing while another ran): the map's
     * memory may be inconsistent, so hashWriting stays set and every later call throws, as Go's runtime
     * stops the program. close() still frees it.
     */
    private volatile boolean poisoned;
    /**
     * Set by close() before it frees anything; never cleared. Unlike {@code mem}, which a write racing
     * the close (misuse) may reload with the live segment, it stays set, so the next write sees it.
     */
    private volatile boolean closing;

    // flags and writer are read and written "opaquely" where races are detected: plain loads and stores on
    // x86, but the JIT may neither keep them in registers, where a thread's own last store would hide
    // another thread's, nor drop a write's first store as dead because its last one overwrites it.
    private static final java.lang.invoke.VarHandle FLAGS, WRITER, ACTIVE;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            FLAGS = l.findVarHandle(MapCore.class, "flags", int.class);
            WRITER = l.findVarHandle(MapCore.class, "writer", Object.class);
            ACTIVE = l.findVarHandle(MapCore.class, "activeCursors", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The map's memory, for tests of this package. */
    MapMemory memory() {
        return memory;
    }

    /** Cursors not yet exhausted or collected (decremented by the Cleaner too): see {@link #ACTIVE}. */
    protected volatile int activeCursors;

    /**
     * The map's random sequence (Go: fastrand), SplittableRandom's algorithm kept in one field instead of
     * an object of its own: a map made with a seed draws the same numbers as before.
     */
    private long rngState;
    protected Gen cur, old;
    /** Old arrays a cursor still pins; null until the first (a map holds nothing it does not need). */
    private ArrayList<Gen> retired;
    private volatile boolean retiredReady;

    /** One bucket array (a generation) with its overflow slabs. */
    protected static final class Gen {
        final long off, bytes, nbuckets;
        final int b;
        /** Cursors that may still read this array (see {@link #PINS}). */
        volatile int pins;
        long slabs;          // head of the slab list once retired
        long releasedUpTo;   // while old: bytes below this were given back to the kernel
        boolean freed;

        static final java.lang.invoke.VarHandle PINS;

        static {
            try {
                PINS = java.lang.invoke.MethodHandles.lookup().findVarHandle(Gen.class, "pins", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Gen(long off, long bytes, long nbuckets, int b) {
            this.off = off;
            this.bytes = bytes;
            this.nbuckets = nbuckets;
            this.b = b;
            this.releasedUpTo = off;
        }
    }

    /**
     * Go's makemap. A negative hint, or one whose buckets would exceed Go's maxAlloc, is ignored. With a
     * {@code file}, the map lives in that file: a new one if the file is missing or empty, else the map the
     * file holds (see {@link #reopen}); hint, seed and prefault apply to a new map only.
     */
    protected MapCore(BucketDescriptor layout, long hint, Integer seed, boolean prefault) {
        this(layout, hint, seed, prefault, null);
    }

    /** As {@link #MapCore(BucketDescriptor, long, Integer, boolean)}, in {@code file} unless it is null. */
    protected MapCore(BucketDescriptor layout, long hint, Integer seed, boolean prefault, FileSpec file) {
        this(layout, hint, seed, prefault, file, false);
    }

    /** As {@link #MapCore(BucketDescriptor, long, Integer, boolean, FileSpec)}, with {@link #stringHashCode}. */
    protected MapCore(BucketDescriptor layout, long hint, Integer seed, boolean prefault, FileSpec file,
                      boolean stringHashCode) {
        this.layout = layout;
        this.stringHashCode = stringHashCode;
        this.bs = layout.bucketSize();
        this.overflowOff = layout.overflowOffset();
        int b = bForHint(hint, bs);
        this.hint = b == 0 ? 0 : hint;
        this.rngState = seed == null ? ThreadLocalRandom.current().nextLong() : seed;
        long expected = b == 0 ? 0 : arrayBuckets(b) * bs;
        MappedFile f = file == null ? null : MappedFile.open(file.path(), file.readOnly(), file.shared(),
                new FileHeader.Identity(typeName(), layout, file.missingBits(), stringHashCode ? FileHeader.STRING_HASH_CODE : 0), 2 * expected);
        // A prefaulted map is a large one by intent: it starts with a reservation of its own.
        this.memory = f != null ? MapMemory.onFile(f) : prefault ? MapMemory.reserve(expected) : MapMemory.forMap(expected);
        try {
            this.mem = memory.segment();
            journaled = f != null && !f.readOnly;
            if (f != null && !f.isNew()) {
                reopen(f);
                return;
            }
            if (f != null) gate = FILE_WRITER;
            setHash0(seed == null ? nextRandomInt() : seed);
            this.B = b;
            if (b != 0) {
                cur = makeBucketArray(b);
                if (prefault) memory.populate(cur.off, cur.bytes);
                buckets = cur.off;
                install(cur);
                schedulePrepare();
            }
            storeHeader();
        } catch (RuntimeException | Error e) {
            if (f != null && f.isNew()) f.discardOnClose(); // a file this open was making goes back as it was
            memory.close();
            throw e;
        }
    }

    /** The public type's name, e.g. LongLongMap. */
    private String typeName() {
        return getClass().getSimpleName().replace("Impl", "");
    }

    // ------------------------------------------------------------------ header

    protected final void storeHeader() {
        MemorySegment m = mem;
        m.set(Layouts.LONG, COUNT_OFFSET, count);
        m.set(Layouts.BYTE, FLAGS_OFFSET, storedFlags());
        m.set(Layouts.BYTE, B_OFFSET, (byte) B);
        m.set(Layouts.SHORT, NOVERFLOW_OFFSET, (short) noverflow);
        m.set(Layouts.INT, HASH0_OFFSET, hash0);
        m.set(Layouts.LONG, BUCKETS_OFFSET, buckets);
        m.set(Layouts.LONG, OLDBUCKETS_OFFSET, oldbuckets);
        m.set(Layouts.LONG, NEVACUATE_OFFSET, nevacuate);
        m.set(Layouts.LONG, EXTRA_NEXTOVERFLOW_OFFSET, nextOverflow);
    }

    /**
     * The flags byte as memory holds it: hashWriting only once poisoned. A healthy write records itself in
     * {@code writer}, where every read and write checks it: nothing can read the header while a write
     * runs, and at rest the byte is Go's either way, so begin and end of a write skip two segment stores.
     */
    private byte storedFlags() {
        return (byte) (poisoned ? flags : flags & ~HASH_WRITING);
    }

    protected final void storeCount(MemorySegment m, long c) {
        count = c;
        m.set(Layouts.LONG, COUNT_OFFSET, c);
    }

    private void setHash0(int h) {
        hash0 = h;
        seed0 = Hashing.seed0(h);
        seed1 = Hashing.seed1(h);
    }

    /** Go resets the seed when a map becomes empty (issue 25237): later collisions cannot be planned. */
    protected final void reseed() {
        setHash0(nextRandomInt());
        mem.set(Layouts.INT, HASH0_OFFSET, hash0);
    }

    /** Go's h.createOverflow / new(mapextra): the extra pointer becomes non-nil. */
    protected final void ensureExtra() {
        if (gate == READ_ONLY) return; // set in the file by its writer, or not needed: nothing is written
        mem.set(Layouts.LONG, EXTRA_OFFSET, EXTRA);
    }

    // ------------------------------------------------------------------ access guards

    /** Entry of every read: open, and no write in progress (Go: "concurrent map read and map write"). */
    protected final MemorySegment readable() {
        MemorySegment m = mem;
        if (m == CLOSED) throw closed();
        // A plain read: the hot path of every lookup (the write side is where overlaps are caught).
        if (writer != null) throw readDuringWrite();
        return m;
    }

    private RuntimeException readDuringWrite() {
        if (writer == SHARED_READER) return sharedRead; // a shared reader's lookups take their own path
        if (poisoned) return poisonedMap();
        return new ConcurrentModificationException("concurrent map read and map write: "
                + getClass().getSimpleName().replace("Impl", "") + " is not thread-safe");
    }

    private ConcurrentModificationException poisonedMap() {
        return new ConcurrentModificationException("concurrent map writes corrupted this "
                + getClass().getSimpleName().replace("Impl", "") + ": it only accepts close() now; guard maps "
                + "shared between threads with a lock");
    }

    /**
     * Entry of every write: records the writing thread, Go's hashWriting (Go: "concurrent map writes" if a
     * write was already recorded). One opaque load and one opaque store, down from a flags bit, a writer
     * count and the thread (churn 1K: 0.93-0.96x). The guard still costs about a quarter of a 1K churn
     * step: its opaque accesses keep C2 from sharing loads across them (a build without any guard: 58.0 ->
     * 41.8 ns), and it stays, because concurrent-write detection is Go's semantics.
     */
    protected final MemorySegment beginWrite() {
        MemorySegment m = mem;
        if (m == CLOSED) throw closed();
        if (gate != 0) passGate();
        Object w = WRITER.getOpaque(this);
        if (w != null) throw w == POISONED_WRITER ? poisonedMap() : concurrentWrites();
        WRITER.setOpaque(this, Thread.currentThread());
        // After announcing the write, so a racing close() either sees it (and waits, see awaitWriter) or
        // is seen here.
        if (closing) {
            WRITER.setOpaque(this, null);
            throw closed();
        }
        writes++;
        if (gate == FILE_WRITER) sequenceOdd(m);
        return m;
    }

    /**
     * Exit of every write, also on exceptions: clears the writer, unless another thread took or cleared it
     * meanwhile (Go: "concurrent map writes"), which poisons the map. While freed arrays wait to go back
     * to the kernel, each write hands back one step of them.
     */
    protected final void endWrite() {
        if (WRITER.getOpaque(this) != Thread.currentThread()) throw poison(null);
        if (gate == FILE_WRITER && mem != CLOSED) sequenceEven(mem);
        // Still inside the write: a racing close() (misuse) waits for it before it unmaps what this advises.
        if (memory.hasDeferred() && mem != CLOSED) releaseDeferredStep();
        WRITER.setOpaque(this, null);
    }

    private void releaseDeferredStep() {
        try {
            memory.releaseDeferred(RELEASE_STEP);
        } catch (RuntimeException e) {
            WRITER.setOpaque(this, null);
            throw e;
        }
    }

    /**
     * A write body threw {@code e}. Alone in the map, that is the caller's problem (bad input, no memory)
     * and the map is as it was; with another write running at the same time, it may be the other write's
     * damage, and the map is poisoned.
     */
    protected final RuntimeException writeFailed(RuntimeException e) {
        dropStagedValue();
        return WRITER.getOpaque(this) == Thread.currentThread() ? e : poison(e);
    }

    private ConcurrentModificationException poison(Throwable cause) {
        boolean first = !poisoned;
        poisoned = true;
        WRITER.setOpaque(this, POISONED_WRITER);
        FLAGS.setOpaque(this, (int) FLAGS.getOpaque(this) | HASH_WRITING);
        if (mem != CLOSED && gate != READ_ONLY) mem.set(Layouts.BYTE, FLAGS_OFFSET, storedFlags());
        ConcurrentModificationException e = first ? concurrentWrites() : poisonedMap();
        if (cause != null) e.initCause(cause);
        return e;
    }

    protected final IllegalStateException closed() {
        return new IllegalStateException(getClass().getSimpleName().replace("Impl", "")
                + " is closed: its off-heap memory was freed by close()");
    }

    private ConcurrentModificationException concurrentWrites() {
        return new ConcurrentModificationException("concurrent map writes: "
                + getClass().getSimpleName().replace("Impl", "") + " is not thread-safe; guard it with a lock");
    }

    private static IllegalStateException badState(String what) {
        return new IllegalStateException("bad map state: " + what);
    }

    /** Changes whenever a write call starts (see merge). */
    protected final long structureStamp() {
        return writes;
    }

    /** Throws IllegalStateException if the map is closed. */
    public final void checkOpen() {
        // The volatile flag too: a thread racing close() may have written its stale segment back to mem.
        if (mem == CLOSED || memory.isClosed()) throw closed();
    }

    // ------------------------------------------------------------------ growth bookkeeping

    /** Go's overLoadFactor: more than 8 entries and more than 6.5 per bucket. */
    public static boolean overLoadFactor(long count, int b) {
        return count > BUCKET_CNT && count > 13 * ((1L << b) / 2);
    }

    /** Go's tooManyOverflowBuckets: about as many overflow buckets as buckets (capped at 2^15). */
    public static boolean tooManyOverflowBuckets(int noverflow, int b) {
        return noverflow >= (1 << Math.min(b, 15));
    }

    protected final boolean growing() {
        return oldbuckets != 0;
    }

    protected final boolean sameSizeGrow() {
        return (flags & SAME_SIZE_GROW) != 0;
    }

    /** Go's noldbuckets: the number of buckets of the array being evacuated. */
    protected final long noldbuckets() {
        return sameSizeGrow() ? 1L << B : 1L << (B - 1);
    }

    /** Whether old bucket i was evacuated (buckets below nevacuate may already be given back). */
    protected final boolean isOldEvacuated(MemorySegment m, long i) {
        return i < nevacuate || Tophash.evacuated(m, oldbuckets + i * bs);
    }

    /**
     * Go's makemap: the smallest B that holds {@code hint} entries under the load factor. A negative hint,
     * or one whose buckets would overflow or exceed maxAlloc, counts as 0.
     */
    public static int bForHint(long hint, long bucketSize) {
        if (hint < 0 || Math.multiplyHigh(hint, bucketSize) != 0 || hint * bucketSize < 0
                || hint * bucketSize > MAX_ALLOC) {
            hint = 0;
        }
        int b = 0;
        while (overLoadFactor(hint, b)) b++;
        return b;
    }

    protected final long arrayBuckets(int b) {
        return arrayBuckets(b, bs);
    }

    /** Number of buckets Go's makeBucketArray allocates for 2^b: extra overflow buckets from b = 4 on. */
    public static long arrayBuckets(int b, long bs) {
        long nb = 1L << b;
        if (b >= 4) {
            nb += 1L << (b - 4);
            long sz = bs * nb;
            long up = GoMalloc.roundupsize(sz);
            if (up != sz) nb = up / bs;
        }
        return nb;
    }

    /**
     * Go's makeBucketArray on fresh (zero) memory. The memory is handed to the prefault thread; the
     * sentinel (the last preallocated overflow bucket points home) is written by {@link #install}.
     */
    private Gen makeBucketArray(int b) {
        long nb = arrayBuckets(b);
        long off = memory.allocate(nb * bs);
        mem = memory.segment();
        memory.prefault(off, nb * bs);
        return new Gen(off, nb * bs, nb, b);
    }

    /** Makes g ready to be the current array: the nextOverflow convention of makeBucketArray. */
    void install(Gen g) {
        if (g.nbuckets != (1L << g.b)) {
            ensureExtra();
            mem.set(Layouts.LONG, g.off + (g.nbuckets - 1) * bs + overflowOff, g.off);
            nextOverflow = g.off + (1L << g.b) * bs;
        } else {
            nextOverflow = 0;
        }
    }

    // ---- the next array, made early so its pages are faulted in before the growth needs them

    /** The size hint the map was made with (0 if none or ignored). */
    long hint;
    /** Arrays at least this large are prepared ahead of their growth. */
    static final long PREPARE_MIN_BYTES = 4L << 20;
    /** The next array of a doubling; null until count reaches {@link #prepareAt}. */
    Gen prepared;
    /** Count at which the next array is prepared (7/8 of the growth threshold), or MAX_VALUE. */
    protected long prepareAt = Long.MAX_VALUE;

    void schedulePrepare() {
        long threshold = 13 * ((1L << B) / 2);
        // A map sized by its hint is not expected to outgrow it: prepare only once it has.
        long at = Math.max(threshold - threshold / 8, Math.min(hint + 1, threshold));
        long next = arrayBuckets(B + 1) * bs;
        // A pooled map prepares what its growth will move into instead (the reservation, or a larger region
        // of more than a page; see MapMemory.prepareOwn and prepareRegion): a step per insert, one to take it
        // and one per page to fault in, starting just as many inserts before the growth, so a map that rests
        // below the threshold rarely holds one it does not use.
        boolean ahead = next >= PREPARE_MIN_BYTES;
        if (memory.pooled()) {
            ahead = next >= MapMemory.PAGE;
            long steps = 1 + Math.min(SmallPool.MAX_REGION, next + next / 2 + MapMemory.PAGE - 1) / MapMemory.PAGE;
            at = Math.max(count + 1, threshold - steps);
        }
        prepareAt = prepared == null && oldbuckets == 0 && ahead ? at : Long.MAX_VALUE;
    }

    /**
     * Called by an insert when count reaches prepareAt: allocate the next array, pages faulted behind (a
     * pooled map: the reservation it is about to move into, see {@link MapMemory#prepareOwn}).
     */
    protected final void prepareNextArray() {
        prepareAt = Long.MAX_VALUE;
        try {
            long next = arrayBuckets(B + 1) * bs;
            if (memory.pooled()) {
                // One step per insert: the reservation it will move into, or else a larger region.
                if (memory.prepareOwn(next) || memory.prepareRegion(next)) prepareAt = count + 1;
            } else if (next >= PREPARE_MIN_BYTES) { // not a map that left the pool meanwhile
                prepared = makeBucketArray(B + 1);
            }
        } catch (OutOfMemoryError e) {
            // Speculative: the growth itself will ask again and report the failure.
        }
    }

    /** Go: the first bucket of a map made without a hint is allocated at its first insert. */
    protected final void allocateFirstBucket() {
        cur = makeBucketArray(0);
        buckets = cur.off;
        mem.set(Layouts.LONG, BUCKETS_OFFSET, buckets);
        schedulePrepare();
    }

    /** Go's hashGrow: start growing into a larger (or same-size) array; evacuation is incremental. */
    protected final void hashGrow() {
        boolean bigger = overLoadFactor(count + 1, B);
        int newB = bigger ? B + 1 : B;
        Gen g;
        if (bigger && prepared != null) {
            g = prepared;
            prepared = null;
        } else {
            g = makeBucketArray(newB); // may throw: nothing has changed yet
        }
        releaseReadyRetired();
        MemorySegment m = mem;
        int f = flags & ~(ITERATOR | OLD_ITERATOR);
        if ((flags & ITERATOR) != 0) f |= OLD_ITERATOR;
        if (!bigger) f |= SAME_SIZE_GROW;
        old = cur;
        old.releasedUpTo = old.off;
        cur = g;
        B = newB;
        flags = f;
        oldbuckets = buckets;
        buckets = g.off;
        nevacuate = 0;
        noverflow = 0;
        dropFreeOverflow(); // they belong to the old array's slabs
        if (journaled) Journal.header(m);
        long ovf = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET);
        if (ovf != 0) {
            if (m.get(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET) != 0) throw badState("oldoverflow is not nil");
            m.set(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET, ovf);
            m.set(Layouts.LONG, EXTRA_OVERFLOW_OFFSET, 0L);
        }
        install(g);
        prepareAt = Long.MAX_VALUE;
        storeHeader();
        if (journaled) Journal.done(m);
    }

    /** Go's advanceEvacuationMark, plus giving the evacuated prefix of the old array back. */
    protected final void advanceEvacuationMark(long newbit) {
        MemorySegment m = mem;
        long nev = nevacuate + 1;
        long stop = Math.min(nev + 1024, newbit); // O(1) per call, as in Go
        while (nev != stop && Tophash.evacuated(m, oldbuckets + nev * bs)) nev++;
        nevacuate = nev;
        m.set(Layouts.LONG, NEVACUATE_OFFSET, nev);
        if (nev == newbit) {
            finishGrowth();
        } else if (old.pins == 0) {
            long target = oldbuckets + nev * bs;
            if (target - old.releasedUpTo >= RELEASE_STEP) old.releasedUpTo = memory.release(old.releasedUpTo, target);
        }
    }

    void finishGrowth() {
        MemorySegment m = mem;
        boolean sameSize = (flags & SAME_SIZE_GROW) != 0;
        Gen g = old;
        old = null;
        oldbuckets = 0;
        flags &= ~SAME_SIZE_GROW;
        g.slabs = m.get(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET);
        if (journaled) Journal.header(m);
        m.set(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET, 0L);
        m.set(Layouts.LONG, OLDBUCKETS_OFFSET, 0L);
        m.set(Layouts.BYTE, FLAGS_OFFSET, storedFlags());
        if (journaled) Journal.done(m);
        if (g.pins == 0) {
            freeGen(g);
            if (memory.pooled() && (retired == null || retired.isEmpty()) && activeCursors == 0) compactStructure(!sameSize);
        } else {
            if (retired == null) retired = new ArrayList<>(2);
            retired.add(g);
        }
        schedulePrepare();
    }

    /**
     * A pooled map packs its structure, the array and its overflow slabs, down into the room the old array
     * left, and after a doubling moves into a smaller region if that is enough (see {@link MapMemory#compact};
     * not after a same-size growth: a map that churns at a steady size would only grow back into the
     * larger region with its next overflow slab). Only with no
     * cursor open, as offsets change: every pointer to a moved block is rewritten here (the header's
     * buckets, overflow pointers, the slab list, nextOverflow, the free overflow list). Key bytes stay
     * put. At most one region (64 KiB) is copied, once per growth.
     */
    private void compactStructure(boolean mayShrink) {
        MemorySegment m = mem;
        int n = 1;
        for (long s = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET); s != 0; s = OverflowSlab.next(m, s)) n++;
        long[] sorted = new long[2 * n]; // (offset, bytes) pairs, sorted by offset below
        sorted[0] = cur.off;
        sorted[1] = cur.bytes;
        int i = 1;
        for (long s = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET); s != 0; s = OverflowSlab.next(m, s), i++) {
            sorted[2 * i] = s;
            sorted[2 * i + 1] = OverflowSlab.bytes(OverflowSlab.capacity(m, s), bs);
        }
        MapMemory.sortPairs(sorted);
        long[] to = memory.compact(sorted, mayShrink);
        m = mem = memory.segment();
        boolean moved = false;
        for (int j = 0; j < n; j++) moved |= to[j] != sorted[2 * j];
        if (!moved) return;
        Gen g = cur;
        long array = relocated(sorted, to, g.off);
        for (long b = array, last = array + g.nbuckets * bs; b < last; b += bs) relocate(m, b + overflowOff, sorted, to);
        relocate(m, EXTRA_OVERFLOW_OFFSET, sorted, to);
        for (long s = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET); s != 0; s = OverflowSlab.next(m, s)) {
            relocate(m, s + OverflowSlab.NEXT_OFFSET, sorted, to);
            for (int j = 0, used = OverflowSlab.used(m, s); j < used; j++) {
                relocate(m, OverflowSlab.bucket(s, j, bs) + overflowOff, sorted, to);
            }
        }
        freeOverflow = relocated(sorted, to, freeOverflow);
        nextOverflow = relocated(sorted, to, nextOverflow);
        cur = new Gen(array, g.bytes, g.nbuckets, g.b);
        buckets = array;
        storeHeader();
    }

    /** Where pointer p points after {@link MapMemory#compact} moved blocks[2j] to to[j]; 0 stays 0. */
    private static long relocated(long[] blocks, long[] to, long p) {
        for (int j = 0; j < to.length; j++) {
            long o = blocks[2 * j];
            if (p >= o && p < o + blocks[2 * j + 1]) return p - o + to[j];
        }
        return p;
    }

    private static void relocate(MemorySegment m, long at, long[] blocks, long[] to) {
        m.set(Layouts.LONG, at, relocated(blocks, to, m.get(Layouts.LONG, at)));
    }

    private void freeGen(Gen g) {
        if (g.freed) return;
        g.freed = true;
        memory.freeReleased(g.off, g.bytes, g.releasedUpTo);
        freeSlabs(g.slabs);
        g.slabs = 0;
    }

    /** Frees retired arrays whose last cursor is gone. Owner thread only. */
    protected final void releaseReadyRetired() {
        if (!retiredReady) return;
        retiredReady = false;
        if (retired == null) return;
        for (int i = retired.size() - 1; i >= 0; i--) {
            Gen g = retired.get(i);
            if (g.pins == 0) {
                freeGen(g);
                retired.remove(i);
            }
        }
    }

    /** Go's incrnoverflow: exact below B = 16, then counted with probability 2^(15-B). */
    private void incrnoverflow() {
        if (B < 16) {
            noverflow = (noverflow + 1) & 0xFFFF;
        } else {
            long mask = B - 15 >= 32 ? 0xFFFFFFFFL : (1L << (B - 15)) - 1;
            if ((nextRandomInt() & mask) == 0) noverflow = (noverflow + 1) & 0xFFFF;
        }
        mem.set(Layouts.SHORT, NOVERFLOW_OFFSET, (short) noverflow);
    }

    /** The inverse of incrnoverflow, for a bucket unlinked from its chain. */
    private void decrnoverflow() {
        if (noverflow == 0) return;
        if (B < 16) {
            noverflow--;
        } else {
            long mask = B - 15 >= 32 ? 0xFFFFFFFFL : (1L << (B - 15)) - 1;
            if ((nextRandomInt() & mask) == 0) noverflow--;
        }
        mem.set(Layouts.SHORT, NOVERFLOW_OFFSET, (short) noverflow);
    }

    private void dropFreeOverflow() {
        freeOverflow = 0;
        freeOverflowCount = 0;
    }

    /**
     * Go's newoverflow: link a fresh overflow bucket after {@code b} and return it. A bucket a delete
     * unlinked is used first (zeroed again), then Go's preallocated ones, then slabs.
     */
    protected final long newoverflow(long b) {
        long ovf;
        long next = nextOverflow;
        if (freeOverflow != 0) {
            MemorySegment m = mem;
            ovf = freeOverflow;
            freeOverflow = m.get(Layouts.LONG, ovf + overflowOff);
            freeOverflowCount--;
            for (long o = 0; o < bs; o += 8) m.set(Layouts.LONG, ovf + o, 0L); // bs is a multiple of 8
        } else if (next != 0) {
            MemorySegment m = mem;
            ovf = next;
            boolean last = m.get(Layouts.LONG, ovf + overflowOff) != 0; // the sentinel
            nextOverflow = last ? 0 : ovf + bs;
            m.set(Layouts.LONG, EXTRA_NEXTOVERFLOW_OFFSET, nextOverflow);
            // Only then drop the sentinel: a writer killed between the two stores leaves the bucket unused.
            if (last) m.set(Layouts.LONG, ovf + overflowOff, 0L);
        } else {
            ovf = slabBucket(); // may allocate; nothing changed before this point
        }
        incrnoverflow();
        ensureExtra();
        mem.set(Layouts.LONG, b + overflowOff, ovf);
        return ovf;
    }

    /** Slabs grow by doubling up to this size; see {@link OverflowSlab}. */
    private static final long MAX_SLAB_BYTES = 1L << 20;

    private long slabBucket() {
        MemorySegment m = mem;
        long head = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET);
        if (head != 0) {
            int used = OverflowSlab.used(m, head);
            if (used < OverflowSlab.capacity(m, head)) {
                OverflowSlab.setUsed(m, head, used + 1);
                return OverflowSlab.bucket(head, used, bs);
            }
        }
        long s = newSlab(nextSlabCapacity(1));
        OverflowSlab.setUsed(mem, s, 1);
        return OverflowSlab.bucket(s, 0, bs);
    }

    /**
     * The capacity of the next slab, for at least n buckets: double the last one, from 1 KiB (less for an
     * array under 8 KiB: an eighth of it, so a small map's first slab is a bucket or two) to 1 MiB.
     */
    private long nextSlabCapacity(long n) {
        MemorySegment m = mem;
        long head = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET);
        long cap = head == 0 ? 0 : OverflowSlab.capacity(m, head);
        long minBytes = Math.min(1024, cur.bytes / 8);
        long min = (minBytes - OverflowSlab.HEADER_SIZE) / bs, max = (MAX_SLAB_BYTES - OverflowSlab.HEADER_SIZE) / bs;
        return Math.max(n, Math.max(1, Math.min(Math.max(cap * 2, min), max)));
    }

    private long newSlab(long cap) {
        long bytes = OverflowSlab.bytes(cap, bs);
        long s = memory.allocate(bytes);
        memory.prefault(s, bytes);
        MemorySegment m = mem = memory.segment();
        OverflowSlab.init(m, s, m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET), (int) cap);
        m.set(Layouts.LONG, EXTRA_OVERFLOW_OFFSET, s);
        return s;
    }

    /**
     * Makes sure {@code n} overflow buckets can be had without allocating, so an insert or an evacuation
     * that needs them cannot fail halfway.
     */
    protected final void reserveOverflow(long n) {
        if (n <= 0) return;
        MemorySegment m = mem;
        long avail = freeOverflowCount + (nextOverflow == 0 ? 0 : (cur.off + cur.nbuckets * bs - nextOverflow) / bs);
        if (avail >= n) return;
        long head = m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET);
        if (head != 0) avail += OverflowSlab.capacity(m, head) - OverflowSlab.used(m, head);
        if (avail >= n) return;
        newSlab(nextSlabCapacity(n));
        // The previous head's spare buckets are not used again; slabs are freed with their array.
    }

    private void freeSlabs(long s) {
        MemorySegment m = mem;
        while (s != 0) {
            long next = OverflowSlab.next(m, s);
            memory.free(s, OverflowSlab.bytes(OverflowSlab.capacity(m, s), bs));
            s = next;
        }
    }

    /** Number of buckets in the overflow chain starting at {@code b} (including b). */
    protected final long chainLength(MemorySegment m, long b) {
        long n = 0;
        for (; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) n++;
        return n;
    }

    // ------------------------------------------------------------------ delete

    /**
     * Marks slot i of bucket b (in the chain starting at bOrig; {@code word}: b's tophash word) deleted and,
     * if nothing live follows, turns the trailing run of emptyOne slots into emptyRest, as Go does. This is
     * the common case, a chain of one bucket, kept small so that C2 inlines it into every delete (the whole
     * routine was over its inlining limit and cost a call per delete); chains go to markDeletedInChain.
     */
    protected final long markDeleted(MemorySegment m, long bOrig, long b, int i, long word) {
        if (b != bOrig || m.get(Layouts.LONG, b + overflowOff) != 0) {
            return markDeletedInChain(m, bOrig, b, i);
        } else if (i < BUCKET_CNT - 1 && (word >>> (8 * (i + 1)) & 0xFF) != EMPTY_REST) {
            m.set(Layouts.BYTE, b + i, (byte) EMPTY_ONE); // an entry may follow in this bucket
        } else {
            m.set(Layouts.LONG, b, Tophash.clearRun(word, i, Tophash.runStart(word, i)));
        }
        return b | i;
    }

    /**
     * markDeleted in a chain of two or more buckets: the chain's last entry moves into the hole first (see
     * below), and the emptyRest run may reach back over earlier buckets.
     */
    private long markDeletedInChain(MemorySegment m, long bOrig, long b, int i) {
        boolean moved = false;
        if (activeCursors == 0) {
            // Keep the chain packed: its last entry in a later bucket moves into the hole, so a churning
            // chain holds ceil(n / 8) buckets and the emptied tail goes back for reuse (Go leaves the
            // hole). Not with a cursor open: it may have passed the hole and not yet the entry.
            long lastB = 0;
            int lastI = 0;
            for (long c = m.get(Layouts.LONG, b + overflowOff); c != 0; c = m.get(Layouts.LONG, c + overflowOff)) {
                long word = m.get(Layouts.LONG, c);
                long full = Tophash.matchFull(word);
                if (full != 0) {
                    lastB = c;
                    lastI = Tophash.lastSlot(full);
                }
                if (Tophash.hasEmptyRest(word)) break; // nothing lives after an emptyRest
            }
            if (lastB != 0) {
                m.set(Layouts.BYTE, b + i, (byte) EMPTY_ONE); // the deleted entry is gone before its slot is reused
                copyEntry(m, lastB, lastI, b, i);
                b = lastB;
                i = lastI;
                moved = true;
            }
        }
        markEmpty(m, bOrig, b, i);
        if (moved) clearSlot(m, b, i); // only now that its tophash no longer shows it: until then it was a duplicate
        return b | i;
    }

    /** Marks slot i of b empty: emptyOne, or emptyRest with the run before it if nothing lives after it. */
    private void markEmpty(MemorySegment m, long bOrig, long b, int i) {
        boolean restFollows;
        if (i == BUCKET_CNT - 1) {
            long ovf = m.get(Layouts.LONG, b + overflowOff);
            restFollows = ovf == 0 || m.get(Layouts.BYTE, ovf) == EMPTY_REST;
        } else {
            restFollows = m.get(Layouts.BYTE, b + i + 1) == EMPTY_REST;
        }
        if (!restFollows) {
            m.set(Layouts.BYTE, b + i, (byte) EMPTY_ONE);
            return;
        }
        // Nothing lives after slot i: it and the run of emptyOne slots before it become emptyRest, a bucket
        // at a time (one load, one store), walking back over the chain as Go does byte by byte.
        for (;;) {
            long word = m.get(Layouts.LONG, b);
            int j = Tophash.runStart(word, i);
            m.set(Layouts.LONG, b, Tophash.clearRun(word, i, j));
            if (j > 0 || b == bOrig) return;
            long c = b;
            for (b = bOrig; m.get(Layouts.LONG, b + overflowOff) != c; b = m.get(Layouts.LONG, b + overflowOff)) {
                // find the bucket before c
            }
            // c and everything after it is empty now: keep those buckets for other chains.
            if (activeCursors == 0) unlinkEmptyTail(m, b, c);
            i = BUCKET_CNT - 1;
            if (m.get(Layouts.BYTE, b + i) != EMPTY_ONE) return;
        }
    }

    /**
     * Copies the entry in slot fi of bucket fb to the (deleted) slot ti of tb: key and value first, then its
     * tophash, so a writer killed midway leaves the entry where it was, or in both slots.
     */
    private void copyEntry(MemorySegment m, long fb, int fi, long tb, int ti) {
        long ks = layout.keySize(), vs = layout.valueSize();
        copySlot(m, fb + layout.keysOffset() + fi * ks, tb + layout.keysOffset() + ti * ks, ks);
        copySlot(m, fb + layout.valuesOffset() + fi * vs, tb + layout.valuesOffset() + ti * vs, vs);
        m.set(Layouts.BYTE, tb + ti, m.get(Layouts.BYTE, fb + fi));
    }

    /** Zeroes the key and value of slot i of b, whose entry moved away (as the move left it before). */
    private void clearSlot(MemorySegment m, long b, int i) {
        long ks = layout.keySize(), vs = layout.valueSize();
        MemorySegment.copy(ZEROS, 0, m, b + layout.keysOffset() + i * ks, ks);
        MemorySegment.copy(ZEROS, 0, m, b + layout.valuesOffset() + i * vs, vs);
    }

    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[256]);

    /**
     * Copies a key or value slot of n bytes (4, 8 or 16; 0 for a set's values). Generated code passes its
     * constant slot sizes, so the JIT keeps one branch.
     */
    protected static void copySlot(MemorySegment m, long from, long to, long n) {
        if (n == 8) {
            m.set(Layouts.LONG, to, m.get(Layouts.LONG, from));
        } else if (n == 4) {
            m.set(Layouts.INT, to, m.get(Layouts.INT, from));
        } else if (n == 16) {
            m.set(Layouts.LONG, to, m.get(Layouts.LONG, from));
            m.set(Layouts.LONG, to + 8, m.get(Layouts.LONG, from + 8));
        } else if (n != 0) {
            MemorySegment.copy(m, from, m, to, n);
        }
    }

    /** Unlinks {@code first} (an all-empty overflow bucket after {@code pred}) and the empty ones after it. */
    private void unlinkEmptyTail(MemorySegment m, long pred, long first) {
        m.set(Layouts.LONG, pred + overflowOff, 0L);
        for (long c = first; c != 0; ) {
            long next = m.get(Layouts.LONG, c + overflowOff);
            m.set(Layouts.LONG, c + overflowOff, freeOverflow);
            freeOverflow = c;
            freeOverflowCount++;
            decrnoverflow();
            c = next;
        }
    }

    // ------------------------------------------------------------------ byte blocks (string keys and values)
    // Go's string keys and values are a header (data offset, length; see StringHeader) in the slot and the
    // bytes in the map's own memory, in the MapMemory.BYTES heap: size classes in 8-byte steps up to 64
    // bytes, pages beyond 2 KiB. They are freed by remove and by a write that replaces a value, dropped
    // whole by clear(), and reused by later inserts, so a churn at steady size does not grow the map.
    // Empty strings have data offset 0 and no bytes. Callers' bytes come as a probe: length bytes at
    // offset of either a segment or a byte array (the other one null).
    //
    // Freed bytes could be reused while a cursor still reads an old bucket's copy of a header; so while any
    // cursor is open, frees wait in a limbo list and are done once the last one ends.

    /** A thread's scratch buffer for probe bytes: a key or value that must be encoded or copied first. */
    protected static final class Scratch {
        private byte[] buf = new byte[256];
        public MemorySegment seg = MemorySegment.ofArray(buf);

        /** Encodes {@code s} (WTF-8) at offset 0; returns its length in bytes. */
        public long encode(CharSequence s) {
            int n = s.length();
            if (n <= buf.length) {
                // ASCII, the common case for symbols and ids: one pass, straight into the array.
                byte[] b = buf;
                int i = 0;
                for (char c; i < n && (c = s.charAt(i)) < 0x80; i++) b[i] = (byte) c;
                if (i == n) return n;
            }
            long len = Wtf8.encodedLength(s);
            ensure(len);
            Wtf8.encode(s, seg, 0);
            return len;
        }

        /** The scratch array (read it after encode: encoding a long key replaces it). */
        public byte[] array() {
            return buf;
        }

        /** The scratch array, at least n bytes long; its segment is {@link #seg}. */
        byte[] buffer(long n) {
            ensure(n);
            return buf;
        }

        private void ensure(long n) {
            if (n <= buf.length) return;
            if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("a key of " + n + " bytes is too long");
            buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(n, 2L * buf.length))];
            seg = MemorySegment.ofArray(buf);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    protected static Scratch scratch() {
        return SCRATCH.get();
    }

    /**
     * A key segment must be alive even when no comparison would read it (an empty map, no key of its
     * length): a closed arena is reported the same way every time.
     */
    protected static MemorySegment requireAlive(MemorySegment key) {
        return requireAlive(key, "key");
    }

    /** As {@link #requireAlive(MemorySegment)}, for the segment named {@code what} ("value"). */
    protected static MemorySegment requireAlive(MemorySegment s, String what) {
        Objects.requireNonNull(s, what);
        if (!s.scope().isAlive()) throw new IllegalStateException("Already closed: the " + what + "'s segment belongs to a closed arena");
        return s;
    }

    /** A segment to copy into: alive and writable, checked even when nothing would be copied. */
    protected static MemorySegment requireWritable(MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (!dst.scope().isAlive()) throw new IllegalStateException("Already closed: dst belongs to a closed arena");
        if (dst.isReadOnly()) throw new UnsupportedOperationException("dst is read-only");
        return dst;
    }

    /** Checks a byte[] range (of a key or a value) and returns the array; an exception names the bad argument. */
    protected static byte[] checkRange(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " outside bytes["
                    + bytes.length + "]");
        }
        return bytes;
    }

    /** Whether a segment lies in this map's memory (a cursor's view of a key or a value). */
    protected final boolean inMapMemory(MemorySegment key) {
        MemorySegment m = mem;
        if (!key.isNative() || m == MapMemory.CLOSED) return false;
        long a = key.address() - m.address();
        return a >= 0 && a < m.byteSize();
    }

    /**
     * A key segment that lies in this map's memory, as a heap copy (it allocates, for that rare case): a
     * write that stages a value first may move the memory under it. Any other segment as it is.
     */
    protected final MemorySegment detach(MemorySegment key) {
        return inMapMemory(requireAlive(key)) ? MemorySegment.ofArray(key.toArray(Layouts.BYTE)) : key;
    }

    /** As {@link #detach(MemorySegment)}, for a direct buffer over this map's memory. */
    protected final java.nio.ByteBuffer detach(java.nio.ByteBuffer key) {
        if (!Objects.requireNonNull(key, "key").isDirect()) return key;
        MemorySegment s = MemorySegment.ofBuffer(key);
        return inMapMemory(s) ? java.nio.ByteBuffer.wrap(s.toArray(Layouts.BYTE)) : key;
    }

    /** A copy of a segment's bytes in this thread's scratch array. */
    protected static byte[] scratchCopy(MemorySegment key) {
        byte[] buf = scratch().buffer(key.byteSize());
        MemorySegment.copy(key, Layouts.BYTE, 0, buf, 0, (int) key.byteSize());
        return buf;
    }

    /** Bytes whose frees wait for open cursors to end; null until the first. */
    private MapMemory.LongList limbo;

    /** Copies a probe's bytes into the byte heap; returns their offset (0 for no bytes). */
    protected final long storeBytes(MemorySegment p, byte[] pa, long po, long len) {
        if (len == 0) return 0;
        long off = memory.allocate(len, MapMemory.BYTES);
        mem = memory.segment();
        try {
            if (pa != null) {
                MemorySegment.copy(pa, (int) po, mem, Layouts.BYTE, off, (int) len);
            } else {
                MemorySegment.copy(p, po, mem, off, len);
            }
        } catch (RuntimeException e) { // the caller's segment was closed meanwhile
            memory.free(off, len, MapMemory.BYTES);
            throw e;
        }
        return off;
    }

    /** Frees a removed key's or a replaced value's bytes, or parks them while cursors are open. */
    protected final void freeBytes(long off, long len) {
        if (len == 0) return;
        if (activeCursors > 0) {
            if (limbo == null) limbo = new MapMemory.LongList();
            limbo.add(off, len);
            return;
        }
        if (limbo != null && limbo.size() != 0) flushLimbo();
        memory.free(off, len, MapMemory.BYTES);
    }

    private void flushLimbo() {
        for (int i = 0; i < limbo.size(); i += 2) memory.free(limbo.get(i), limbo.get(i + 1), MapMemory.BYTES);
        limbo.clear();
    }

    // A write of a byte-string value stages the value's bytes before it looks the key up: the allocation
    // is the step that may fail, and then nothing has changed. The write then installs the staged bytes, or
    // frees them if the key was present and kept its value; a write that fails after staging frees them too
    // (writeFailed), as no header ever pointed to them.

    /** The longest value a map takes, in bytes. */
    public static final long MAX_VALUE_LENGTH = 1L << 30;
    private long stagedData = -1, stagedLength;

    /**
     * Copies a value's bytes into the byte heap for the write in progress.
     *
     * @throws IllegalArgumentException if the value is longer than {@link #MAX_VALUE_LENGTH}; nothing changes
     */
    protected final void stageValue(MemorySegment p, byte[] pa, long po, long pl) {
        checkValueLength(pl);
        if (p != null && inMapMemory(p)) { // a view of this map's memory, which the allocation may move
            pa = scratchCopy(p.asSlice(po, pl));
            p = null;
            po = 0;
        }
        stagedData = storeBytes(p, pa, po, pl);
        stagedLength = pl;
    }

    /** @throws IllegalArgumentException if a value of {@code length} bytes is longer than {@link #MAX_VALUE_LENGTH} */
    protected static void checkValueLength(long length) {
        if (length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("a value of " + length + " bytes is longer than the " + MAX_VALUE_LENGTH
                    + " bytes a map takes");
        }
    }

    /** stageValue of a buffer's bytes from its position to its limit; the buffer does not move. */
    protected final void stageValue(java.nio.ByteBuffer value) {
        Objects.requireNonNull(value, "value");
        if (value.hasArray()) stageValue(null, value.array(), value.arrayOffset() + value.position(), value.remaining());
        else stageValue(MemorySegment.ofBuffer(value), null, 0, value.remaining());
    }

    /**
     * Installs the staged value at the value slot {@code vo} of assign's handle {@code h} (negative: the key
     * was inserted), replacing the present value if {@code replace}, else keeping it and freeing the staged
     * bytes. Returns whether the key was present.
     */
    protected final boolean installValue(long h, long vo, boolean replace) {
        if (h < 0) return false; // the insert installed it (installNewValue)
        if (!replace) {
            dropStagedValue(); // never visible to anyone
            return true;
        }
        long data = stagedData;
        stagedData = -1;
        MemorySegment m = mem;
        long oldData = StringHeader.data(m, vo), oldLength = StringHeader.length(m, vo);
        if (journaled) Journal.value(m, vo, data, stagedLength); // two stores: a repair completes them
        StringHeader.set(m, vo, data, stagedLength);
        if (journaled) Journal.done(m);
        // Only now: a free links the block into a free list through its first bytes, which a killed
        // writer would otherwise leave in the value still shown.
        freeBytes(oldData, oldLength);
        return true;
    }

    /** An insert's value: the staged bytes' header, written into the new slot before its tophash. */
    protected final void installNewValue(MemorySegment m, long vo) {
        StringHeader.set(m, vo, stagedData, stagedLength);
        stagedData = -1;
    }

    /** Staged bytes no header will point to go back: the key kept its value, or the write failed. */
    private void dropStagedValue() {
        if (stagedData < 0) return;
        if (stagedLength != 0 && mem != CLOSED) memory.free(stagedData, stagedLength, MapMemory.BYTES);
        stagedData = -1;
    }

    /**
     * A deleted key or value, once its slot no longer shows it: the header at {@code off} is cleared, as Go
     * does, and the bytes it held, read before the delete, freed (see {@link #freeBytes}).
     */
    protected final void releaseBytes(MemorySegment m, long off, long data, long length) {
        StringHeader.clear(m, off);
        freeBytes(data, length);
    }

    /**
     * Copies {@code len} bytes at {@code data} into {@code dst} at {@code offset} if they fit, and returns len
     * either way (the contract of a cursor's copyKey and of get into a buffer).
     */
    protected final int copyOut(long data, long len, byte[] dst, int offset) {
        Objects.checkFromIndexSize(offset, 0, Objects.requireNonNull(dst, "dst").length);
        if (len <= dst.length - offset) MemorySegment.copy(mem, Layouts.BYTE, data, dst, offset, (int) len);
        return (int) len;
    }

    /** As {@link #copyOut(long, long, byte[], int)}, to the start of a segment. */
    protected final long copyOut(long data, long len, MemorySegment dst) {
        if (len <= dst.byteSize()) MemorySegment.copy(mem, data, dst, 0, len);
        return len;
    }

    /** clear() drops every entry: the byte heap goes whole, and frees parked for cursors with it. */
    private void clearBytes() {
        if (limbo != null) limbo.clear();
        memory.dropHeap(MapMemory.BYTES);
    }

    // ------------------------------------------------------------------ clear, close

    /** Go's mapclear: every entry goes, B and the bucket array stay, the seed changes. */
    public final void clear() {
        readable();
        if (count == 0) return;
        MemorySegment m = beginWrite();
        try {
            if (journaled) Journal.clear(m);
            flags &= ~SAME_SIZE_GROW;
            if (old != null) {
                old.slabs = m.get(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET);
                freeGen(old);
                old = null;
            }
            if (retired != null) {
                for (Gen g : retired) freeGen(g);
                retired.clear();
            }
            if (prepared != null) {
                freeGen(prepared);
                prepared = null;
            }
            clearBytes();
            freeSlabs(m.get(Layouts.LONG, EXTRA_OVERFLOW_OFFSET));
            m.set(Layouts.LONG, EXTRA_OVERFLOW_OFFSET, 0L);
            m.set(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET, 0L);
            oldbuckets = 0;
            nevacuate = 0;
            noverflow = 0;
            dropFreeOverflow();
            count = 0;
            setHash0(nextRandomInt());
            memory.zero(cur.off, cur.bytes);
            memory.retainOnly(cur.off, cur.bytes);
            // A fresh generation object: pins held by cursors of the previous epoch no longer matter.
            cur = new Gen(cur.off, cur.bytes, cur.nbuckets, cur.b);
            install(cur);
            schedulePrepare();
            epoch++;
            storeHeader();
            if (journaled) Journal.done(mem);
        } catch (RuntimeException e) {
            throw writeFailed(e);
        } finally {
            endWrite();
        }
    }

    /**
     * Frees every off-heap byte. Idempotent; later calls on the map or its cursors and views throw. A
     * file-backed map is first made clean ({@link #sync}); if that fails (no disk space for the snapshot),
     * the map is closed anyway, the file stays dirty, and the failure is thrown.
     */
    public final void close() {
        if (mem == CLOSED) return;
        RuntimeException failed = null;
        // Not a map a racing write (misuse) or a poisoned one may have left inconsistent: that stays dirty.
        java.util.concurrent.locks.ReentrantLock shared = sharedLock;
        if (shared != null) shared.lock(); // no shared read may be inside the mapping while it goes
        if (gate == FILE_WRITER && !poisoned && WRITER.getOpaque(this) == null && !memory.isClosed()) {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                failed = e;
            } catch (InternalError e) {
                failed = truncated(e);
            }
        }
        mem = CLOSED;
        closing = true;
        // cur, old and the retired list stay: a thread racing the close may still read their offsets,
        // and must fail on the closed segment, not on a null.
        memory.close(this::awaitWriter);
        mem = CLOSED; // a write that ran until now may have reloaded it
        if (shared != null) shared.unlock();
        if (failed != null) throw failed;
    }

    /**
     * Run by {@link MapMemory#close(Runnable)} before it closes an arena of this map (its reservation, or
     * a cohort it retires): waits until no other thread is inside a write of this map. A write racing
     * close() (misuse) would otherwise be inside an access when the arena's close handshakes it, and the
     * JDK (25.0.3, JDK-8364167) may let that access complete after close() returns: on unmapped memory,
     * a SIGSEGV. So the write ends as it would have (or finds the memory closed: IllegalStateException),
     * and the next one sees {@link #closing} and throws IllegalStateException.
     *
     * <p>An asymmetric Dekker with beginWrite, which stores the writer and then loads {@code closing},
     * with no fence: closing a shared arena makes every thread pass a safepoint poll (or be blocked) before
     * it returns, so a writer that announced itself before is seen below, and one that had not yet loads
     * {@code closing} after this thread stored it. About as costly as the arena's own close, and only
     * paid where one is closed anyway.
     */
    private void awaitWriter() {
        if (writerGone) return;
        Arena.ofShared().close();
        // Only for a live writer, and not forever: a writer that a race (misuse) left looping in a corrupted
        // chain, or that died inside its write without ending it, is what close() is there to stop.
        long deadline = System.nanoTime() + AWAIT_WRITER_NANOS;
        for (int spins = 0; WRITER.getOpaque(this) instanceof Thread t && t != Thread.currentThread() && t.isAlive()
                && System.nanoTime() - deadline < 0; spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // it may not be running: a write is short, but the thread may be descheduled
            }
        }
        writerGone = true;
    }

    /** Whether {@link #awaitWriter} has waited already (the closing thread's only). */
    private boolean writerGone;

    /** How long close() waits for a racing write: far longer than any write but clear() of a huge map. */
    static final long AWAIT_WRITER_NANOS = 1_000_000_000L;

    // ------------------------------------------------------------------ file-backed maps

    /**
     * An access faulted: for a map whose file another program truncated while it was mapped (the JDK turns
     * the SIGBUS of a page past the file's end into an InternalError), the map is closed, leaving the file
     * dirty, and the exception says so; anything else is rethrown as it is.
     */
    protected final RuntimeException faulted(InternalError e) {
        java.util.concurrent.locks.ReentrantLock shared = sharedLock;
        if (shared != null && shared.isHeldByCurrentThread()) shared.unlock();
        MappedFile f = file();
        if (f == null || !f.truncated()) throw e;
        RuntimeException t = truncated(e);
        mem = CLOSED;
        memory.close();
        return t;
    }

    private IllegalStateException truncated(InternalError e) {
        MappedFile f = file();
        return new IllegalStateException(typeName() + " of " + f.path + " is closed: another program truncated its "
                + "file while it was mapped (" + f.describeTruncation() + "). Values read just before this may be "
                + "wrong, and the file is refused on open as truncated", e);
    }

    /** {@link #gate}: a read-only file's map, which takes no write. */
    private static final int READ_ONLY = 1;
    /** {@link #gate}: a file made clean by sync(), whose next write marks it dirty first. */
    private static final int CLEAN = 2;
    /** {@link #gate}: a dirty file's writer, which counts its writes in the file for shared readers. */
    private static final int FILE_WRITER = 3;
    /** {@link #gate}: a shared reader of a file another map writes (see {@link #beginRead}). */
    private static final int SHARED = 4;
    /** 0 for an anonymous map, whose writes go straight ahead; else one of the above. */
    private int gate;
    /** A writable file-backed map: writes that a killed writer could leave half done record themselves ({@link Journal}). */
    private boolean journaled;

    private MappedFile file() {
        Reservation r = memory.reservation();
        return r == null ? null : r.file();
    }

    /** beginWrite on a map with a gate: refuse a read-only map; mark a clean file dirty, on storage, first. */
    private void passGate() {
        if (gate == READ_ONLY || gate == SHARED) {
            throw new UnsupportedOperationException(typeName() + " of " + file().path + " was opened read-only");
        }
        if (gate == CLEAN) {
            memory.reservation().markDirty();
            gate = FILE_WRITER;
        }
    }

    // ---- shared readers: a file another process (or map) writes, read by lookups under its write sequence

    /** Shared readers' lock: lookups from several threads take turns (they share the header's mirrors). */
    private java.util.concurrent.locks.ReentrantLock sharedLock;
    /** The write sequence the mirrors were loaded at (shared readers), and the retries of the current read. */
    private long mirrorSequence = -1;
    private int retries;
    /** A lookup retries at most this often before it gives up on a writer that never stops. */
    static final int MAX_RETRIES = 10_000;
    /** Waiting for an odd sequence to turn even, the writer's lock is probed every this many spins. */
    private static final int SPINS_PER_PROBE = 1 << 12;

    /** A shared reader's map: the header's mirrors, as of a sequence the writer is not in the middle of. */
    private void openShared(MappedFile f) {
        if (FileHeader.state(f.header()) != FileHeader.CLEAN && !f.writerAlive()) throw notClean(f);
        gate = SHARED;
        sharedLock = new java.util.concurrent.locks.ReentrantLock();
        sharedRead = new SharedRead(sharedLookupsOnly().getMessage());
        WRITER.setOpaque(this, SHARED_READER);
        long seq = beginRead();
        endRead(seq);
    }

    /**
     * Before a read op: 0, or for a shared reader, takes the lock and returns a write sequence that is even,
     * the mirrors loaded as of it. The op then reads, and {@link #endRead} tells whether a write ran meanwhile.
     */
    protected final long beginRead() {
        if (gate != SHARED) return 0;
        sharedLock.lock();
        retries = 0;
        return stableSequence();
    }

    /** After a read op: true if its result stands (and a shared reader's lock is released), false to retry. */
    protected final boolean endRead(long seq) {
        if (gate != SHARED) return true;
        java.lang.invoke.VarHandle.loadLoadFence();
        MemorySegment m = mem;
        if (m != CLOSED && m.get(Layouts.LONG, Journal.SEQUENCE) == seq) {
            sharedLock.unlock();
            return true;
        }
        if (m == CLOSED) {
            sharedLock.unlock();
            throw closed();
        }
        return false;
    }

    /** A read op whose result did not stand: the next sequence to read at (shared readers only). */
    protected final long retryRead(long seq) {
        if (++retries > MAX_RETRIES) {
            sharedLock.unlock();
            throw new ConcurrentModificationException(typeName() + " of " + file().path + ": no lookup found the "
                    + "map between two writes in " + MAX_RETRIES + " tries");
        }
        return stableSequence();
    }

    /** An even write sequence, the mirrors loaded as of it; whatever it throws, the lock is released first. */
    private long stableSequence() {
        try {
            return awaitStableSequence();
        } catch (RuntimeException e) {
            sharedLock.unlock();
            throw e;
        }
    }

    /** {@link #stableSequence}'s loop: throws if the header cannot be read or the writer died mid-write. */
    private long awaitStableSequence() {
        for (long spins = 0; ; spins++) {
            MemorySegment m = mem;
            long s = m.get(Layouts.LONG, Journal.SEQUENCE);
            java.lang.invoke.VarHandle.acquireFence();
            if ((s & 1) == 0) {
                if (s == mirrorSequence) return s;
                try {
                    memory.follow(); // the file may have grown
                    mem = memory.segment();
                    loadHeader(memory.reservation().reservedBytes(), IllegalStateException::new);
                } catch (RuntimeException e) {
                    java.lang.invoke.VarHandle.loadLoadFence();
                    if (mem.get(Layouts.LONG, Journal.SEQUENCE) != s) continue; // read while a write ran
                    throw e;
                }
                java.lang.invoke.VarHandle.loadLoadFence();
                if (mem.get(Layouts.LONG, Journal.SEQUENCE) != s) continue;
                mirrorSequence = s;
                return s;
            }
            if (spins % SPINS_PER_PROBE == SPINS_PER_PROBE - 1) {
                if (!file().writerAlive()) {
                    throw new IllegalStateException(typeName() + " of " + file().path + ": its writer stopped in the "
                            + "middle of a write; the file needs a read-write open, which repairs it");
                }
                if (spins > (long) SPINS_PER_PROBE * MAX_RETRIES) {
                    throw new ConcurrentModificationException(typeName() + " of " + file().path + ": its writer "
                            + "stayed in the middle of a write");
                }
                Thread.yield();
            }
            Thread.onSpinWait();
        }
    }

    private UnsupportedOperationException sharedLookupsOnly() {
        return new UnsupportedOperationException(typeName() + " of " + file().path + " was opened shared, beside "
                + "its writer: lookups only (no cursors, views, forEach or batched lookups)");
    }

    /**
     * A shared reader's {@code writer}: every {@link #readable()} finds it and throws {@link #sharedRead},
     * which the generated lookups catch to take their shared path (see {@link #beginRead}). So the lookups
     * of every other map test nothing more than before for it.
     */
    private static final Object SHARED_READER = new Object();

    /** What readable() throws on a shared reader: to a generated lookup, "take the shared path"; to anything else, "lookups only". */
    protected static final class SharedRead extends UnsupportedOperationException {
        SharedRead(String message) {
            super(message, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown on every shared lookup, and caught at once
        }
    }

    private SharedRead sharedRead;

    /** readable() for a shared reader's own lookups: open, whatever the writer field says. */
    protected final MemorySegment sharedReadable() {
        MemorySegment m = mem;
        if (m == CLOSED) throw closed();
        return m;
    }

    /** Batched lookups: refused on a shared reader. */
    protected final void checkNotShared() {
        if (gate == SHARED) throw sharedLookupsOnly();
    }

    /**
     * The most buckets a lookup walks in one chain: a torn chain, read while a writer relinks buckets, could
     * otherwise loop a shared reader. A constant, so the bound costs the lookups of every map nothing but a
     * decrement on the overflow path: far above any chain (a map grows once its overflow buckets match its
     * buckets, at most 2^15), and a walk that reaches it takes tens of milliseconds, then retries.
     */
    protected static final long MAX_CHAIN = 1L << 24;

    /**
     * A lookup's chain walk after reading a bucket's tophash word: -1 if the bucket ends the chain, else
     * {@code left - 1}, the buckets it may still pass on from. A method, so that the generated find loops
     * have no branch of their own before their slot loop (see the comment there).
     */
    protected static long chainLeft(long word, long left) {
        return Tophash.hasEmptyRest(word) ? -1 : left - 1;
    }

    /** A chain longer than {@link #MAX_CHAIN}: a shared reader retries. */
    protected static IllegalStateException tornChain() {
        return new IllegalStateException("a bucket chain longer than the map can hold (read while a write ran)");
    }

    /** A write begins: the file's write sequence becomes odd before its first store (see {@link Journal#SEQUENCE}). */
    private static void sequenceOdd(MemorySegment m) {
        m.set(Layouts.LONG, Journal.SEQUENCE, m.get(Layouts.LONG, Journal.SEQUENCE) | 1L);
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    /** A write ended: even again, after its last store. */
    private static void sequenceEven(MemorySegment m) {
        java.lang.invoke.VarHandle.storeStoreFence();
        m.set(Layouts.LONG, Journal.SEQUENCE, (m.get(Layouts.LONG, Journal.SEQUENCE) | 1L) + 1);
    }

    /**
     * Forces a file-backed map to storage and marks its file clean: until the next write, the file holds
     * this map complete and consistent even if the machine crashes. The first write after it marks the
     * file dirty again, and waits for that mark to reach storage. Nothing for an anonymous map, a
     * read-only one, or one already clean.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written to storage
     */
    public final void sync() {
        if (gate == SHARED) {
            checkOpen();
            return;
        }
        readable();
        if (gate != FILE_WRITER) return;
        beginWrite();
        try {
            checkpoint();
        } catch (RuntimeException e) {
            throw writeFailed(e);
        } finally {
            endWrite(); // the write sequence even again first
        }
        gate = CLEAN;
    }

    /** Writes the snapshot of everything the file needs besides the map's memory, and marks it clean. */
    private void checkpoint() {
        MemorySegment m = mem;
        Snapshot.Writer w = new Snapshot.Writer().put(Snapshot.VERSION);
        for (long o = 0; o < EXTRA + EXTRA_SIZE; o += 8) w.put(m.get(Layouts.LONG, o));
        w.put(hint).put(freeOverflow).put(freeOverflowCount);
        w.put(prepared == null ? 0 : prepared.off).put(prepared == null ? 0 : prepared.b);
        // Arrays and bytes that open cursors still hold: freed when the file is opened again.
        int n = 0;
        if (retired != null) for (Gen g : retired) if (!g.freed) n++;
        w.put(n);
        if (retired != null) for (Gen g : retired) if (!g.freed) w.put(g.off).put(g.b).put(g.slabs);
        int parked = limbo == null ? 0 : limbo.size() / 2;
        w.put(parked);
        for (int i = 0; i < 2 * parked; i++) w.put(limbo.get(i));
        memory.reservation().saveState(w);
        memory.checkpoint(w.toArray());
        mem = memory.segment();
    }

    /**
     * Opens the map a file holds: a clean file's header, snapshot and allocator state are read back, with
     * no scan of the entries. Read-write, the file stays clean until the first write marks it dirty (on
     * storage), unless the snapshot holds blocks to free now.
     *
     * @throws IllegalStateException if the file was not closed cleanly
     * @throws IllegalArgumentException if its snapshot is damaged
     */
    private void reopen(MappedFile f) {
        if (f.shared) {
            openShared(f);
            return;
        }
        if (FileHeader.state(f.header()) != FileHeader.CLEAN) {
            if (f.readOnly) throw notClean(f);
            if (!FileHeader.dirtiedThisBoot(f.header()) && !SALVAGE) throw restarted(f);
            gate = FILE_WRITER;
            sequenceOdd(mem); // shared readers that outlived the last writer wait for the repair
            new MapRepair(this, f).run();
            sequenceEven(mem);
            return;
        }
        Reservation r = memory.reservation();
        long end = r.reservedBytes();
        Snapshot.Reader in = new Snapshot.Reader(r.readSnapshot(), f.path + " as a " + typeName());
        in.next(Snapshot.VERSION, Snapshot.VERSION, "the snapshot version");
        MemorySegment m = mem;
        for (long o = 0; o < EXTRA + EXTRA_SIZE; o += 8) {
            // A cursor made while the file was clean sets the iterator flags and the extra pointer, which
            // say nothing about the entries: those bits may differ.
            long mask = o == FLAGS_OFFSET ? ~(long) (ITERATOR | OLD_ITERATOR) : o == EXTRA_OFFSET ? 0 : -1L;
            if (((in.next() ^ m.get(Layouts.LONG, o)) & mask) != 0) {
                throw in.damaged("the map's header differs from the snapshot's copy of it");
            }
        }
        hint = in.next(0, Long.MAX_VALUE, "the size hint");
        freeOverflow = in.next(0, end, "the free overflow list");
        freeOverflowCount = in.next(0, end, "the free overflow count");
        long po = in.next(0, end, "the prepared array");
        int pb = (int) in.next(0, 62, "the prepared array's B");
        Gen[] held = new Gen[in.count(3)];
        for (int i = 0; i < held.length; i++) {
            long off = in.next(MapMemory.PAGE, end, "a held array");
            held[i] = gen(off, (int) in.next(0, 62, "a held array's B"));
            held[i].slabs = in.next(0, end, "a held array's slabs");
        }
        long[] parked = new long[2 * in.count(2)];
        for (int i = 0; i < parked.length; i++) parked[i] = in.next(0, end, "parked bytes");
        r.restoreState(in);
        in.end();
        loadHeader(end, in::damaged);
        if (po != 0) prepared = gen(po, pb);
        if (f.readOnly) {
            gate = READ_ONLY;
        } else if (held.length == 0 && parked.length == 0 && (mem.get(Layouts.BYTE, FLAGS_OFFSET) & 0xFF) == flags) {
            gate = CLEAN; // nothing to change yet: the file stays clean until the first write (passGate)
        } else {
            r.markDirty();
            gate = FILE_WRITER;
            sequenceOdd(mem);
            for (Gen g : held) freeGen(g);
            for (int i = 0; i < parked.length; i += 2) memory.free(parked[i], parked[i + 1], MapMemory.BYTES);
            storeHeader(); // iterator flags of cursors that were open at the snapshot are gone
            sequenceEven(mem);
        }
        schedulePrepare();
    }

    private Gen gen(long off, int b) {
        long nb = arrayBuckets(b);
        return new Gen(off, nb * bs, nb, b);
    }

    /** The mirrors of the header fields, read from the file's hmap header, checked against the map's bounds. */
    void loadHeader(long end, java.util.function.Function<String, RuntimeException> damaged) {
        MemorySegment m = mem;
        count = m.get(Layouts.LONG, COUNT_OFFSET);
        flags = m.get(Layouts.BYTE, FLAGS_OFFSET) & (SAME_SIZE_GROW);
        B = m.get(Layouts.BYTE, B_OFFSET) & 0xFF;
        noverflow = m.get(Layouts.SHORT, NOVERFLOW_OFFSET) & 0xFFFF;
        setHash0(m.get(Layouts.INT, HASH0_OFFSET));
        buckets = m.get(Layouts.LONG, BUCKETS_OFFSET);
        oldbuckets = m.get(Layouts.LONG, OLDBUCKETS_OFFSET);
        nevacuate = m.get(Layouts.LONG, NEVACUATE_OFFSET);
        nextOverflow = m.get(Layouts.LONG, EXTRA_NEXTOVERFLOW_OFFSET);
        if (B > 40 || count < 0 || buckets < 0 || buckets >= end || (buckets & 7) != 0
                || (buckets == 0 && (B != 0 || count != 0 || oldbuckets != 0))) {
            throw damaged.apply("the map's header is inconsistent (count " + count + ", B " + B + ", buckets " + buckets + ")");
        }
        if (buckets != 0) {
            cur = gen(buckets, B);
            if (cur.off < MapMemory.PAGE || cur.off + cur.bytes > end) throw damaged.apply("the bucket array lies outside the file");
        }
        if (oldbuckets != 0) {
            if (B == 0 && !sameSizeGrow()) throw damaged.apply("a growth from B = -1");
            old = gen(oldbuckets, sameSizeGrow() ? B : B - 1);
            if (nevacuate < 0 || nevacuate > noldbuckets() || (oldbuckets & 7) != 0 || old.off < MapMemory.PAGE
                    || old.off + old.bytes > end) {
                throw damaged.apply("the old bucket array is inconsistent");
            }
        }
    }

    /** Repair a dirty file even when it was dirtied before the machine's last restart (see {@link #restarted}). */
    private static final boolean SALVAGE = Boolean.getBoolean("hmap.salvage");

    private IllegalStateException restarted(MappedFile f) {
        return new IllegalStateException("cannot open " + f.path + ": it was being written when the machine went down "
                + "(it is dirty, from an earlier boot), so pages written since its last sync() may be lost or torn, "
                + "and a repair can check its structure but not its values. It is refused, unchanged. Restore it from "
                + "a copy made after a sync(), or run with -Dhmap.salvage=true to repair it anyway and keep the "
                + "entries whose keys check out");
    }

    private IllegalStateException notClean(MappedFile f) {
        return new IllegalStateException("cannot open " + f.path + " read-only: it was not closed cleanly (its writer "
                + "stopped without close() or sync() after its last write), and needs a repair, which a read-write "
                + "open makes. Nothing was changed in the file");
    }

    // ------------------------------------------------------------------ cursors

    /**
     * The arrays a cursor may still read (Go's GC keeps them alive through the iterator). An array
     * with pins is neither given back during its evacuation nor freed when it ends; the pins go when the
     * cursor is exhausted or, for an abandoned cursor, when the Cleaner sees it collected.
     */
    protected static final class Pin implements Runnable {
        private final MapCore map;
        private Gen[] gens = new Gen[2];
        private int n;
        private boolean released;

        Pin(MapCore map) {
            this.map = map;
            ACTIVE.getAndAdd(map, 1);
        }

        /** Pins g (idempotent). Owner thread. */
        public synchronized void add(Gen g) {
            if (g == null || released) return;
            for (int i = 0; i < n; i++) if (gens[i] == g) return;
            if (n == gens.length) gens = java.util.Arrays.copyOf(gens, n * 2);
            gens[n++] = g;
            Gen.PINS.getAndAdd(g, 1);
        }

        @Override
        public synchronized void run() { // on exhaustion (owner thread) or by the Cleaner (any thread)
            if (released) return;
            released = true;
            ACTIVE.getAndAdd(map, -1);
            boolean ready = false;
            for (int i = 0; i < n; i++) if ((int) Gen.PINS.getAndAdd(gens[i], -1) == 1) ready = true;
            if (ready) map.retiredReady = true;
        }
    }

    /**
     * Go's mapiterinit bookkeeping for a new cursor: sets iterator|oldIterator and pins the arrays it
     * may read (the current one and, during a growth, the old one).
     */
    protected final Pin pinForCursor() {
        if (gate == SHARED) throw sharedLookupsOnly();
        releaseReadyRetired();
        ensureExtra();
        if ((flags & (ITERATOR | OLD_ITERATOR)) != (ITERATOR | OLD_ITERATOR)) {
            flags |= ITERATOR | OLD_ITERATOR;
            if (gate != READ_ONLY) mem.set(Layouts.BYTE, FLAGS_OFFSET, storedFlags());
        }
        Pin pin = new Pin(this);
        pin.add(cur);
        pin.add(old);
        return pin;
    }

    /** A cursor about to read an old bucket pins the old array first. */
    protected final void pinOld(Pin pin) {
        pin.add(old);
    }

    /** Releases the pin when {@code owner} becomes unreachable; the returned action releases it now. */
    protected static Cleaner.Cleanable releaseWhenUnreachable(Object owner, Pin pin) {
        return CLEANER.register(owner, pin);
    }

    /** After a cursor ended: free what it was the last to pin. Owner thread. */
    protected final void cursorEnded() {
        if (mem != CLOSED) releaseReadyRetired();
    }

    /** A random long for a cursor's start bucket and offset (Go: fastrand). */
    protected final long randomStart() {
        return nextRandomLong() >>> 1;
    }

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    // SplittableRandom's nextInt and nextLong (mix32, mix64 of the next seed). A cursor made on a reader
    // thread may race the owner's draw: two draws may then return the same number, which does no harm.
    private int nextRandomInt() {
        long z = rngState += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    private long nextRandomLong() {
        long z = rngState += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ introspection

    public final byte[] headerBytes() {
        checkOpen();
        return mem.asSlice(0, HmapHeader.SIZE).toArray(Layouts.BYTE);
    }

    public final byte[] bucketBytes(long index) {
        checkOpen();
        if (index < 0 || index >= (1L << B)) {
            throw new IndexOutOfBoundsException("bucket index " + index + " outside [0, " + (1L << B) + ")");
        }
        if (buckets == 0) return new byte[(int) bs]; // Go's nil buckets: an empty bucket
        return mem.asSlice(buckets + index * bs, bs).toArray(Layouts.BYTE);
    }

    public final long size() {
        checkOpen();
        if (gate != SHARED) return count;
        for (long seq = beginRead(); ; seq = retryRead(seq)) {
            long c = count;
            if (endRead(seq)) return c;
        }
    }

    public final boolean isEmpty() {
        return size() == 0;
    }

    public final dev.hmap.MapStats stats() {
        checkOpen();
        releaseReadyRetired();
        return new dev.hmap.MapStats(count, flags, B, noverflow, hash0, nevacuate, growing(), sameSizeGrow(),
                buckets == 0 ? 0 : 1L << B, growing() ? noldbuckets() : 0,
                layout.keySize(), layout.valueSize(), layout.bucketSize(), memory.liveBytes());
    }

    // ------------------------------------------------------------------ invariants

    /** Hash of the key stored at {@code keyOff}. */
    protected abstract long hashKeyAt(MemorySegment m, long keyOff);

    /** Looks the key stored at {@code keyOff} up through the public lookup path; returns its key offset or -1. */
    protected abstract long lookupKeyAt(MemorySegment m, long keyOff);

    protected abstract String keyString(MemorySegment m, long keyOff);

    /**
     * Checks every structural invariant, re-finding every live key; throws AssertionError with a dump.
     * O(size): for tests and debugging. Returns true so it can be used in {@code assert}.
     */
    public final boolean checkInvariants() {
        checkOpen();
        String err = findViolation();
        if (err != null) throw new AssertionError(err + "\n" + dump(64));
        return true;
    }

    private String findViolation() {
        MemorySegment m = mem;
        if (m.get(Layouts.LONG, COUNT_OFFSET) != count || (m.get(Layouts.BYTE, FLAGS_OFFSET) & 0xFF) != flags
                || (m.get(Layouts.BYTE, B_OFFSET) & 0xFF) != B
                || (m.get(Layouts.SHORT, NOVERFLOW_OFFSET) & 0xFFFF) != noverflow
                || m.get(Layouts.INT, HASH0_OFFSET) != hash0 || m.get(Layouts.LONG, BUCKETS_OFFSET) != buckets
                || m.get(Layouts.LONG, OLDBUCKETS_OFFSET) != oldbuckets
                || m.get(Layouts.LONG, NEVACUATE_OFFSET) != nevacuate
                || m.get(Layouts.LONG, EXTRA_NEXTOVERFLOW_OFFSET) != nextOverflow) {
            return "header bytes differ from the map's state";
        }
        if ((flags & HASH_WRITING) != 0) return "hashWriting set outside a write";
        String mm = memory.checkConsistency();
        if (mm != null) return mm;
        if (buckets == 0) return count == 0 ? null : "count " + count + " without buckets";
        long live = 0, overflows = 0;
        long nb = 1L << B, mask = nb - 1;
        long oldN = growing() ? noldbuckets() : 0;
        for (long i = 0; i < nb; i++) {
            long b0 = buckets + i * bs;
            if (growing() && !isOldEvacuated(m, i & (oldN - 1))) {
                // Not yet written: the new bucket must still be empty.
                for (int s = 0; s < BUCKET_CNT; s++) {
                    if (m.get(Layouts.BYTE, b0 + s) != EMPTY_REST) return "bucket " + i + " written before its old bucket was evacuated";
                }
                if (m.get(Layouts.LONG, b0 + overflowOff) != 0) return "bucket " + i + " has overflow before evacuation";
                continue;
            }
            long[] r = checkChain(m, b0, i, mask);
            if (r[0] < 0) return "bucket " + i + ": " + CHAIN_ERRORS[(int) -r[0]] + " at slot offset " + r[1];
            live += r[0];
            overflows += r[1];
        }
        if (growing()) {
            for (long j = 0; j < oldN; j++) {
                if (j < nevacuate) continue;
                long ob = oldbuckets + j * bs;
                if (Tophash.evacuated(m, ob)) {
                    for (long b = ob; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) {
                        for (int s = 0; s < BUCKET_CNT; s++) {
                            int t = m.get(Layouts.BYTE, b + s) & 0xFF;
                            if (t < EVACUATED_X || t > EVACUATED_EMPTY) return "old bucket " + j + " partly evacuated";
                        }
                    }
                    continue;
                }
                long[] r = checkChain(m, ob, j, oldN - 1);
                if (r[0] < 0) return "old bucket " + j + ": " + CHAIN_ERRORS[(int) -r[0]] + " at slot offset " + r[1];
                live += r[0];
            }
        }
        if (live != count) return "count is " + count + " but " + live + " live entries were found";
        if (B < 16 && overflows != noverflow) return "noverflow is " + noverflow + " but " + overflows + " overflow buckets hang off the array";
        return null;
    }

    private static final String[] CHAIN_ERRORS = {"", "entry after emptyRest", "tophash mismatch",
        "key in the wrong bucket", "key not found by lookup", "trailing emptyOne (should be emptyRest)",
        "sentinel tophash"};

    /** Returns {live, overflowBuckets} or {-error, slotOffset}. */
    private long[] checkChain(MemorySegment m, long b0, long index, long mask) {
        long live = 0, overflows = 0;
        boolean rest = false;
        long lastEmptyOneAfterLive = -1;
        for (long b = b0; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) {
            if (b != b0) overflows++;
            for (int s = 0; s < BUCKET_CNT; s++) {
                int t = m.get(Layouts.BYTE, b + s) & 0xFF;
                long slot = b + s;
                if (t == EMPTY_REST) {
                    rest = true;
                    continue;
                }
                if (rest) return new long[] {-1, slot};
                if (t == EMPTY_ONE) {
                    lastEmptyOneAfterLive = slot;
                    continue;
                }
                if (t < MIN_TOP_HASH) return new long[] {-6, slot};
                long keyOff = b + layout.keysOffset() + (long) s * layout.keySize();
                long h = hashKeyAt(m, keyOff);
                if (Tophash.of(h) != t) return new long[] {-2, slot};
                if ((h & mask) != index) return new long[] {-3, slot};
                if (lookupKeyAt(m, keyOff) != keyOff) return new long[] {-4, slot};
                live++;
                lastEmptyOneAfterLive = -1;
            }
        }
        // Delete turns a trailing run of emptyOne into emptyRest, so none may be left after the last entry.
        if (lastEmptyOneAfterLive != -1) return new long[] {-5, lastEmptyOneAfterLive};
        return new long[] {live, overflows};
    }

    /** Header fields and the tophash bytes of the first {@code maxBuckets} buckets. */
    public final String dump(int maxBuckets) {
        if (mem == CLOSED) return "(closed)";
        MemorySegment m = mem;
        StringBuilder sb = new StringBuilder();
        sb.append(getClass().getSimpleName()).append(" count=").append(count).append(" flags=").append(flags)
                .append(" B=").append(B).append(" noverflow=").append(noverflow).append(" hash0=").append(hash0)
                .append(" buckets=").append(buckets).append(" oldbuckets=").append(oldbuckets)
                .append(" nevacuate=").append(nevacuate).append(" nextOverflow=").append(nextOverflow).append('\n');
        if (buckets == 0) return sb.toString();
        long nb = Math.min(1L << B, maxBuckets);
        for (long i = 0; i < nb; i++) {
            sb.append("  [").append(i).append(']');
            for (long b = buckets + i * bs; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) {
                sb.append(" {");
                for (int s = 0; s < BUCKET_CNT; s++) {
                    int t = m.get(Layouts.BYTE, b + s) & 0xFF;
                    sb.append(s == 0 ? "" : " ").append(t);
                    if (t >= MIN_TOP_HASH) sb.append(':').append(keyString(m, b + layout.keysOffset() + (long) s * layout.keySize()));
                }
                sb.append('}');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
