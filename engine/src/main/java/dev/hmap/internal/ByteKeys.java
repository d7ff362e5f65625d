// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hashing and comparing byte-string keys (String keys in their stored WTF-8 form), wherever their bytes
 * are: in the map's memory, in a caller's segment, or in a scratch copy.
 *
 * <p>The hash is wyhash's shape on {@link Hashing}'s folded multiply: keys of up to 16 bytes are read as two
 * (possibly overlapping) words — the first and last 8 bytes, the first and last 4, or bytes 0, len/2 and
 * len-1 — so a short key costs two loads and two multiplies, with no per-byte loop; longer keys fold 16
 * bytes per step and end with their last 16. Every byte is read, the length is mixed in, and the map's
 * seed decides which keys collide.
 */
public final class ByteKeys {
    private ByteKeys() {}

    private static final long P1 = 0xe7037ed1a0b428dbL, P2 = 0x8ebc6af09c88c6e3L;

    /** Seeded 64-bit hash of {@code len} bytes at {@code off}. */
    public static long hash(MemorySegment s, long off, long len, long seed0, long seed1) {
        long a, b, h = seed0;
        if (len <= 16) {
            if (len >= 8) {
                a = s.get(Layouts.LONG, off);
                b = s.get(Layouts.LONG, off + len - 8);
            } else if (len >= 4) {
                a = s.get(Layouts.INT, off) & 0xFFFFFFFFL;
                b = s.get(Layouts.INT, off + len - 4) & 0xFFFFFFFFL;
            } else if (len > 0) {
                a = short3(s, off, len);
                b = 0;
            } else {
                a = 0;
                b = 0;
            }
        } else {
            long i = 0;
            for (; i + 16 < len; i += 16) {
                h = step(h, s.get(Layouts.LONG, off + i), s.get(Layouts.LONG, off + i + 8), seed1);
            }
            a = s.get(Layouts.LONG, off + len - 16);
            b = s.get(Layouts.LONG, off + len - 8);
        }
        return finish(h, a, b, len, seed1);
    }

    /** Both hash flavours: mixes 16 bytes (words x, y) into h. */
    private static long step(long h, long x, long y, long seed1) {
        return Hashing.fold(x ^ seed1, y ^ h);
    }

    /** Both hash flavours: the last two words a, b and the length. */
    private static long finish(long h, long a, long b, long len, long seed1) {
        return Hashing.fold(step(h, a, b, seed1) ^ len ^ P1, seed1 ^ P2);
    }

    /**
     * The same hash, of a key of {@code len <= 32} bytes given by the words the hash reads: {@code a} and
     * {@code b} as {@link #hash(byte[], int, int, long, long)} reads them last (for 17 to 32 bytes, the
     * words at {@code len - 16} and {@code len - 8}), and for 17 to 32 bytes the first two words
     * {@code w0}, {@code w1} (zero otherwise). These words hold every byte of the key, so
     * {@link #equalWords} compares with them alone: a key built from chars needs no buffer.
     */
    public static long hashWords(int len, long w0, long w1, long a, long b, long seed0, long seed1) {
        return finish(len > 16 ? step(seed0, w0, w1, seed1) : seed0, a, b, len, seed1);
    }

    /** Whether the {@code len} bytes at {@code off} of m are the key of {@link #hashWords}'s words. */
    public static boolean equalWords(MemorySegment m, long off, int len, long w0, long w1, long a, long b) {
        if (len >= 8) {
            if (m.get(Layouts.LONG, off + len - 8) != b) return false;
            if (len <= 16) return m.get(Layouts.LONG, off) == a;
            return m.get(Layouts.LONG, off + len - 16) == a && m.get(Layouts.LONG, off) == w0
                    && m.get(Layouts.LONG, off + 8) == w1;
        }
        if (len >= 4) {
            return (m.get(Layouts.INT, off) & 0xFFFFFFFFL) == a && (m.get(Layouts.INT, off + len - 4) & 0xFFFFFFFFL) == b;
        }
        return len == 0 || short3(m, off, len) == a;
    }

