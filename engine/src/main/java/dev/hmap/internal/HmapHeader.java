// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Go 1.19's {@code runtime.hmap} header (amd64) and hmap's {@code mapextra}, at offset 0 of a map's memory.
 *
 * <pre>
 *  offset  0        8     9   10          12       16           24             32           40       48
 *          +--------+-----+---+-----------+--------+------------+--------------+------------+--------+
 *  hmap    | count  |flags| B | noverflow | hash0  | buckets    | oldbuckets   | nevacuate  | extra  |
 *          | int64  | u8  |u8 |  u16      | u32    | offset     | offset       | uint64     | offset |
 *          +--------+-----+---+-----------+--------+------------+--------------+------------+--------+
 *  offset 48        56            64             72
 *          +--------+-------------+--------------+
 *  extra   |overflow| oldoverflow | nextOverflow |
 *          +--------+-------------+--------------+
 * </pre>
 *
 * <p>Pointers are offsets into the map's own memory (0 is nil). Departure from Go: {@code overflow}
 * and {@code oldoverflow} point to the first of a linked list of overflow-bucket slabs of the current and
 * the old bucket array (Go points to a slice of bucket pointers there, kept only for its GC); both serve
 * to free the overflow buckets together with their array.
 */
public final class HmapHeader {
    private HmapHeader() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("count"),
            ValueLayout.JAVA_BYTE.withName("flags"),
            ValueLayout.JAVA_BYTE.withName("B"),
            ValueLayout.JAVA_SHORT.withName("noverflow"),
            ValueLayout.JAVA_INT.withName("hash0"),
            ValueLayout.JAVA_LONG.withName("buckets"),
            ValueLayout.JAVA_LONG.withName("oldbuckets"),
            ValueLayout.JAVA_LONG.withName("nevacuate"),
            ValueLayout.JAVA_LONG.withName("extra"));

    public static final StructLayout EXTRA_LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("overflow"),
            ValueLayout.JAVA_LONG.withName("oldoverflow"),
            ValueLayout.JAVA_LONG.withName("nextOverflow"));

    public static final long SIZE = LAYOUT.byteSize();
    public static final long COUNT_OFFSET = offset("count");
    public static final long FLAGS_OFFSET = offset("flags");
    public static final long B_OFFSET = offset("B");
    public static final long NOVERFLOW_OFFSET = offset("noverflow");
    public static final long HASH0_OFFSET = offset("hash0");
    public static final long BUCKETS_OFFSET = offset("buckets");
    public static final long OLDBUCKETS_OFFSET = offset("oldbuckets");
    public static final long NEVACUATE_OFFSET = offset("nevacuate");
    public static final long EXTRA_OFFSET = offset("extra");

    /** mapextra lives right after the header. */
    public static final long EXTRA = SIZE;
    public static final long EXTRA_OVERFLOW_OFFSET = EXTRA + EXTRA_LAYOUT.byteOffset(groupElement("overflow"));
    public static final long EXTRA_OLDOVERFLOW_OFFSET = EXTRA + EXTRA_LAYOUT.byteOffset(groupElement("oldoverflow"));
    public static final long EXTRA_NEXTOVERFLOW_OFFSET = EXTRA + EXTRA_LAYOUT.byteOffset(groupElement("nextOverflow"));
    public static final long EXTRA_SIZE = EXTRA_LAYOUT.byteSize();

    // Flags, as in Go.
    /** There may be an iterator using buckets. */
    public static final int ITERATOR = 1;
    /** There may be an iterator using oldbuckets. */
    public static final int OLD_ITERATOR = 2;
    /** A goroutine (here: a call) is writing to the map. */
    public static final int HASH_WRITING = 4;
    /** The current growth is to a new array of the same size. */
    public static final int SAME_SIZE_GROW = 8;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    static {
        if (SIZE != 48 || EXTRA + EXTRA_SIZE > MapMemory.RESERVED_PREFIX) {
            throw new AssertionError("hmap header must be Go's 48 bytes and fit the reserved prefix");
        }
    }
}
