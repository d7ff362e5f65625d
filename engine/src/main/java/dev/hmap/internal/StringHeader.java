// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Go's string header, as a byte-string key slot holds it: where the key's bytes are in the map's memory,
 * and how many there are. The bytes themselves live in the map's byte heap ({@link MapMemory#BYTES}); the
 * empty string has data offset 0 and no bytes.
 *
 * <pre>
 *  offset 0                8                16
 *         +----------------+----------------+
 *         | data (offset)  | len            |
 *         | int64          | int64          |
 *         +----------------+----------------+
 * </pre>
 *
 * <p>Go's header holds a pointer; here, as everywhere in a map, it is an offset into the map's own memory.
 */
public final class StringHeader {
    private StringHeader() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Layouts.LONG.withName("data"),
            Layouts.LONG.withName("len"));

    public static final long SIZE = LAYOUT.byteSize();
    public static final long DATA_OFFSET = LAYOUT.byteOffset(groupElement("data"));
    public static final long LEN_OFFSET = LAYOUT.byteOffset(groupElement("len"));

    /** The offset of the key's bytes, for the header at {@code h}. */
    public static long data(MemorySegment m, long h) {
        return m.get(Layouts.LONG, h + DATA_OFFSET);
    }

    /** The key's length in bytes. */
    public static long length(MemorySegment m, long h) {
        return m.get(Layouts.LONG, h + LEN_OFFSET);
    }

    public static void set(MemorySegment m, long h, long data, long len) {
        m.set(Layouts.LONG, h + DATA_OFFSET, data);
        m.set(Layouts.LONG, h + LEN_OFFSET, len);
    }

    /** Go clears a deleted key's header (it holds a pointer). */
    public static void clear(MemorySegment m, long h) {
        set(m, h, 0L, 0L);
    }

    static {
        if (SIZE != 16) throw new AssertionError("Go's string header is 16 bytes");
    }
}
