// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/**
 * The bound hmap's cost is quoted against: Go 1.19's {@code map[int64]int64} bucket layout, off-heap, with
 * nothing around it. Peer name {@code go-bound}, long keys only, always presized; not in {@link Peers#NAMES}
 * (pass {@code -p impl=go-bound}); the report puts it beside hmap.
 *
 * <pre>
 *  0         8                        72                       136        144
 *  +---------+------------------------+------------------------+----------+
 *  | tophash | keys: 8 x int64        | values: 8 x int64      | overflow |
 *  +---------+------------------------+------------------------+----------+
 *  table: 2^B buckets (bucket i at i * 144), then the overflow area (2^(B+1) buckets, handed out in order);
 *  overflow holds the offset of the next bucket of the chain, 0 for none (no overflow bucket is at 0)
 * </pre>
 *
 * <p>What it keeps of Go, so that the comparison is with the same work: the bucket layout, hmap's hash and
 * Go's tophash (top byte, plus 5 below 5), B from the size hint by Go's load factor 6.5, assign's "first
 * free slot of the chain, else a new overflow bucket", and mapdelete's marking: the slot becomes emptyOne,
 * and when nothing follows it in the chain, it and the emptyOne run before it become emptyRest, walking back
 * over the chain, so a lookup stops at the first bucket with an emptyRest. Tophash bytes are matched 8 at a
 * time as one long (SWAR), as hmap does (see {@code engine/.../internal/Tophash.java}).
 *
 * <p>What it leaves out, because it is not the layout: growth (the table is sized for the hint, and the
 * overflow area is sized so no benchmark exhausts it: a churn at a fixed size cycles over a fixed ring of
 * keys, so each chain's longest length is reached within one cycle), concurrent-use detection, liveness
 * guards beyond the segment's own, allocation-failure handling, Go's reseeding when the map empties and its
 * zeroing of a deleted value (nothing reads a deleted slot's value). It is the layout's best, not a straw
 * man: constant offsets from a {@code static final} {@link StructLayout}, unaligned little-endian value
 * layouts (as hmap's), the segment in a final field, and writes that load a word of each of the bucket's
 * cache lines up front so their misses overlap (hmap's {@code touch}).
 *
 * <p>What it keeps of hmap's memory, because it is part of what the layout costs in Java: the table is a
 * {@link MemorySegment} of a <b>shared</b> {@link Arena} (hmap needs one for a safe close from any thread;
 * every access checks the segment's bounds and liveness), mapped with {@code mmap} (fresh memory is zero, so
 * no zeroing loop; pages are faulted on first touch), 2 MiB-aligned and advised {@code MADV_HUGEPAGE} when
 * the table is 2 MiB or larger, and unmapped when the arena closes.
 */
final class GoLayoutBound extends Peer {
    static final StructLayout BUCKET = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("tophash"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_LONG).withName("keys"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_LONG).withName("values"),
            ValueLayout.JAVA_LONG.withName("overflow"));
    static final long BUCKET_SIZE = BUCKET.byteSize();
    static final long KEYS_OFF = BUCKET.byteOffset(PathElement.groupElement("keys"));
    static final long VALUES_OFF = BUCKET.byteOffset(PathElement.groupElement("values"));
    static final long OVERFLOW_OFF = BUCKET.byteOffset(PathElement.groupElement("overflow"));

    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    static final int EMPTY_REST = 0, EMPTY_ONE = 1, MIN_TOP_HASH = 5;
    private static final long LSB = 0x0101010101010101L, MSB = 0x8080808080808080L, LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** The hash seed when none is given: any int (hmap draws one per map). */
    static final int HASH0 = 0x60B0_07D5;
    static final long HUGE_PAGE = 2L << 20;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment mem;
    private final int b;
    private final long mask, seed0, seed1;
    private long nextOverflow;
    private long count;

    GoLayoutBound(long hint) {
        this(hint, HASH0);
    }

    GoLayoutBound(long hint, int hash0) {
        super("go-bound");
        int b = 0;
        while (hint > 8 && hint > 13 * ((1L << b) / 2)) b++; // Go's makemap: the smallest B not over the load factor
        this.b = b;
        this.mask = (1L << b) - 1;
        this.seed0 = seed0(hash0);
        this.seed1 = seed1(hash0);
        long table = (1L << b) * BUCKET_SIZE;
        this.nextOverflow = table;
        this.mem = map(table + (2L << b) * BUCKET_SIZE, table >= HUGE_PAGE, arena);
    }

    /** B: the table has 2^B buckets. */
    int bucketShift() {
        return b;
    }

    // ---- hmap's hash, copied: dev.hmap.internal is not exported. It must stay equal to Hashing.hash64, seed0
    // and seed1 in engine/src/main/java/dev/hmap/internal/Hashing.java; GoLayoutBoundTest compares the
    // buckets with a LongLongMap's of the same hash0, which only match while it does.

    private static final long P0 = 0xa0761d6478bd642fL, P1 = 0xe7037ed1a0b428dbL, P2 = 0x8ebc6af09c88c6e3L;

    private static long fold(long a, long b) {
        return Math.multiplyHigh(a, b) ^ (a * b);
    }

    static long seed0(int hash0) {
        return fold(fold(hash0 ^ P0, P1) ^ P2, P0);
    }

    static long seed1(int hash0) {
        return fold(fold(hash0 ^ P2, P0) ^ P1, P2) | 1L;
    }

    private static long hash(long key, long s0, long s1) {
        return fold(fold(key ^ s0, s1), P2);
    }

    private static long pattern(long hash) {
        int top = (int) (hash >>> 56);
        return (top < MIN_TOP_HASH ? top + MIN_TOP_HASH : top) * LSB;
    }

    // ---- SWAR over the tophash word: byte i is slot i; a match's bit is 8i + 7, so (bit - 7) is 8i, the
    // slot's offset in the keys and values arrays.

    /** Slots whose byte equals the pattern's; may add a slot above a true match (borrow), never an empty one. */
    private static long match(long word, long pattern) {
        long x = word ^ pattern;
        return (x - LSB) & ~x & MSB;
    }

    /** Whether a slot is emptyRest: nothing lives after it in this bucket or the chain. */
    private static boolean hasEmptyRest(long word) {
        return ((word - LSB) & ~word & MSB) != 0;
    }

    /** Empty slots (emptyRest or emptyOne); the lowest is exact. */
    private static long matchEmpty(long word) {
        long x = word & ~LSB;
        return (x - LSB) & ~x & MSB;
    }

    /** Exactly the slots whose byte is emptyOne. */
    private static long matchEmptyOne(long word) {
        long x = word ^ LSB;
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    // ---- Go's mapaccess, mapassign and mapdelete over the layout

    @Override
    public long get(long key) {
        MemorySegment m = mem;
        long hash = hash(key, seed0, seed1);
        long b = (hash & mask) * BUCKET_SIZE;
        long pattern = pattern(hash);
        for (;;) {
            long word = m.get(LONG, b);
            boolean last = hasEmptyRest(word);
            for (long match = match(word, pattern); match != 0; match &= match - 1) {
                long s = Long.numberOfTrailingZeros(match) - 7;
                if (m.get(LONG, b + KEYS_OFF + s) == key) return m.get(LONG, b + VALUES_OFF + s);
            }
            if (last) return 0;
            b = m.get(LONG, b + OVERFLOW_OFF);
            if (b == 0) return 0;
        }
    }

    @Override
    public void put(long key, long value) {
        MemorySegment m = mem;
        long hash = hash(key, seed0, seed1);
        long b = (hash & mask) * BUCKET_SIZE;
        touch(m, b);
        long pattern = pattern(hash);
        long insertB = -1, insertS = 0;
        for (;;) {
            long word = m.get(LONG, b);
            for (long match = match(word, pattern); match != 0; match &= match - 1) {
                long s = Long.numberOfTrailingZeros(match) - 7;
                if (m.get(LONG, b + KEYS_OFF + s) == key) {
                    m.set(LONG, b + VALUES_OFF + s, value);
                    return;
                }
            }
            if (insertB < 0) {
                long empty = matchEmpty(word);
                if (empty != 0) {
                    insertB = b;
                    insertS = Long.numberOfTrailingZeros(empty) - 7;
                }
            }
            if (hasEmptyRest(word)) break;
            long ovf = m.get(LONG, b + OVERFLOW_OFF);
            if (ovf == 0) break;
            b = ovf;
        }
        if (insertB < 0) { // the chain is full
            insertB = newOverflow(m, b);
            insertS = 0;
        }
        m.set(BYTE, insertB + (insertS >>> 3), (byte) (pattern & 0xFF));
        m.set(LONG, insertB + KEYS_OFF + insertS, key);
        m.set(LONG, insertB + VALUES_OFF + insertS, value);
        count++;
    }

    /** Go's newoverflow, from the preallocated area only: links the next free bucket after {@code last}. */
    private long newOverflow(MemorySegment m, long last) {
        long ovf = nextOverflow;
        if (ovf + BUCKET_SIZE > m.byteSize()) { // not a growth: a benchmark that needs this is misconfigured
            throw new IllegalStateException("go-bound: its overflow area of " + (2L << b) + " buckets is full");
        }
        nextOverflow = ovf + BUCKET_SIZE;
        m.set(LONG, last + OVERFLOW_OFF, ovf);
        return ovf;
    }

    @Override
    public long remove(long key) {
        MemorySegment m = mem;
        long hash = hash(key, seed0, seed1);
        long bOrig = (hash & mask) * BUCKET_SIZE;
        touch(m, bOrig);
        long pattern = pattern(hash);
        long b = bOrig;
        for (;;) {
            long word = m.get(LONG, b);
            for (long match = match(word, pattern); match != 0; match &= match - 1) {
                long s = Long.numberOfTrailingZeros(match) - 7;
                if (m.get(LONG, b + KEYS_OFF + s) != key) continue;
                long v = m.get(LONG, b + VALUES_OFF + s);
                markDeleted(m, bOrig, b, (int) (s >>> 3), word);
                count--;
                return v;
            }
            if (hasEmptyRest(word)) return 0;
            b = m.get(LONG, b + OVERFLOW_OFF);
            if (b == 0) return 0;
        }
    }

    /**
     * Go's delete marking for slot {@code i} of bucket {@code b} (tophash word {@code word}): emptyOne if an
     * entry may follow it in the chain; else emptyRest, together with the run of emptyOne slots before it,
     * which may reach back over earlier buckets of the chain (found by walking from {@code bOrig}, as Go
     * does: the chain has no back links). Within a bucket the run is found and cleared as one word.
     */
    private static void markDeleted(MemorySegment m, long bOrig, long b, int i, long word) {
        boolean restFollows;
        if (i < 7) {
            restFollows = (word >>> (8 * (i + 1)) & 0xFF) == EMPTY_REST;
        } else {
            long ovf = m.get(LONG, b + OVERFLOW_OFF);
            restFollows = ovf == 0 || m.get(BYTE, ovf) == EMPTY_REST;
        }
        if (!restFollows) {
            m.set(BYTE, b + i, (byte) EMPTY_ONE);
            return;
        }
        for (;;) {
            // Slots j..i become emptyRest, j being the lowest slot of the emptyOne run that ends below i.
            long notOne = ~matchEmptyOne(word) & MSB & ((1L << (8 * i)) - 1);
            int j = notOne == 0 ? 0 : ((63 - Long.numberOfLeadingZeros(notOne)) >>> 3) + 1;
            long run = (-1L >>> (8 * (7 - i))) & -(1L << (8 * j));
            m.set(LONG, b, word & ~run);
            if (j > 0 || b == bOrig) return;
            long next = b;
            for (b = bOrig; m.get(LONG, b + OVERFLOW_OFF) != next; b = m.get(LONG, b + OVERFLOW_OFF)) {
                // the bucket before next
            }
            word = m.get(LONG, b);
            i = 7;
            if ((word >>> 56) != EMPTY_ONE) return;
        }
    }

    /**
     * Loads a word of each cache line of the bucket after the tophash's, so that a write's misses on the key,
     * value and overflow lines overlap the tophash miss instead of following it (hmap does the same for
     * writes). Comparing with a constant keeps the loads alive.
     */
    private static void touch(MemorySegment m, long b) {
        long t = m.get(LONG, b + 64) ^ m.get(LONG, b + 128) ^ m.get(LONG, b + OVERFLOW_OFF);
        if (t == TOUCH_MAGIC) touchSink++;
    }

    private static final long TOUCH_MAGIC = 0x6A09E667F3BCC908L;
    private static int touchSink;

    @Override
    public long size() {
        return count;
    }

    @Override
    public long iterate() {
        MemorySegment m = mem;
        long s = 0;
        for (long i = 0; i <= mask; i++) {
            long b = i * BUCKET_SIZE;
            do {
                long word = m.get(LONG, b);
                for (int k = 0; k < 8; k++) {
                    if ((word >>> (8 * k) & 0xFF) >= MIN_TOP_HASH) {
                        s += m.get(LONG, b + KEYS_OFF + 8L * k) + m.get(LONG, b + VALUES_OFF + 8L * k);
                    }
                }
                b = m.get(LONG, b + OVERFLOW_OFF);
            } while (b != 0);
        }
        return s;
    }

    /** The table and the overflow buckets handed out so far (the rest of the area is never touched). */
    @Override
    public long offHeapBytes() {
        return nextOverflow;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }

    /** A copy of bucket {@code index} of the table (its first bucket, not the chain): for tests. */
    byte[] bucketBytes(long index) {
        return mem.asSlice(index * BUCKET_SIZE, BUCKET_SIZE).toArray(BYTE);
    }

    /** The bucket of {@code key} in the table: for tests that build chains on purpose. */
    long bucketOf(long key) {
        return hash(key, seed0, seed1) & mask;
    }

    /**
     * Null when the table is consistent, else what is wrong, with the chain's tophash bytes: every live slot's
     * key is in its hash's chain with its tophash and is found by {@code get} with the slot's value, the live
     * slots add up to {@link #size()}, and the emptyRest rule holds exactly: in chain order, every empty slot
     * after the last live one is emptyRest, and none before it is. For tests.
     */
    String checkInvariants() {
        MemorySegment m = mem;
        long live = 0;
        for (long i = 0; i <= mask; i++) {
            java.util.List<Integer> tops = new java.util.ArrayList<>(); // the chain's tophash bytes in order
            String bad = null;
            int lastLive = -1;
            long b = i * BUCKET_SIZE;
            do {
                for (int k = 0; k < 8; k++) {
                    int top = m.get(BYTE, b + k) & 0xFF;
                    if (top >= MIN_TOP_HASH) {
                        long key = m.get(LONG, b + KEYS_OFF + 8L * k), v = m.get(LONG, b + VALUES_OFF + 8L * k);
                        long hash = hash(key, seed0, seed1);
                        if ((hash & mask) != i || (pattern(hash) & 0xFF) != top) bad = "key " + key + " in the wrong chain or with the wrong tophash";
                        else if (get(key) != v) bad = "key " + key + " not found with its value " + v;
                        lastLive = tops.size();
                        live++;
                    } else if (top != EMPTY_ONE && top != EMPTY_REST) {
                        bad = "tophash " + top + " is no marker this map writes";
                    }
                    tops.add(top);
                }
                b = m.get(LONG, b + OVERFLOW_OFF);
            } while (b != 0);
            for (int t = 0; t < tops.size() && bad == null; t++) {
                if (t < lastLive && tops.get(t) == EMPTY_REST) bad = "emptyRest at slot " + t + " before the live slot " + lastLive;
                if (t > lastLive && tops.get(t) != EMPTY_REST) bad = "slot " + t + " after the last live one is not emptyRest";
            }
            if (bad != null) return "bucket " + i + ": " + bad + "; the chain's tophash bytes: " + tops;
        }
        return live == count ? null : "count " + count + " but " + live + " live slots";
    }

    // ---- the memory: mmap'd, unmapped when the arena closes

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = LINKER.downcallHandle(LINKER.defaultLookup().find("madvise").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final int PROT_READ_WRITE = 3, MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final int MADV_HUGEPAGE = 14;

    /**
     * {@code bytes} of zeroed memory as a segment of {@code arena}: mapped anonymous (zero without a loop),
     * and when {@code huge}, 2 MiB-aligned (a larger range is mapped and trimmed) and advised for transparent
     * huge pages before any page is touched. Best effort, as hmap's: without THP the advice fails and plain
     * pages are used.
     */
    private static MemorySegment map(long bytes, boolean huge, Arena arena) {
        long size = huge ? (bytes + HUGE_PAGE - 1) & -HUGE_PAGE : (bytes + 4095) & -4096L;
        long span = huge ? size + HUGE_PAGE : size;
        try {
            long raw = (long) MMAP.invokeExact(0L, span, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
            if (raw == -1L) throw new OutOfMemoryError("go-bound: mmap of " + span + " bytes failed");
            long addr = raw;
            if (huge) {
                addr = (raw + HUGE_PAGE - 1) & -HUGE_PAGE;
                if (addr > raw) munmap(raw, addr - raw);
                if (raw + span > addr + size) munmap(addr + size, raw + span - (addr + size));
                int ignored = (int) MADVISE.invokeExact(addr, size, MADV_HUGEPAGE);
            }
            long base = addr;
            return MemorySegment.ofAddress(base).reinterpret(size, arena, s -> munmap(base, size));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void munmap(long addr, long size) {
        try {
            int ignored = (int) MUNMAP.invokeExact(addr, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) throw e;
        return t instanceof RuntimeException re ? re : new IllegalStateException(t);
    }
}
