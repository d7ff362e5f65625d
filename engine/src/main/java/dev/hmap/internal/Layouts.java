// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The value layouts every access to map memory uses: little-endian (Go's amd64 byte order, so
 * {@code headerBytes()} and {@code bucketBytes()} read the same on any platform) and unaligned (offsets
 * are aligned by construction; the unaligned layouts skip a per-access alignment check).
 */
public final class Layouts {
    private Layouts() {}

    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** 4 KiB of zeros, the source of {@link #zero}. */
    private static final MemorySegment ZEROS = Arena.global().allocate(4096);

    /**
     * Zeroes {@code bytes} bytes of {@code s} at {@code off} by copies from a zeroed segment: a
     * {@code s.asSlice(off, bytes).fill(0)} makes a slice object per call, which C2 does not always remove
     * (40 B per put that reuses a freed key or value block, JMH -prof gc).
     */
    public static void zero(MemorySegment s, long off, long bytes) {
        for (long done = 0; done < bytes; done += 4096) {
            MemorySegment.copy(ZEROS, 0, s, off + done, Math.min(4096, bytes - done));
        }
    }
}
