// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The one write a file-backed map cannot make with stores that are each safe to stop after: a record in
 * the map's first page (free in a file-backed map, whose blocks start at the second) that a repair reads
 * after its writer was killed. Most writes need none: their stores are ordered so that any prefix of
 * them leaves each entry whole or absent (see the generated insert, delete and evacuate), and what they
 * leave behind (counts, emptyRest runs, a bucket or block allocated but not linked) is rebuilt by the
 * repair from the map itself.
 *
 * <pre>
 *  map offset 128                136
 *  +-----------------------------+
 *  | write sequence: odd while a |   its own cache line: readers in other processes poll it
 *  | write runs, even between    |
 *  +-----------------------------+
 *
 *  map offset 256      264       272       280       288                              360
 *  +------------------+---------+---------+---------+--------------------------------+
 *  | op               | a       | b       | c       | shadow: bytes [0, 72) of the   |
 *  | NONE, HEADER,    |         |         |         | map (hmap header and mapextra) |
 *  | VALUE, CLEAR     |         |         |         | before a HEADER write          |
 *  +------------------+---------+---------+---------+--------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@link #HEADER}: a growth starting or ending rewrites several header fields. The shadow is
 *       written first, then the op: a repair that finds HEADER copies the shadow back (the growth did not
 *       happen, or had not ended; blocks it made are unreachable and freed by the repair).</li>
 *   <li>{@link #VALUE}: a byte-string value replaced in place is two stores (data, length); a = the slot,
 *       b, c = the new header. The new bytes are whole before the op is written: a repair completes it.</li>
 *   <li>{@link #CLEAR}: clear() zeroes the bucket array; a repair finishes it.</li>
 * </ul>
 *
 * Each op is set before its first store and reset to NONE after its last.
 *
 * <p>The <b>write sequence</b> is Aeron's and the Linux kernel's seqlock: the writer makes it odd before a
 * write's first store and even after its last; a reader in another process takes a lookup's result only
 * if the sequence was even and the same before and after it (see MapCore's shared reads).
 */
final class Journal {
    private Journal() {}

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Layouts.LONG.withName("op"),
            Layouts.LONG.withName("a"),
            Layouts.LONG.withName("b"),
            Layouts.LONG.withName("c"),
            MemoryLayout.sequenceLayout(HmapHeader.EXTRA + HmapHeader.EXTRA_SIZE, Layouts.BYTE).withName("shadow"));

    /** Where the journal lies in a file-backed map's memory: past the reserved prefix, in page 0. */
    static final long OFFSET = 256;
    static final long OP = OFFSET + offset("op"), A = OFFSET + offset("a"), B = OFFSET + offset("b"),
            C = OFFSET + offset("c"), SHADOW = OFFSET + offset("shadow");
    /** The bytes of the map the shadow copies. */
    static final long SHADOWED = HmapHeader.EXTRA + HmapHeader.EXTRA_SIZE;

    static final long NONE = 0, HEADER = 1, VALUE = 2, CLEAR = 3;
    /** Where the write sequence lies in a file-backed map's memory. */
    static final long SEQUENCE = 128;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    static {
        if (OFFSET < MapMemory.RESERVED_PREFIX || OFFSET + LAYOUT.byteSize() > MapMemory.PAGE) {
            throw new AssertionError("the journal must lie in page 0, past the reserved prefix");
        }
    }

    /** Before a write of several header fields: the shadow, then the op. */
    static void header(MemorySegment m) {
        MemorySegment.copy(m, 0, m, SHADOW, SHADOWED);
        m.set(Layouts.LONG, OP, HEADER);
    }

    /** Before a byte-string value's header at {@code slot} becomes (data, length). */
    static void value(MemorySegment m, long slot, long data, long length) {
        m.set(Layouts.LONG, A, slot);
        m.set(Layouts.LONG, B, data);
        m.set(Layouts.LONG, C, length);
        m.set(Layouts.LONG, OP, VALUE);
    }

    static void clear(MemorySegment m) {
        m.set(Layouts.LONG, OP, CLEAR);
    }

    static void done(MemorySegment m) {
        m.set(Layouts.LONG, OP, NONE);
    }

    static long op(MemorySegment m) {
        return m.get(Layouts.LONG, OP);
    }
}
