// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A slab of overflow buckets: hmap's departure from Go, whose runtime allocates each overflow bucket on
 * its own and keeps the list of them in {@code mapextra} only for its GC. Here overflow buckets of one
 * bucket array come from slabs that are linked from {@code mapextra.overflow} (the current array's) and
 * {@code mapextra.oldoverflow} (the old array's during a growth), and are freed with their array.
 *
 * <pre>
 *  offset 0          8          12         16
 *         +----------+----------+----------+---------------------------------------+
 *         | next     | capacity | used     | capacity buckets, bucket-size each    |
 *         | offset   | int32    | int32    | (the first `used` are handed out)     |
 *         +----------+----------+----------+---------------------------------------+
 * </pre>
 */
public final class OverflowSlab {
    private OverflowSlab() {}

    public static final StructLayout HEADER = MemoryLayout.structLayout(
            Layouts.LONG.withName("next"),
            Layouts.INT.withName("capacity"),
            Layouts.INT.withName("used"));

    /** Where the buckets start. */
    public static final long HEADER_SIZE = HEADER.byteSize();
    public static final long NEXT_OFFSET = HEADER.byteOffset(groupElement("next"));
    public static final long CAPACITY_OFFSET = HEADER.byteOffset(groupElement("capacity"));
    public static final long USED_OFFSET = HEADER.byteOffset(groupElement("used"));

    /** The slab after {@code s} in its list, or 0. */
    public static long next(MemorySegment m, long s) {
        return m.get(Layouts.LONG, s + NEXT_OFFSET);
    }

    public static int capacity(MemorySegment m, long s) {
        return m.get(Layouts.INT, s + CAPACITY_OFFSET);
    }

    public static int used(MemorySegment m, long s) {
        return m.get(Layouts.INT, s + USED_OFFSET);
    }

    public static void setUsed(MemorySegment m, long s, int used) {
        m.set(Layouts.INT, s + USED_OFFSET, used);
    }

    /** Writes the header of a new, empty slab. */
    public static void init(MemorySegment m, long s, long next, int capacity) {
        m.set(Layouts.LONG, s + NEXT_OFFSET, next);
        m.set(Layouts.INT, s + CAPACITY_OFFSET, capacity);
        m.set(Layouts.INT, s + USED_OFFSET, 0);
    }

    /** The bytes of a slab of {@code capacity} buckets of {@code bucketSize}. */
    public static long bytes(long capacity, long bucketSize) {
        return HEADER_SIZE + capacity * bucketSize;
    }

    /** The i-th bucket of slab s. */
    public static long bucket(long s, long i, long bucketSize) {
        return s + HEADER_SIZE + i * bucketSize;
    }
}
