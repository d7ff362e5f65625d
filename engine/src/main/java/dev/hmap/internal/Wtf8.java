// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;

/**
 * The byte encoding of String keys: WTF-8 ("generalized UTF-8").
 *
 * <p>A Java string is a sequence of UTF-16 code units, which may hold unpaired surrogates; UTF-8 cannot
 * express those ({@code String.getBytes(UTF_8)} turns them into '?', so two different strings could
 * become one key). WTF-8 encodes every code unit sequence losslessly:
 * <pre>
 *  U+0000..U+007F                 1 byte   0xxxxxxx                   (NUL is the single byte 0x00)
 *  U+0080..U+07FF                 2 bytes  110xxxxx 10xxxxxx
 *  U+0800..U+FFFF, incl. a lone   3 bytes  1110xxxx 10xxxxxx 10xxxxxx (a lone surrogate D800..DFFF
 *  surrogate                                                           becomes ED A0 80 .. ED BF BF)
 *  a surrogate pair (U+10000..)   4 bytes  11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
 * </pre>
 * A high surrogate followed by a low one is always encoded as one 4-byte sequence, never as two 3-byte
 * ones, so the encoding is injective: distinct strings have distinct bytes. For well-formed strings it
 * is exactly UTF-8, so a key can be looked up by its UTF-8 bytes.
 */
public final class Wtf8 {
    private Wtf8() {}

