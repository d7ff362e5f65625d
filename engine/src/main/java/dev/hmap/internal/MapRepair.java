// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemorySegment;

import static dev.hmap.internal.HmapHeader.*;
import static dev.hmap.internal.Tophash.*;

/**
 * The repair of a file whose writer stopped without close() or sync() after a write (killed, crashed),
 * on its next read-write open. It trusts nothing the writer kept in Java objects (the saved state is
 * gone) and rebuilds it from the map's own memory, in time linear in the file's size:
 * <ol>
 *   <li>the {@link Journal}: a growth's header write is undone, a value replacement completed, a clear
 *       finished;</li>
 *   <li>every chain of both bucket arrays is walked, overflow pointers checked against the array's
 *       spare buckets and the slabs (a pointer elsewhere cuts the chain), and every entry checked: its
 *       key's hash gives its tophash and bucket, a String key's or value's bytes lie in the file, and
 *       no earlier slot of its chain holds the same key (a delete's compaction killed midway leaves the
 *       entry in two slots). An entry that fails is dropped, and counted;</li>
 *   <li>the allocator is rebuilt from the blocks the map reaches ({@link Reservation#rebuild}), the
 *       rest zeroed where it is not zero;</li>
 *   <li>a growth is finished: each old bucket not yet evacuated is, keeping an entry already copied
 *       (evacuate copies before it marks);</li>
 *   <li>count, noverflow and the emptyRest runs are recomputed.</li>
 * </ol>
 * The writes' store order (see the generated insert, delete and evacuate) makes any interrupted write
 * come out whole or not at all, and every write that returned is in the file, since the page cache
 * outlives the process. The repair is logged (System.Logger "dev.hmap", WARNING).
 */
final class MapRepair {
    private static final System.Logger LOG = System.getLogger("dev.hmap");

    private final MapCore map;
    private final MappedFile f;
    private final long end, bs, overflowOff;
    private final BucketDescriptor layout;
    private final boolean stringKeys, stringValues;
    private long dropped, cut, finished, zeroed;
    private String firstDrop;
    /** Reachable blocks: (offset, bytes, heap). */
    private long[] offs = new long[64], sizes = new long[64];
    private int[] heaps = new int[64];
    private int n;
    private final java.util.HashSet<Long> linked = new java.util.HashSet<>();

    MapRepair(MapCore map, MappedFile f) {
        this.map = map;
        this.f = f;
        this.end = map.memory.reservation().reservedBytes();
        this.layout = map.layout;
        this.bs = layout.bucketSize();
        this.overflowOff = layout.overflowOffset();
        this.stringKeys = layout.goType().startsWith("map[string]");
        this.stringValues = layout.goType().endsWith("]string");
    }