    /** Writes the {@code len} bytes of {@link #hashWords}' words at {@code off}: the inverse of {@link #equalWords}. */
    public static void writeWords(MemorySegment m, long off, int len, long w0, long w1, long a, long b) {
        if (len >= 8) {
            if (len > 16) {
                m.set(Layouts.LONG, off, w0);
                m.set(Layouts.LONG, off + 8, w1);
                m.set(Layouts.LONG, off + len - 16, a);
            } else {
                m.set(Layouts.LONG, off, a);
            }
            m.set(Layouts.LONG, off + len - 8, b);
        } else if (len >= 4) {
            m.set(Layouts.INT, off, (int) a);
            m.set(Layouts.INT, off + len - 4, (int) b);
        } else if (len > 0) {
            m.set(Layouts.BYTE, off, (byte) (a >>> 16));
            m.set(Layouts.BYTE, off + (len >>> 1), (byte) (a >>> 8));
            m.set(Layouts.BYTE, off + len - 1, (byte) a);
        }
    }

    /** A key of 1 to 3 bytes as the hash reads it: its first, middle and last byte. */
    private static long short3(MemorySegment s, long off, long len) {
        return (s.get(Layouts.BYTE, off) & 0xFFL) << 16 | (s.get(Layouts.BYTE, off + (len >>> 1)) & 0xFFL) << 8
                | s.get(Layouts.BYTE, off + len - 1) & 0xFFL;
    }

    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static long long8(byte[] s, int off) {
        return (long) ARRAY_LONG.get(s, off);
    }

    /** The same hash as {@link #hash(MemorySegment, long, long, long, long)}, of bytes in an array. */
    public static long hash(byte[] s, int off, int len, long seed0, long seed1) {
        long a, b, h = seed0;
        if (len <= 16) {
            if (len >= 8) {
                a = long8(s, off);
                b = long8(s, off + len - 8);
            } else if (len >= 4) {
                a = word4(s, off) & 0xFFFFFFFFL;
                b = word4(s, off + len - 4) & 0xFFFFFFFFL;
            } else if (len > 0) {
                a = (s[off] & 0xFFL) << 16 | (s[off + (len >>> 1)] & 0xFFL) << 8 | s[off + len - 1] & 0xFFL;
                b = 0;
            } else {
                a = 0;
                b = 0;
            }
        } else {
            int i = 0;
            for (; i + 16 < len; i += 16) h = step(h, long8(s, off + i), long8(s, off + i + 8), seed1);
            a = long8(s, off + len - 16);
            b = long8(s, off + len - 8);
        }
        return finish(h, a, b, len, seed1);
    }

    /** Whether {@code len} bytes at {@code aOff} of a and at {@code bOff} of the array b are equal. */
    public static boolean equal(MemorySegment a, long aOff, byte[] b, int bOff, int len) {
        if (len >= 8) {
            // Words from the front, then the last word (overlapping): no per-byte loop, no allocation.
            for (int i = 0; i < len - 8; i += 8) {
                if (a.get(Layouts.LONG, aOff + i) != long8(b, bOff + i)) return false;
            }
            return a.get(Layouts.LONG, aOff + len - 8) == long8(b, bOff + len - 8);
        }
        if (len >= 4) {
            return a.get(Layouts.INT, aOff) == word4(b, bOff)
                    && a.get(Layouts.INT, aOff + len - 4) == word4(b, bOff + len - 4);
        }
        for (int i = 0; i < len; i++) {
            if (a.get(Layouts.BYTE, aOff + i) != b[bOff + i]) return false;
        }
        return true;
    }

    public static int word4(byte[] s, int off) {
        return (int) ARRAY_INT.get(s, off);
    }

    /** Whether {@code len} bytes at a and at b are equal. */
    public static boolean equal(MemorySegment a, long aOff, MemorySegment b, long bOff, long len) {
        if (len >= 8) {
            if (len > 32) return MemorySegment.mismatch(a, aOff, aOff + len, b, bOff, bOff + len) == -1;
            // Words from the front, then the last word (overlapping): no per-byte loop.
            for (long i = 0; i < len - 8; i += 8) {
                if (a.get(Layouts.LONG, aOff + i) != b.get(Layouts.LONG, bOff + i)) return false;
            }
            return a.get(Layouts.LONG, aOff + len - 8) == b.get(Layouts.LONG, bOff + len - 8);
        }
        if (len >= 4) {
            return a.get(Layouts.INT, aOff) == b.get(Layouts.INT, bOff)
                    && a.get(Layouts.INT, aOff + len - 4) == b.get(Layouts.INT, bOff + len - 4);
        }
        for (long i = 0; i < len; i++) {
            if (a.get(Layouts.BYTE, aOff + i) != b.get(Layouts.BYTE, bOff + i)) return false;
        }
        return true;
    }

    /** The 4 bytes at {@code off} (Go's faststr compares the first and last 4 bytes of long keys). */
    public static int word4(MemorySegment s, long off) {
        return s.get(Layouts.INT, off);
    }
}