    /** Bytes needed to encode {@code s}. */
    public static long encodedLength(CharSequence s) {
        int n = s.length();
        long len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                len += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 2; // 4 bytes for 2 chars
                i++;
            } else {
                len += 2;
            }
        }
        return len;
    }

    /** Encodes {@code s} at {@code off}; returns the number of bytes written. */
    public static long encode(CharSequence s, MemorySegment dst, long off) {
        int n = s.length();
        long p = off;
        int i = 0;
        // ASCII run: the common case for symbols and ids.
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80) break;
            dst.set(Layouts.BYTE, p++, (byte) c);
            i++;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst.set(Layouts.BYTE, p++, (byte) c);
            } else if (c < 0x800) {
                dst.set(Layouts.BYTE, p++, (byte) (0xC0 | (c >> 6)));
                dst.set(Layouts.BYTE, p++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst.set(Layouts.BYTE, p++, (byte) (0xF0 | (cp >> 18)));
                dst.set(Layouts.BYTE, p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                dst.set(Layouts.BYTE, p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                dst.set(Layouts.BYTE, p++, (byte) (0x80 | (cp & 0x3F)));
            } else {
                dst.set(Layouts.BYTE, p++, (byte) (0xE0 | (c >> 12)));
                dst.set(Layouts.BYTE, p++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                dst.set(Layouts.BYTE, p++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return p - off;
    }

    /**
     * Where {@code len} bytes at {@code off} (of the segment s, or of the array a when it is not null) stop
     * being something {@link #encode} writes: the index, relative to off, of the first byte that is not
     * part of a well-formed sequence, or -1 if there is none. Well-formed is UTF-8 (no overlong forms,
     * nothing above U+10FFFF) plus the 3-byte forms of surrogates, except a high surrogate followed by a
     * low one, which must be written as their pair's 4-byte sequence: so every accepted byte string is the
     * encoding of exactly one Java string.
     */
    public static long invalidAt(MemorySegment s, byte[] a, long off, long len) {
        long end = off + len;
        boolean afterHigh = false;
        for (long p = off; p < end; ) {
            int b0 = at(s, a, p);
            if (b0 < 0x80) {
                p++;
                afterHigh = false;
                continue;
            }
            int n, lo = 0x80, hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                n = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                n = 3;
                if (b0 == 0xE0) lo = 0xA0; // overlong below
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                n = 4;
                if (b0 == 0xF0) lo = 0x90; // overlong below
                if (b0 == 0xF4) hi = 0x8F; // above U+10FFFF
            } else {
                return p - off; // a continuation byte, an overlong C0/C1 lead, or F5..FF
            }
            if (end - p < n) return p - off; // cut short
            int b1 = at(s, a, p + 1);
            if (b1 < lo || b1 > hi) return p + 1 - off;
            for (int k = 2; k < n; k++) {
                if ((at(s, a, p + k) & 0xC0) != 0x80) return p + k - off;
            }
            boolean surrogate = b0 == 0xED && b1 >= 0xA0;
            if (surrogate && b1 >= 0xB0 && afterHigh) return p - off; // a pair must be one 4-byte sequence
            afterHigh = surrogate && b1 < 0xB0;
            p += n;
        }
        return -1;
    }

    /**
     * {@code String.hashCode()} of the string whose encoding is the {@code len} bytes at {@code off} of
     * {@code a}: a map hashing keys by their String's hash hashes their bytes with this. Bytes that are no
     * string's encoding get some hash: no stored key has them, so a lookup by them misses whatever it is.
     *
     * <p>ASCII keys of 8 bytes or more, the common case, take no per-byte loop: each 8-byte word adds its
     * own terms (independent multiplies) to h * 31^8, and the last 0-7 bytes come from the last word read
     * again, shifted down: its terms are then 31^(8-k) times too large, which the inverse of 31 (it is odd,
     * so invertible mod 2^32) takes out. Anything else is decoded as {@link #decode} would.
     */
    public static int hashCode(byte[] a, int off, int len) {
        int i = off, end = off + len, h = 0;
        if (len >= 8) {
            for (; end - i >= 8; i += 8) {
                long w = ByteKeys.long8(a, i);
                if ((w & NOT_ASCII) != 0) return hashCode(null, a, i, end, h);
                h = h * P8 + terms(w);
            }
            int k = end - i;
            if (k == 0) return h;
            long w = ByteKeys.long8(a, end - 8); // its last k bytes are the tail
            if ((w & NOT_ASCII) == 0) return h * POW[k] + terms(w >>> ((8 - k) << 3)) * INV[8 - k];
        }
        return hashCode(null, a, i, end, h);
    }

    /** As {@link #hashCode(byte[], int, int)}, of bytes in a segment (two methods, each small enough to inline). */
    public static int hashCode(MemorySegment s, long off, long len) {
        long i = off, end = off + len;
        int h = 0;
        if (len >= 8) {
            for (; end - i >= 8; i += 8) {
                long w = s.get(Layouts.LONG, i);
                if ((w & NOT_ASCII) != 0) return hashCode(s, null, i, end, h);
                h = h * P8 + terms(w);
            }
            int k = (int) (end - i);
            if (k == 0) return h;
            long w = s.get(Layouts.LONG, end - 8); // its last k bytes are the tail
            if ((w & NOT_ASCII) == 0) return h * POW[k] + terms(w >>> ((8 - k) << 3)) * INV[8 - k];
        }
        return hashCode(s, null, i, end, h);
    }

    /** Continues {@code String.hashCode()}'s h over the chars of bytes [i, end), decoding each. */
    private static int hashCode(MemorySegment s, byte[] a, long i, long end, int h) {
        while (i < end) {
            int b = at(s, a, i);
            int n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
            if (n <= 1 || n > end - i) { // ASCII, or not an encoding
                h = 31 * h + b;
                i++;
                continue;
            }
            int cp = b & (0x7F >> n);
            for (int k = 1; k < n; k++) cp = cp << 6 | (at(s, a, i + k) & 0x3F);
            h = cp >= 0x10000 ? (31 * h + Character.highSurrogate(cp)) * 31 + Character.lowSurrogate(cp) : 31 * h + cp;
            i += n;
        }
        return h;
    }

    private static final long NOT_ASCII = 0x8080808080808080L;

    /**
     * The terms an ASCII word's 8 bytes (first byte lowest) add to a String hash, byte j times 31^(7-j):
     * neighbours paired, then pairs, then halves, one multiply each (lanes of 16 and 32 bits, which ASCII
     * bytes cannot overflow).
     */
    private static int terms(long w) {
        long x = (w & 0x00FF00FF00FF00FFL) * 31 + (w >>> 8 & 0x00FF00FF00FF00FFL);
        long y = (x & 0x0000FFFF0000FFFFL) * P2 + (x >>> 16 & 0x0000FFFF0000FFFFL);
        return (int) y * P4 + (int) (y >>> 32);
    }

    private static final int P2 = 31 * 31, P4 = P2 * P2, P8 = P4 * P4;

    /** 31^k, and the inverse of 31^k mod 2^32, for the tail's k = 0..8. */
    private static final int[] POW = new int[9], INV = new int[9];

    static {
        int inv = 31; // Newton's iteration for 1/31 mod 2^32: each step doubles the correct low bits
        for (int k = 0; k < 5; k++) inv *= 2 - 31 * inv;
        POW[0] = INV[0] = 1;
        for (int k = 1; k <= 8; k++) {
            POW[k] = POW[k - 1] * 31;
            INV[k] = INV[k - 1] * inv;
        }
    }

    /**
     * Whether the {@code len} bytes at {@code off} of m, a stored key's encoding, decode to {@code s}'s
     * chars: compared as they are decoded, no String built. A byte count equal to the char count means
     * ASCII (any other char takes more bytes), compared byte to char.
     */
    public static boolean equals(MemorySegment m, long off, long len, CharSequence s) {
        int n = s.length();
        if (len == n) {
            // A byte of a multi-byte sequence is negative as a Java byte, so it equals no char.
            for (int j = 0; j < n; j++) {
                if (m.get(Layouts.BYTE, off + j) != s.charAt(j)) return false;
            }
            return true;
        }
        if (len < n) return false;
        long i = off, end = off + len;
        int j = 0;
        while (i < end) {
            int b = m.get(Layouts.BYTE, i) & 0xFF;
            int k = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            if (k > end - i) return false;
            int cp = k == 1 ? b : b & (0x7F >> k);
            for (int q = 1; q < k; q++) cp = cp << 6 | (m.get(Layouts.BYTE, i + q) & 0x3F);
            if (cp >= 0x10000) {
                if (j + 2 > n || s.charAt(j) != Character.highSurrogate(cp) || s.charAt(j + 1) != Character.lowSurrogate(cp)) return false;
                j += 2;
            } else {
                if (j >= n || s.charAt(j) != cp) return false;
                j++;
            }
            i += k;
        }
        return j == n;
    }

    /** Byte i (unsigned) of the array a, or of the segment s when a is null. */
    static int at(MemorySegment s, byte[] a, long i) {
        return (a != null ? a[(int) i] : s.get(Layouts.BYTE, i)) & 0xFF;
    }

    /** Decodes {@code len} bytes written by {@link #encode}. */
    public static String decode(MemorySegment src, long off, long len) {
        StringBuilder sb = new StringBuilder((int) Math.min(len, Integer.MAX_VALUE));
        decodeTo(src, off, len, sb);
        return sb.toString();
    }

    /** Appends the decoded characters to {@code out}. */
    public static void decodeTo(MemorySegment src, long off, long len, Appendable out) {
        try {
            long end = off + len;
            for (long p = off; p < end; ) {
                int b0 = src.get(Layouts.BYTE, p) & 0xFF;
                if (b0 < 0x80) {
                    out.append((char) b0);
                    p++;
                } else if (b0 < 0xE0) {
                    out.append((char) (((b0 & 0x1F) << 6) | (src.get(Layouts.BYTE, p + 1) & 0x3F)));
                    p += 2;
                } else if (b0 < 0xF0) {
                    out.append((char) (((b0 & 0x0F) << 12) | ((src.get(Layouts.BYTE, p + 1) & 0x3F) << 6)
                            | (src.get(Layouts.BYTE, p + 2) & 0x3F)));
                    p += 3;
                } else {
                    int cp = ((b0 & 0x07) << 18) | ((src.get(Layouts.BYTE, p + 1) & 0x3F) << 12)
                            | ((src.get(Layouts.BYTE, p + 2) & 0x3F) << 6) | (src.get(Layouts.BYTE, p + 3) & 0x3F);
                    out.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
                    p += 4;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
