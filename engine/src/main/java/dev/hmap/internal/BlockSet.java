// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * The blocks a heap owns, offset to size, so that the heap can be dropped whole (clear()): an
 * open-addressing table with linear probing and backward-shift deletion, O(1) to add and to remove. A
 * churn of large values frees one page block per write; a list searched for the block made each free cost
 * the number of live blocks.
 *
 * <p>Offsets are never 0 (that is the map's header), so 0 marks an empty slot.
 */
final class BlockSet {
    private long[] offs = new long[16], sizes = new long[16];
    private int n;

    int size() {
        return n;
    }

    void add(long off, long size) {
        if (2 * (n + 1) > offs.length) rehash(2 * offs.length);
        insert(off, size);
        n++;
    }

    /** Removes the block at off; nothing if there is none. */
    void remove(long off) {
        int mask = offs.length - 1, i = slot(off, mask);
        while (offs[i] != off) {
            if (offs[i] == 0) return;
            i = (i + 1) & mask;
        }
        // Backward shift: move later entries of the probe run into the hole while their home allows it.
        for (int j = i; ; ) {
            j = (j + 1) & mask;
            if (offs[j] == 0) break;
            int home = slot(offs[j], mask);
            boolean between = i <= j ? i < home && home <= j : i < home || home <= j;
            if (between) continue; // j's home lies after the hole: it must stay
            offs[i] = offs[j];
            sizes[i] = sizes[j];
            i = j;
        }
        offs[i] = 0;
        n--;
    }

    /** What forEach calls per block. */
    interface Visitor {
        void block(long off, long size);
    }

    /** Calls visitor with every block, in no order. */
    void forEach(Visitor visitor) {
        for (int i = 0; i < offs.length; i++) if (offs[i] != 0) visitor.block(offs[i], sizes[i]);
    }

    void clear() {
        java.util.Arrays.fill(offs, 0L);
        n = 0;
    }

    private void insert(long off, long size) {
        int mask = offs.length - 1, i = slot(off, mask);
        while (offs[i] != 0) i = (i + 1) & mask;
        offs[i] = off;
        sizes[i] = size;
    }

    private void rehash(int capacity) {
        long[] o = offs, s = sizes;
        offs = new long[capacity];
        sizes = new long[capacity];
        for (int i = 0; i < o.length; i++) if (o[i] != 0) insert(o[i], s[i]);
    }

    /** Blocks are 8-aligned, page blocks page-aligned: Fibonacci hashing spreads them over the table. */
    private static int slot(long off, int mask) {
        return (int) ((off * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
