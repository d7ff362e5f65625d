package dev.hmap.internal;

import java.lang.foreign.MemorySegment;

/**
 * Hashing and comparing byte-string keys (String keys in their stored WTF-8 form), wherever their bytes
 * are: in the map's memory, in a caller's segment, or in a scratch copy.
 *
 * <p>The hash folds 8 little-endian bytes at a time into the state with the map's seeded odd multiplier
 * (the folded multiply of {@link Hashing}), then the 0-7 tail bytes, then the length; so any two byte
 * strings that differ, in content or length, are mixed apart, and the seed decides which collide.
 */
public final class ByteKeys {
    private ByteKeys() {}

    private static final long P2 = 0x8ebc6af09c88c6e3L;

    /** Seeded 64-bit hash of {@code len} bytes at {@code off}. */
    public static long hash(MemorySegment s, long off, long len, long seed0, long seed1) {
        long h = seed0;
        long i = 0;
        for (; i + 8 <= len; i += 8) h = Hashing.fold(h ^ s.get(Layouts.LONG, off + i), seed1);
        long tail = 0;
        for (int shift = 0; i < len; i++, shift += 8) tail |= (s.get(Layouts.BYTE, off + i) & 0xFFL) << shift;
        h = Hashing.fold(h ^ tail, seed1);
        return Hashing.fold(h ^ len, P2);
    }

    /** Whether {@code len} bytes at a and at b are equal. */
    public static boolean equal(MemorySegment a, long aOff, MemorySegment b, long bOff, long len) {
        if (len <= 16) { // short keys: a few loads beat mismatch()'s set-up
            long i = 0;
            for (; i + 8 <= len; i += 8) {
                if (a.get(Layouts.LONG, aOff + i) != b.get(Layouts.LONG, bOff + i)) return false;
            }
            for (; i < len; i++) {
                if (a.get(Layouts.BYTE, aOff + i) != b.get(Layouts.BYTE, bOff + i)) return false;
            }
            return true;
        }
        return MemorySegment.mismatch(a, aOff, aOff + len, b, bOff, bOff + len) == -1;
    }

    /** The 4 bytes at {@code off} (Go's faststr compares the first and last 4 bytes of long keys). */
    public static int word4(MemorySegment s, long off) {
        return s.get(Layouts.INT, off);
    }
}
