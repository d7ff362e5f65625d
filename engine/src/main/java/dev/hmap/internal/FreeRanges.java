// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.Arrays;

import static dev.hmap.internal.MapMemory.HUGE_PAGE;
import static dev.hmap.internal.MapMemory.PAGE;
import static dev.hmap.internal.MapMemory.SMALL_ZONE;
import static dev.hmap.internal.MapMemory.alignUp;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The free page ranges of a {@link Reservation}, coalesced: one AVL tree per zone, ordered by start,
 * each record holding the largest length (and the largest 2 MiB-aligned usable length) of its subtree.
 * Every byte in a free range reads as zero, so nothing of this index lives in the ranges themselves
 * (writing there would also make the pages resident): records are slots of one {@code long[]}.
 *
 * <pre>
 *  record r (r &gt;= 1), at slots [r * SLOTS, (r + 1) * SLOTS) of recs; record 0 is nil and stays all zero
 *  slot  0          1          2            3            4        5        6
 *        +----------+----------+------------+------------+--------+--------+--------+
 *        | start    | length   | maxLength  | maxHuge    | left   | right  | height |
 *        | offset   | bytes    | of subtree | of subtree | record | record | AVL    |
 *        +----------+----------+------------+------------+--------+--------+--------+
 *  maxHuge: the most bytes a range of the subtree holds from its first 2 MiB boundary on
 *  a recycled record is linked to the next one through left
 * </pre>
 *
 * <ul>
 *   <li><b>Policy: address-ordered first fit</b>, as the linear scan it replaced, so layouts did not
 *       change; first fit by address fragments little and keeps blocks packed low, so the bump pointer
 *       grows late. It costs one descent: go left while the left subtree's maximum
 *       holds the block, else take this range if it does, else go right. Segregated bins would be O(1)
 *       but pick other ranges, and could not see whether a 2 MiB-aligned block fits a range without
 *       looking at its start.</li>
 *   <li><b>Two maxima</b>, because a block of 2 MiB or more must start on a 2 MiB boundary: a range of
 *       enough length may still not hold it. {@code maxHuge} makes that descent exact too.</li>
 *   <li><b>One tree per zone</b>: a block searches only its own zone, and ranges never coalesce across
 *       the zone boundary.</li>
 *   <li><b>Int records, no references</b>, recycled through a free list and grown by doubling: no Java
 *       allocation per operation, and the records could move into mapped memory as they are.</li>
 * </ul>
 *
 * <p>Every operation walks a few root-to-leaf paths: O(log n) in the number of free ranges. {@link #steps}
 * counts the records visited, so tests can check that without timing anything.
 */
final class FreeRanges {
    static final StructLayout RECORD = MemoryLayout.structLayout(
            Layouts.LONG.withName("start"),
            Layouts.LONG.withName("length"),
            Layouts.LONG.withName("maxLength"),
            Layouts.LONG.withName("maxHuge"),
            Layouts.LONG.withName("left"),
            Layouts.LONG.withName("right"),
            Layouts.LONG.withName("height"));
    static final int SLOTS = (int) (RECORD.byteSize() / Long.BYTES);
    private static final int START = slot("start"), LENGTH = slot("length"), MAX_LENGTH = slot("maxLength"),
            MAX_HUGE = slot("maxHuge"), LEFT = slot("left"), RIGHT = slot("right"), HEIGHT = slot("height");

    private static int slot(String field) {
        return (int) (RECORD.byteOffset(groupElement(field)) / Long.BYTES);
    }

    static final int NIL = 0;
    /**
     * More levels than an AVL tree of 2^31 records has (1.44 log2 n): a walk that goes deeper is in a
     * cycle, which only writes racing on one map (misuse) can make. The walks stop there with an
     * exception: a loop that touches no map memory would not even end when the map is closed.
     */
    static final int MAX_DEPTH = 64;
    /** Zones: [0, SMALL_ZONE) and [SMALL_ZONE, reserved). */
    static final int SMALL = 0, HUGE = 1;

    private long[] recs = new long[16 * SLOTS];
    /** Records [1, used) have been handed out at some time. */
    private int used = 1;
    /** Records given back, linked through {@code left}. */
    private int recycled = NIL;
    private final int[] root = new int[2];
    private int count;
    /** Records visited by all operations so far (a test reads the difference across one operation). */
    long steps;

    static int zoneOf(long off) {
        return off < SMALL_ZONE ? SMALL : HUGE;
    }

    /** The number of free ranges. */
    int count() {
        return count;
    }

    /**
     * Takes {@code size} bytes aligned to {@code align} (PAGE or HUGE_PAGE) from the lowest free range of
     * {@code zone} that holds them, and returns their offset; -1 if none does. What the alignment skips
     * stays free.
     */
    long take(int zone, long size, long align) {
        assert align == PAGE || align == HUGE_PAGE;
        int field = align == HUGE_PAGE ? MAX_HUGE : MAX_LENGTH;
        int x = root[zone];
        steps++;
        if (get(x, field) < size) return -1;
        for (int depth = 0; ; depth++) {
            if (depth > MAX_DEPTH) throw corrupted();
            int l = link(x, LEFT);
            if (get(l, field) >= size) {
                x = l;
            } else if (usable(get(x, START), get(x, LENGTH), align) >= size) {
                break;
            } else {
                x = link(x, RIGHT);
                // The maxima said a range holds it: fail rather than loop on nil if they lie.
                if (x == NIL) throw corrupted();
            }
            steps++;
        }
        long s = get(x, START), e = s + get(x, LENGTH), a = alignUp(s, align), end = a + size;
        if (a == s && end == e) {
            root[zone] = delete(root[zone], s);
        } else if (a == s) {
            set(x, START, end);
            set(x, LENGTH, e - end);
            refresh(root[zone], end);
        } else {
            set(x, LENGTH, a - s);
            refresh(root[zone], s);
            if (end < e) root[zone] = insert(root[zone], end, e - end);
        }
        return a;
    }

    /** Makes [off, off + size) free (it was not), coalesced with the free ranges it touches in its zone. */
    void add(long off, long size) {
        int z = zoneOf(off);
        long around = around(z, off);
        int p = below(around), q = atOrAbove(around);
        boolean prev = p != NIL && get(p, START) + get(p, LENGTH) == off;
        boolean next = q != NIL && off + size == get(q, START);
        if (prev && next) {
            long qLen = get(q, LENGTH);
            // Deleting q recycles q or its successor, never p (p < q): p stays valid.
            root[z] = delete(root[z], get(q, START));
            set(p, LENGTH, get(p, LENGTH) + size + qLen);
            refresh(root[z], get(p, START));
        } else if (prev) {
            set(p, LENGTH, get(p, LENGTH) + size);
            refresh(root[z], get(p, START));
        } else if (next) {
            set(q, START, off); // still between p and q's successor: the order holds
            set(q, LENGTH, get(q, LENGTH) + size);
            refresh(root[z], off);
        } else {
            root[z] = insert(root[z], off, size);
        }
    }

    /** Calls visitor with every free range, (start, length), in address order. */
    void forEach(BlockSet.Visitor visitor) {
        forEach(root[SMALL], visitor, 0);
        forEach(root[HUGE], visitor, 0);
    }

    private void forEach(int x, BlockSet.Visitor visitor, int depth) {
        if (x == NIL) return;
        if (depth > MAX_DEPTH) throw corrupted();
        forEach(link(x, LEFT), visitor, depth + 1);
        visitor.block(get(x, START), get(x, LENGTH));
        forEach(link(x, RIGHT), visitor, depth + 1);
    }

    /** The bytes in all free ranges, summed from the records (a recount, not a running total). */
    long bytes() {
        return bytes(root[SMALL]) + bytes(root[HUGE]);
    }

    private long bytes(int x) {
        return x == NIL ? 0 : bytes(link(x, LEFT)) + get(x, LENGTH) + bytes(link(x, RIGHT));
    }

    /**
     * In zone {@code z}, the last range starting before {@code key} and the first starting at or after it
     * (NIL where there is none), from one descent, packed for {@link #below} and {@link #atOrAbove}.
     */
    private long around(int z, long key) {
        int p = NIL, q = NIL;
        for (int x = root[z], depth = 0; x != NIL; depth++) {
            if (depth > MAX_DEPTH) throw corrupted();
            steps++;
            if (get(x, START) < key) {
                p = x;
                x = link(x, RIGHT);
            } else {
                q = x;
                x = link(x, LEFT);
            }
        }
        return (long) p << 32 | q;
    }

    private static int below(long around) {
        return (int) (around >>> 32);
    }

    private static int atOrAbove(long around) {
        return (int) around;
    }

    /** Whether some free range shares a byte with [off, off + len). */
    boolean overlaps(long off, long len) {
        for (int z = SMALL; z <= HUGE; z++) {
            int p = below(around(z, off + len)); // the last range starting before off + len
            if (p != NIL && get(p, START) + get(p, LENGTH) > off) return true;
        }
        return false;
    }

    /** The free ranges as (start, length) pairs in address order (for checks and tests; allocates). */
    long[] ranges() {
        long[] out = new long[2 * count];
        int n = collect(root[HUGE], out, collect(root[SMALL], out, 0));
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private int collect(int x, long[] out, int n) {
        if (x == NIL || n >= out.length) return n;
        n = collect(link(x, LEFT), out, n);
        if (n < out.length) {
            out[n++] = get(x, START);
            out[n++] = get(x, LENGTH);
        }
        return collect(link(x, RIGHT), out, n);
    }

    /** The height of a zone's tree (0 when empty). */
    int height(int zone) {
        return (int) get(root[zone], HEIGHT);
    }

    /**
     * For checkInvariants: null when the ranges are page-aligned, non-empty, sorted, apart (coalesced),
     * inside their zone below its bump pointer, and the trees' maxima, heights and balance are right;
     * else what is wrong.
     */
    String check(long smallTop, long hugeTop) {
        for (int z = SMALL; z <= HUGE; z++) {
            String t = checkTree(root[z]);
            if (t != null) return (z == SMALL ? "small" : "huge") + " zone: " + t;
        }
        long[] r = ranges();
        if (r.length != 2 * count) return "the trees hold " + r.length / 2 + " ranges, not " + count;
        long prevEnd = -1;
        for (int i = 0; i < r.length; i += 2) {
            long s = r[i], len = r[i + 1], e = s + len;
            String at = "free range [" + s + ", +" + len + ") ";
            if (len <= 0 || (s | len) % PAGE != 0) return at + "is empty or not page-aligned";
            if (s < prevEnd) return at + "overlaps the one before";
            if (s == prevEnd && zoneOf(s) == zoneOf(s - 1)) return at + "was not coalesced with the one before";
            if (s < PAGE || (s < SMALL_ZONE ? e > smallTop : e > hugeTop)) {
                return at + "is outside its zone's used part";
            }
            prevEnd = e;
        }
        return null;
    }

    private String checkTree(int x) {
        if (x == NIL) return null;
        int l = link(x, LEFT), r = link(x, RIGHT);
        String t = checkTree(l);
        if (t == null) t = checkTree(r);
        if (t != null) return t;
        long s = get(x, START), len = get(x, LENGTH);
        if (l != NIL && get(l, START) >= s || r != NIL && get(r, START) <= s) return "record " + x + " out of order";
        if (Math.abs(get(l, HEIGHT) - get(r, HEIGHT)) > 1) return "record " + x + " unbalanced";
        if (get(x, HEIGHT) != 1 + Math.max(get(l, HEIGHT), get(r, HEIGHT))) return "record " + x + " has a wrong height";
        if (get(x, MAX_LENGTH) != Math.max(len, Math.max(get(l, MAX_LENGTH), get(r, MAX_LENGTH)))
                || get(x, MAX_HUGE) != Math.max(usable(s, len, HUGE_PAGE), Math.max(get(l, MAX_HUGE), get(r, MAX_HUGE)))) {
            return "record " + x + " has a wrong subtree maximum";
        }
        return null;
    }

    // ---------------------------------------------------------------- the trees

    /** The bytes of [s, s + len) from its first {@code align} boundary on (0 if none). */
    private static long usable(long s, long len, long align) {
        return Math.max(0, s + len - alignUp(s, align));
    }

    private long get(int x, int field) {
        return recs[x * SLOTS + field];
    }

    private void set(int x, int field, long v) {
        recs[x * SLOTS + field] = v;
    }

    private int link(int x, int field) {
        return (int) recs[x * SLOTS + field];
    }

    private static java.util.ConcurrentModificationException corrupted() {
        return new java.util.ConcurrentModificationException("the map's free-range index is corrupted: concurrent "
                + "map writes; guard maps shared between threads with a lock");
    }

    /** Recomputes x's maxima and height from its range and children. */
    private void update(int x) {
        int l = link(x, LEFT), r = link(x, RIGHT);
        long s = get(x, START), len = get(x, LENGTH);
        set(x, MAX_LENGTH, Math.max(len, Math.max(get(l, MAX_LENGTH), get(r, MAX_LENGTH))));
        set(x, MAX_HUGE, Math.max(usable(s, len, HUGE_PAGE), Math.max(get(l, MAX_HUGE), get(r, MAX_HUGE))));
        set(x, HEIGHT, 1 + Math.max(get(l, HEIGHT), get(r, HEIGHT)));
    }

    /** Recomputes the maxima on the path from x down to the record starting at {@code key}, whose range changed. */
    private void refresh(int x, long key) {
        steps++;
        long s = get(x, START);
        if (key != s) refresh(link(x, key < s ? LEFT : RIGHT), key);
        update(x);
    }

    /** Inserts the range [s, s + len) into the subtree x; returns the subtree's new root. */
    private int insert(int x, long s, long len) {
        if (x == NIL) return newRecord(s, len);
        steps++;
        if (s < get(x, START)) {
            set(x, LEFT, insert(link(x, LEFT), s, len));
        } else {
            set(x, RIGHT, insert(link(x, RIGHT), s, len));
        }
        return balance(x);
    }

    /** Deletes the range starting at {@code s} (present) from the subtree x; returns the subtree's new root. */
    private int delete(int x, long s) {
        steps++;
        long xs = get(x, START);
        if (s < xs) {
            set(x, LEFT, delete(link(x, LEFT), s));
        } else if (s > xs) {
            set(x, RIGHT, delete(link(x, RIGHT), s));
        } else {
            int l = link(x, LEFT), r = link(x, RIGHT);
            if (l == NIL || r == NIL) {
                recycle(x);
                return l == NIL ? r : l;
            }
            // Two children: x takes its successor's range, and the successor (no left child) goes.
            int m = r;
            for (int depth = 0; link(m, LEFT) != NIL; depth++) {
                if (depth > MAX_DEPTH) throw corrupted();
                steps++;
                m = link(m, LEFT);
            }
            set(x, START, get(m, START));
            set(x, LENGTH, get(m, LENGTH));
            set(x, RIGHT, delete(r, get(m, START)));
        }
        return balance(x);
    }

    private int balance(int x) {
        int l = link(x, LEFT), r = link(x, RIGHT);
        long lh = get(l, HEIGHT), rh = get(r, HEIGHT);
        if (lh > rh + 1) {
            if (get(link(l, LEFT), HEIGHT) < get(link(l, RIGHT), HEIGHT)) set(x, LEFT, rotateLeft(l));
            return rotateRight(x);
        }
        if (rh > lh + 1) {
            if (get(link(r, RIGHT), HEIGHT) < get(link(r, LEFT), HEIGHT)) set(x, RIGHT, rotateRight(r));
            return rotateLeft(x);
        }
        update(x);
        return x;
    }

    private int rotateRight(int x) {
        int l = link(x, LEFT);
        set(x, LEFT, link(l, RIGHT));
        update(x);
        set(l, RIGHT, x);
        update(l);
        return l;
    }

    private int rotateLeft(int x) {
        int r = link(x, RIGHT);
        set(x, RIGHT, link(r, LEFT));
        update(x);
        set(r, LEFT, x);
        update(r);
        return r;
    }

    private int newRecord(long s, long len) {
        int x = recycled;
        if (x != NIL) {
            recycled = link(x, LEFT);
        } else {
            if ((long) (used + 1) * SLOTS > recs.length) recs = Arrays.copyOf(recs, recs.length * 2);
            x = used++;
        }
        set(x, START, s);
        set(x, LENGTH, len);
        set(x, LEFT, NIL);
        set(x, RIGHT, NIL);
        update(x);
        count++;
        return x;
    }

    private void recycle(int x) {
        set(x, LEFT, recycled);
        recycled = x;
        count--;
    }
}