    void run() {
        long t0 = System.nanoTime();
        MemorySegment m = map.mem;
        long op = Journal.op(m);
        String journal = "none";
        if (op == Journal.HEADER) {
            MemorySegment.copy(m, Journal.SHADOW, m, 0, Journal.SHADOWED);
            journal = "a growth's header write, undone";
        } else if (op == Journal.VALUE) {
            long slot = m.get(Layouts.LONG, Journal.A), data = m.get(Layouts.LONG, Journal.B), len = m.get(Layouts.LONG, Journal.C);
            if (slot >= MapMemory.PAGE && slot <= end - StringHeader.SIZE && (slot & 7) == 0 && bytesInFile(data, len)) {
                StringHeader.set(m, slot, data, len);
                journal = "a value replacement, completed";
            }
        }
        map.loadHeader(end, why -> new IllegalStateException("cannot repair " + f.path + ": " + why));
        if (op == Journal.CLEAR) {
            redoClear();
            journal = "a clear, finished";
        }
        if (map.nextOverflow != 0 && !spareBucket(map.nextOverflow)) map.nextOverflow = 0;
        long[] slabs = slabs(EXTRA_OVERFLOW_OFFSET), oldSlabs = map.old == null ? new long[0] : slabs(EXTRA_OLDOVERFLOW_OFFSET);
        if (map.buckets != 0) add(map.cur.off, map.cur.bytes, MapMemory.STRUCTURE);
        if (map.old != null) add(map.old.off, map.old.bytes, MapMemory.STRUCTURE);
        long nb = map.buckets == 0 ? 0 : 1L << map.B;
        for (long i = 0; i < nb; i++) scan(map.buckets + i * bs, i, nb - 1, map.cur, slabs, false);
        if (map.old != null) {
            long nold = map.noldbuckets();
            for (long j = map.nevacuate; j < nold; j++) scan(map.oldbuckets + j * bs, j, nold - 1, map.old, oldSlabs, true);
        }
        zeroed = map.memory.reservation().rebuild(offs, sizes, heaps, n);
        map.mem = map.memory.segment();
        map.freeOverflow = 0;
        map.freeOverflowCount = 0;
        map.prepared = null;
        map.hint = 0;
        if (map.old != null) finishGrowthAfterCrash();
        long live = 0, overflows = 0;
        for (long i = 0; i < nb; i++) {
            long[] r = normalize(map.buckets + i * bs);
            live += r[0];
            overflows += r[1];
        }
        long was = map.count;
        map.count = live;
        if (map.B < 16) map.noverflow = (int) Math.min(overflows, 0xFFFF);
        map.flags &= SAME_SIZE_GROW;
        map.storeHeader();
        Journal.done(map.mem);
        map.schedulePrepare();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String undone = journal;
        LOG.log(System.Logger.Level.WARNING, () -> "hmap repaired " + f.path + ", which its writer left without "
                + "close(): " + map.count + " entries (the header said " + was + "), " + dropped + " dropped"
                + (firstDrop == null ? "" : " (the first: " + firstDrop + ")") + ", " + cut + " chains cut, "
                + finished + " old buckets evacuated, " + zeroed + " bytes zeroed, journal: " + undone + "; "
                + ms + " ms");
    }

    private boolean bytesInFile(long data, long len) {
        return len == 0 ? data == 0 || data >= MapMemory.PAGE && data < end
                : len > 0 && len <= MapCore.MAX_VALUE_LENGTH && data >= MapMemory.PAGE && data <= end - len;
    }

    /** Whether b is one of the current array's spare (preallocated overflow) buckets. */
    private boolean spareBucket(long b) {
        long first = map.cur.off + (1L << map.cur.b) * bs;
        return b >= first && b < map.cur.off + map.cur.nbuckets * bs && (b - first) % bs == 0;
    }

    /** The slab list at header field {@code field}: its blocks added, and (first bucket, end) pairs sorted. */
    private long[] slabs(long field) {
        MemorySegment m = map.mem;
        long[] ranges = new long[0];
        long prevField = field;
        for (long s = m.get(Layouts.LONG, field); s != 0; s = OverflowSlab.next(m, s)) {
            int cap = s < MapMemory.PAGE || s > end - OverflowSlab.HEADER_SIZE || (s & 7) != 0 ? -1 : OverflowSlab.capacity(m, s);
            long bytes = OverflowSlab.bytes(Math.max(cap, 0), bs);
            if (cap <= 0 || s + bytes > end || ranges.length > 2 * (end / bytes)) {
                m.set(Layouts.LONG, prevField, 0L); // a damaged list: the rest is not the map's
                cut++;
                break;
            }
            add(s, bytes, MapMemory.STRUCTURE);
            ranges = java.util.Arrays.copyOf(ranges, ranges.length + 2);
            ranges[ranges.length - 2] = OverflowSlab.bucket(s, 0, bs);
            ranges[ranges.length - 1] = s + bytes;
            prevField = s + OverflowSlab.NEXT_OFFSET;
        }
        MapMemory.sortPairs(ranges);
        return ranges;
    }

    private boolean validOverflow(long b, MapCore.Gen g, long[] slabs) {
        if (g == map.cur ? spareBucket(b) : b >= g.off + (1L << g.b) * bs && b < g.off + g.nbuckets * bs
                && (b - g.off) % bs == 0) {
            return true;
        }
        for (int i = 0; i < slabs.length; i += 2) {
            if (b >= slabs[i] && b < slabs[i + 1]) return (b - slabs[i]) % bs == 0 && b + bs <= slabs[i + 1];
        }
        return false;
    }

    /** Checks chain b0 (bucket {@code index} of an array of mask + 1): cuts bad links, drops bad or repeated entries. */
    private void scan(long b0, long index, long mask, MapCore.Gen g, long[] slabs, boolean oldArray) {
        MemorySegment m = map.mem;
        for (long b = b0; b != 0; ) {
            for (int s = 0; s < BUCKET_CNT; s++) {
                int t = m.get(Layouts.BYTE, b + s) & 0xFF;
                if (t < MIN_TOP_HASH) {
                    boolean evacuatedMark = t > EMPTY_ONE;
                    if (evacuatedMark && !oldArray) drop(m, b, s, "an evacuation mark in the current array");
                    continue;
                }
                long ko = b + layout.keysOffset() + (long) s * layout.keySize();
                long vo = b + layout.valuesOffset() + (long) s * layout.valueSize();
                String why = problem(m, ko, vo, t, index, mask);
                if (why == null && holds(m, b0, ko, b, s)) why = "";
                if (why != null) {
                    drop(m, b, s, why);
                    continue;
                }
                if (stringKeys) addBytes(m, ko);
                if (stringValues) addBytes(m, vo);
            }
            long next = m.get(Layouts.LONG, b + overflowOff);
            if (next != 0 && !(validOverflow(next, g, slabs) && linked.add(next))) {
                m.set(Layouts.LONG, b + overflowOff, 0L);
                cut++;
                break;
            }
            b = next;
        }
    }

    private void drop(MemorySegment m, long b, int s, String why) {
        m.set(Layouts.BYTE, b + s, (byte) EMPTY_ONE);
        if (why.isEmpty()) return; // a second copy of an entry kept in its first slot: nothing lost
        dropped++;
        if (firstDrop == null) firstDrop = why + " at offset " + (b + s);
    }

    /** Why the entry in a slot (tophash t, in bucket {@code index}) is not one the map can hold, or null. */
    private String problem(MemorySegment m, long ko, long vo, int t, long index, long mask) {
        if (stringKeys && !bytesInFile(StringHeader.data(m, ko), StringHeader.length(m, ko))) return "a key's bytes outside the file";
        if (stringValues && !bytesInFile(StringHeader.data(m, vo), StringHeader.length(m, vo))) return "a value's bytes outside the file";
        long h = map.hashKeyAt(m, ko);
        if (Tophash.of(h) != t) return "a key whose hash does not give its tophash";
        if ((h & mask) != index) return "a key in the wrong bucket";
        return null;
    }

    /**
     * Whether a live slot of chain c holds the key bytes at ko (a String key: the same header), looking
     * only before slot s of bucket b if b is not 0.
     */
    private boolean holds(MemorySegment m, long c, long ko, long b, int s) {
        long ks = layout.keySize();
        for (; c != 0; c = m.get(Layouts.LONG, c + overflowOff)) {
            for (int i = 0; i < BUCKET_CNT; i++) {
                if (c == b && i == s) return false;
                if ((m.get(Layouts.BYTE, c + i) & 0xFF) < MIN_TOP_HASH) continue;
                long other = c + layout.keysOffset() + i * ks;
                if (MemorySegment.mismatch(m, other, other + ks, m, ko, ko + ks) < 0) return true;
            }
        }
        return false;
    }

    private void addBytes(MemorySegment m, long header) {
        long len = StringHeader.length(m, header);
        if (len > 0) add(StringHeader.data(m, header), len, MapMemory.BYTES);
    }

    private void add(long off, long bytes, int heap) {
        if (n == offs.length) {
            offs = java.util.Arrays.copyOf(offs, 2 * n);
            sizes = java.util.Arrays.copyOf(sizes, 2 * n);
            heaps = java.util.Arrays.copyOf(heaps, 2 * n);
        }
        offs[n] = off;
        sizes[n] = bytes;
        heaps[n++] = heap;
    }

    /** clear() was interrupted: finish it on the current array (everything else becomes unreachable). */
    private void redoClear() {
        MemorySegment m = map.mem;
        map.count = 0;
        map.oldbuckets = 0;
        map.old = null;
        map.nevacuate = 0;
        map.noverflow = 0;
        map.flags &= ~SAME_SIZE_GROW;
        m.set(Layouts.LONG, EXTRA_OVERFLOW_OFFSET, 0L);
        m.set(Layouts.LONG, EXTRA_OLDOVERFLOW_OFFSET, 0L);
        if (map.cur != null) {
            Layouts.zero(m, map.cur.off, map.cur.bytes);
            map.install(map.cur);
        }
        map.storeHeader();
    }

    /** Evacuates every old bucket not yet evacuated, keeping copies already made, and ends the growth. */
    private void finishGrowthAfterCrash() {
        long newbit = map.noldbuckets();
        boolean same = map.sameSizeGrow();
        for (long j = map.nevacuate; j < newbit; j++) {
            long ob = map.oldbuckets + j * bs;
            map.reserveOverflow(2 * map.chainLength(map.mem, ob));
            MemorySegment m = map.mem;
            boolean any = false;
            for (long b = ob; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) {
                for (int s = 0; s < BUCKET_CNT; s++) {
                    int t = m.get(Layouts.BYTE, b + s) & 0xFF;
                    if (t <= EMPTY_ONE) {
                        m.set(Layouts.BYTE, b + s, (byte) EVACUATED_EMPTY);
                        continue;
                    }
                    if (t < MIN_TOP_HASH) continue; // evacuated already
                    any = true;
                    long ko = b + layout.keysOffset() + (long) s * layout.keySize();
                    boolean toY = !same && (map.hashKeyAt(m, ko) & newbit) != 0;
                    long db = map.buckets + (j + (toY ? newbit : 0)) * bs;
                    if (!holds(m, db, ko, 0, 0)) {
                        append(db, b, s, t);
                        m = map.mem;
                    }
                    m.set(Layouts.BYTE, b + s, (byte) (toY ? EVACUATED_Y : EVACUATED_X));
                }
            }
            if (any) finished++;
        }
        map.nevacuate = newbit;
        map.mem.set(Layouts.LONG, NEVACUATE_OFFSET, newbit);
        map.finishGrowth();
    }

    /** Copies the entry in slot s of old bucket b into the first free slot of chain db (a new bucket if full). */
    private void append(long db, long b, int s, int t) {
        MemorySegment m = map.mem;
        long c = db, last = db;
        int slot = -1;
        for (; c != 0 && slot < 0; c = m.get(Layouts.LONG, c + overflowOff)) {
            last = c;
            for (int i = 0; i < BUCKET_CNT && slot < 0; i++) if ((m.get(Layouts.BYTE, c + i) & 0xFF) <= EMPTY_ONE) slot = i;
            if (slot >= 0) break;
        }
        long target = slot >= 0 ? c : map.newoverflow(last);
        if (slot < 0) slot = 0;
        m = map.mem;
        long ks = layout.keySize(), vs = layout.valueSize();
        MapCore.copySlot(m, b + layout.keysOffset() + s * ks, target + layout.keysOffset() + slot * ks, ks);
        MapCore.copySlot(m, b + layout.valuesOffset() + s * vs, target + layout.valuesOffset() + slot * vs, vs);
        m.set(Layouts.BYTE, target + slot, (byte) t);
    }

    /** Rewrites chain b0's empty slots (emptyRest after the last entry, emptyOne before); returns {live, overflow buckets}. */
    private long[] normalize(long b0) {
        MemorySegment m = map.mem;
        long lastB = 0, live = 0, overflows = -1;
        int lastS = -1;
        for (long b = b0; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) {
            overflows++;
            for (int s = 0; s < BUCKET_CNT; s++) {
                if ((m.get(Layouts.BYTE, b + s) & 0xFF) >= MIN_TOP_HASH) {
                    live++;
                    lastB = b;
                    lastS = s;
                }
            }
        }
        boolean rest = lastB == 0;
        for (long b = b0; b != 0; b = m.get(Layouts.LONG, b + overflowOff)) {
            for (int s = 0; s < BUCKET_CNT; s++) {
                int t = m.get(Layouts.BYTE, b + s) & 0xFF;
                if (t < MIN_TOP_HASH) m.set(Layouts.BYTE, b + s, (byte) (rest ? EMPTY_REST : EMPTY_ONE));
                if (b == lastB && s == lastS) rest = true;
            }
        }
        return new long[] {live, overflows};
    }
}
